"""AWS IAM policy documents as statements, whatever way the configuration writes them.

Sources: a JSON string (heredoc or quoted), `jsonencode({...})`, a reference to an
`aws_iam_policy_document` data block (`data.aws_iam_policy_document.x.json`), or that data
block itself (its `statement` blocks).  A document that cannot be read statically (built
with `concat`, `templatefile`...) yields no statements: the checks then say nothing.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from tools.terraform.model import Block, Module
from tools.terraform.values import as_list

_DOC_REF = re.compile(r"^\$\{data\.aws_iam_policy_document\.([A-Za-z0-9_-]+)\.json\}$")
POLICY_ATTRIBUTES = ("policy", "inline_policy")


@dataclass(frozen=True)
class Condition:
    """One condition test: `StringEquals aws:SourceVpce = [vpce-1]`."""

    operator: str
    key: str
    values: tuple[str, ...]


@dataclass
class Statement:
    """The parts of a statement the checks judge; `line` points at it where known."""

    effect: str
    actions: list[str]
    resources: list[str]
    principals: list[str] = field(default_factory=list)
    conditions: list[Condition] = field(default_factory=list)
    line: int = 1

    @property
    def allows(self) -> bool:
        """True unless the statement says Deny (a missing Effect is read as Allow)."""
        return self.effect.lower() != "deny"


@dataclass
class Document:
    """The statements of one policy document and where it is written."""

    statements: list[Statement]
    field_path: str
    line: int
    source_block: Block


def documents(block: Block, module: Module) -> list[Document]:
    """Every policy document a resource (policy attributes) or data block (statements) holds."""
    if block.type == "data" and block.resource_type == "aws_iam_policy_document":
        return [Document(data_statements(block), "statement", block.line, block)]
    found: list[Document] = []
    for name in POLICY_ATTRIBUTES:
        if name not in block.attrs:
            continue
        line = block.line_of(name)
        if name in block.encoded:
            found.append(Document(json_statements(block.encoded[name], line), name, line, block))
            continue
        value = block.attrs[name]
        match = _DOC_REF.match(value.strip()) if isinstance(value, str) else None
        if match is not None:
            for data in module.of_type("data", "aws_iam_policy_document"):
                if data.labels[1:2] == (match.group(1),):
                    found.append(Document(data_statements(data), name, data.line, data))
        elif isinstance(value, str) and not value.strip().startswith("${"):
            try:
                parsed = json.loads(value)
            except ValueError:
                continue
            found.append(Document(json_statements(parsed, line), name, line, block))
    return found


def json_statements(document: Any, line: int) -> list[Statement]:
    """Statements of a JSON-shaped policy (dict with `Statement`: one object or a list)."""
    if not isinstance(document, dict):
        return []
    raw = document.get("Statement")
    items = raw if isinstance(raw, list) else [raw] if isinstance(raw, dict) else []
    statements: list[Statement] = []
    for item in items:
        if not isinstance(item, dict):
            continue
        conditions: list[Condition] = []
        condition = item.get("Condition")
        if isinstance(condition, dict):
            for operator, tests in condition.items():
                if isinstance(tests, dict):
                    for key, values in tests.items():
                        conditions.append(Condition(str(operator), str(key), _strings(values)))
        statements.append(
            Statement(
                effect=str(item.get("Effect", "Allow")),
                actions=list(_strings(item.get("Action"))),
                resources=list(_strings(item.get("Resource"))),
                principals=_json_principals(item.get("Principal")),
                conditions=conditions,
                line=line,
            )
        )
    return statements


def data_statements(block: Block) -> list[Statement]:
    """Statements of an `aws_iam_policy_document` data block."""
    statements: list[Statement] = []
    for item in block.children("statement"):
        principals: list[str] = []
        for principal in item.children("principals"):
            kind = str(principal.attrs.get("type", ""))
            for identifier in _strings(principal.attrs.get("identifiers")):
                principals.append("*" if kind == "*" or identifier == "*" else identifier)
        conditions = [
            Condition(
                str(c.attrs.get("test", "")),
                str(c.attrs.get("variable", "")),
                _strings(c.attrs.get("values")),
            )
            for c in item.children("condition")
        ]
        statements.append(
            Statement(
                effect=str(item.attrs.get("effect", "Allow")),
                actions=list(_strings(item.attrs.get("actions"))),
                resources=list(_strings(item.attrs.get("resources"))),
                principals=principals,
                conditions=conditions,
                line=item.line,
            )
        )
    return statements


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in as_list(value) if v is not None and not isinstance(v, (dict, list)))


def _json_principals(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, dict):
        return [p for v in value.values() for p in _strings(v)]
    return list(_strings(value))


# Actions that AWS does not let a policy scope to a resource: `Resource: "*"` is the only choice.
UNRESTRICTABLE_ACTIONS = frozenset(
    a.lower()
    for a in (
        "s3:ListAllMyBuckets",
        "sts:GetCallerIdentity",
        "sts:GetSessionToken",
        "iam:GetAccountSummary",
        "iam:ListAccountAliases",
        "iam:ListRoles",
        "iam:ListUsers",
        "iam:ListPolicies",
        "iam:ListGroups",
        "ecr:GetAuthorizationToken",
        "cloudwatch:PutMetricData",
        "cloudwatch:ListMetrics",
        "logs:DescribeLogGroups",
        "kms:ListKeys",
        "kms:ListAliases",
        "kms:CreateKey",
        "tag:GetResources",
        "xray:PutTraceSegments",
        "xray:PutTelemetryRecords",
        "ec2:DescribeRegions",
        "ec2:DescribeAvailabilityZones",
    )
)


def restrictable(action: str) -> bool:
    """True unless the action is known to accept only `Resource: "*"`.

    A wildcard pattern (`ec2:Describe*`) counts as restrictable: we cannot show that every
    action it matches lacks resource-level permissions.
    """
    return action.lower() not in UNRESTRICTABLE_ACTIONS
