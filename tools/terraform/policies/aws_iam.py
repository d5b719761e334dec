"""AWS IAM and resource-policy rules: admin documents, `*` resources, public principals."""

from __future__ import annotations

import re

from tools.findings import Severity
from tools.terraform.iam import Condition, Statement, documents, restrictable
from tools.terraform.model import Block
from tools.terraform.policies.base import CheckContext, Policy, Violation, registry_url

IAM_POLICY_TYPES = (
    "aws_iam_policy",
    "aws_iam_role_policy",
    "aws_iam_user_policy",
    "aws_iam_group_policy",
    "aws_ssoadmin_permission_set_inline_policy",
    "data.aws_iam_policy_document",
)


def _statement_violations(block: Block, context: CheckContext, bad: type[_Judge]) -> list[Violation]:
    judge = bad()
    found: list[Violation] = []
    for document in documents(block, context.module):
        # A resource that points at a policy-document data block is judged on the data block.
        if document.source_block is not block:
            continue
        for statement in document.statements:
            message = judge(statement)
            if message:
                found.append(Violation(message, document.field_path, statement.line))
    return found


class _Judge:
    def __call__(self, statement: Statement) -> str | None:
        raise NotImplementedError


class _AdminJudge(_Judge):
    def __call__(self, statement: Statement) -> str | None:
        if statement.allows and "*" in statement.actions and "*" in statement.resources:
            return 'statement allows Action "*" on Resource "*" (full administrator access)'
        return None


class _StarResourceJudge(_Judge):
    def __call__(self, statement: Statement) -> str | None:
        if not statement.allows or "*" not in statement.resources:
            return None
        scoped = [a for a in statement.actions if restrictable(a)]
        if scoped:
            shown = ", ".join(scoped[:3]) + (", ..." if len(scoped) > 3 else "")
            return f'statement allows {shown} on Resource "*" although these actions can be scoped'
        return None


def check_admin(block: Block, context: CheckContext) -> list[Violation]:
    """Allow statements granting every action on every resource."""
    return _statement_violations(block, context, _AdminJudge)


def check_star_resource(block: Block, context: CheckContext) -> list[Violation]:
    """Allow statements with `Resource: "*"` for actions that support resource-level scoping."""
    return _statement_violations(block, context, _StarResourceJudge)


# Condition keys that say who the caller is or where the request comes from.
_IDENTITY_KEY_PREFIXES = ("aws:principal", "aws:source", "aws:vpce", "aws:userid", "aws:username")


def _specific(value: str) -> bool:
    """True when a condition value pins something down (an account, an id), not just a wildcard."""
    text = value.strip()
    if text.lower().startswith("arn:"):
        # Past arn:partition:service: only wildcards, or a bare resource type ("organization/*"),
        # pin nothing down.
        rest = re.sub(r"[*?:]", "", ":".join(text.split(":")[3:]))
        return rest != "" and re.fullmatch(r"[A-Za-z-]+/", rest) is None
    return re.sub(r"[*?]", "", text) != ""


def _restricts_caller(condition: Condition) -> bool:
    operator = condition.operator.lower()
    # Negated tests (ArnNotEquals...) exclude a few callers and admit everyone else; Null tests
    # only ask whether a key is present.
    if "not" in operator or operator.startswith("null"):
        return False
    if not condition.key.lower().startswith(_IDENTITY_KEY_PREFIXES):
        return False
    return any(_specific(v) for v in condition.values)


def check_any_principal(block: Block, context: CheckContext) -> list[Violation]:
    """Allow statements for Principal "*" that no condition narrows to known callers."""
    found: list[Violation] = []
    for document in documents(block, context.module):
        for statement in document.statements:
            if not statement.allows or "*" not in statement.principals:
                continue
            if any(_restricts_caller(c) for c in statement.conditions):
                continue
            found.append(
                Violation(
                    'policy allows Principal "*" (anyone) with no condition on the caller',
                    document.field_path,
                    statement.line if document.source_block is block else document.line,
                )
            )
    return found


def _url(resource_type: str) -> str:
    return registry_url("aws", resource_type)


POLICIES = [
    Policy(
        id="TF_AWS_IAM_ADMIN_POLICY",
        severity=Severity.CRITICAL,
        title='IAM policy grants full administrator access ("*" on "*")',
        rationale="A statement that allows every action on every resource makes whoever holds the policy "
        "an administrator of the account: one leaked credential is a full compromise.",
        fix='statement {\n  effect    = "Allow"\n  actions   = ["s3:GetObject"]\n'
        '  resources = ["arn:aws:s3:::my-bucket/*"]\n}',
        docs_url=_url("aws_iam_policy"),
        resource_types=IAM_POLICY_TYPES,
        check=check_admin,
    ),
    Policy(
        id="TF_AWS_IAM_STAR_RESOURCE",
        severity=Severity.MEDIUM,
        title='IAM policy allows scopable actions on Resource "*"',
        rationale="Actions that support resource-level permissions should name the resources they need; "
        '"*" extends them to every present and future resource of the account.',
        fix='statement {\n  actions   = ["ec2:DescribeInstances"]\n'
        '  resources = ["arn:aws:ec2:eu-west-1:123456789012:instance/*"]\n}',
        docs_url=registry_url("aws", "aws_iam_policy_document", data=True),
        resource_types=IAM_POLICY_TYPES,
        check=check_star_resource,
    ),
    Policy(
        id="TF_AWS_S3_POLICY_ANY_PRINCIPAL",
        severity=Severity.HIGH,
        title="S3 bucket policy allows any principal",
        rationale='An Allow statement for Principal "*" opens the bucket to everyone on the internet '
        "unless a condition pins the caller (account, organisation, VPC endpoint, source ARN). Negated "
        "conditions (ArnNotEquals ...) do not count: they admit everyone else.",
        fix='condition {\n  test     = "StringEquals"\n  variable = "aws:PrincipalAccount"\n'
        '  values   = ["123456789012"]\n}',
        docs_url=_url("aws_s3_bucket_policy"),
        resource_types=("aws_s3_bucket", "aws_s3_bucket_policy"),
        check=check_any_principal,
    ),
]
