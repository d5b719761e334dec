"""What a policy is, and builders for the common 'this attribute must be so' kind of rule.

A policy names the resource types it judges and a check function; the check returns one
`Violation` per problem (empty: the resource passes).  Most policies are a row of data built
with `attribute_rule`; the few that need logic (IAM documents, ports, cross-resource S3
rules) are plain functions in the provider modules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tools.findings import Severity
from tools.terraform.model import Block, Module
from tools.terraform.values import UNKNOWN, Scope, get, is_expression


@dataclass(frozen=True)
class Violation:
    """One problem found in one block: what is wrong, where (field path and line)."""

    message: str
    field_path: str | None
    line: int


@dataclass
class CheckContext:
    """What a check may look at besides the block: the whole module and the known values."""

    module: Module
    scope: Scope


Check = Callable[[Block, CheckContext], list[Violation]]


@dataclass(frozen=True)
class Policy:
    """A security or reliability rule for Terraform resources."""

    id: str
    severity: Severity
    title: str
    rationale: str
    fix: str
    docs_url: str
    resource_types: tuple[str, ...]
    check: Check = field(compare=False, repr=False)
    provider: str = "aws"


def registry_url(provider: str, resource_type: str, *, data: bool = False) -> str:
    """The Terraform Registry documentation page of a resource (or data source) type."""
    namespace = {"aws": "hashicorp/aws", "google": "hashicorp/google", "azurerm": "hashicorp/azurerm"}[
        provider
    ]
    short = resource_type.split("_", 1)[1] if "_" in resource_type else resource_type
    kind = "data-sources" if data else "resources"
    return f"https://registry.terraform.io/providers/{namespace}/latest/docs/{kind}/{short}"


Predicate = Callable[[Any], bool | None]


def attribute_rule(
    path: str,
    ok: Predicate,
    *,
    default: Any = None,
    message: str,
    when: Callable[[Block, CheckContext], bool] | None = None,
) -> Check:
    """A check that the value at `path` satisfies `ok`.

    A missing attribute takes the provider's `default` (None: missing is a violation).  `ok`
    returns True (fine), False (violation) or None (cannot tell, e.g. an unknown expression:
    no finding).  `when` limits the rule to blocks it applies to.
    """

    def check(block: Block, context: CheckContext) -> list[Violation]:
        if when is not None and not when(block, context):
            return []
        value, line, present = get(block, path, context.scope)
        if not present:
            if default is None:
                return [Violation(f"{message} ({path} is not set)", path, line)]
            value = default
        if value is UNKNOWN or is_expression(value):
            return []
        verdict = ok(value)
        if verdict is False:
            return [Violation(f"{message} ({path} = {_show(value)})", path, line)]
        return []

    return check


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    return str(value)


def is_true(value: Any) -> bool | None:
    """Predicate: the value is boolean true."""
    from tools.terraform.values import as_bool

    return as_bool(value)


def is_false(value: Any) -> bool | None:
    """Predicate: the value is boolean false."""
    from tools.terraform.values import as_bool

    flag = as_bool(value)
    return None if flag is None else not flag


def non_empty(value: Any) -> bool | None:
    """Predicate: a non-empty string (an expression counts as set)."""
    if is_expression(value):
        return True
    return isinstance(value, str) and value.strip() != ""


def one_of(*allowed: str) -> Predicate:
    """Predicate: the value is one of these strings (case-insensitive)."""
    wanted = {a.lower() for a in allowed}

    def predicate(value: Any) -> bool | None:
        return isinstance(value, str) and value.lower() in wanted

    return predicate


def none_of(*forbidden: str) -> Predicate:
    """Predicate: the value is none of these strings (case-insensitive)."""
    banned = {f.lower() for f in forbidden}

    def predicate(value: Any) -> bool | None:
        return not (isinstance(value, str) and value.lower() in banned)

    return predicate
