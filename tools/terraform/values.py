"""Turn attribute values into what the checks need: booleans, numbers, strings, lists; or 'unknown'.

A value that is an expression (`${...}`) is unknown unless it is exactly `var.x` (with a default
or a .tfvars value) or `local.y` (with a literal value): then the known value stands in for it.
Checks treat unknown values as 'cannot tell' and stay quiet rather than guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from tools.terraform.model import Block, Module

_SIMPLE_REF = re.compile(r"^\$\{(var|local)\.([A-Za-z_][A-Za-z0-9_-]*)\}$")


class Unknown:
    """A value that cannot be known before `terraform plan`."""

    def __repr__(self) -> str:
        return "<unknown>"


UNKNOWN = Unknown()


@dataclass
class Scope:
    """Known values of a module's variables and locals."""

    variables: dict[str, Any] = field(default_factory=dict)
    locals: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, module: Module) -> Scope:
        """Variable defaults (overridden by .tfvars values) and literal locals of a module."""
        scope = cls()
        for block in module.of_type("variable"):
            if block.labels and "default" in block.attrs:
                scope.variables[block.labels[0]] = block.attrs["default"]
        scope.variables.update(module.tfvars)
        for block in module.of_type("locals"):
            scope.locals.update(block.attrs)
        return scope

    def resolve(self, value: Any, depth: int = 0) -> Any:
        """The value with a bare `var.x`/`local.y` replaced by what is known of it, else unchanged."""
        if not isinstance(value, str) or depth > 8:
            return value
        match = _SIMPLE_REF.match(value.strip())
        if match is None:
            return value
        table = self.variables if match.group(1) == "var" else self.locals
        if match.group(2) not in table:
            return UNKNOWN
        return self.resolve(table[match.group(2)], depth + 1)


def is_expression(value: Any) -> bool:
    """True for values that are (or contain) an unresolved expression."""
    return value is UNKNOWN or (isinstance(value, str) and "${" in value)


def as_bool(value: Any) -> bool | None:
    """True/False for boolean literals (HCL, or the `True`/`"true"` spellings), else None."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return None


def as_int(value: Any) -> int | None:
    """An integer for numeric literals and numeric strings, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
        return int(value.strip())
    return None


def as_str(value: Any) -> str | None:
    """A literal string (not an expression), else None."""
    if isinstance(value, str) and not is_expression(value):
        return value
    return None


def as_list(value: Any) -> list[Any]:
    """A list value as a list, a single value as a one-item list, null/absent as []."""
    if value is None:
        return []
    if isinstance(value, list):
        return value
    return [value]


def get(block: Block, path: str, scope: Scope) -> tuple[Any, int, bool]:
    """Value at a dotted path (`vpc_config.endpoint_public_access`): (value, line, present).

    Nested blocks are followed through their first occurrence; a missing step or `null` gives
    present=False.
    """
    *steps, name = path.split(".")
    current = block
    for step in steps:
        children = current.children(step)
        if not children:
            return None, current.line, False
        current = children[0]
    if current.attrs.get(name) is None:  # absent, or `null`: both mean the provider default
        return None, current.line_of(name), False
    return scope.resolve(current.attrs[name]), current.line_of(name), True
