"""HCL text for Terraform blueprints: literals and `.tfvars` files in the layout `terraform fmt` keeps.

Terraform blueprints are fixed, hand-formatted modules whose inputs are variables; what
a request changes is written as values (variable defaults or `terraform.tfvars`), so the
only text built here is values and aligned `name = value` lines.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any


def hcl_literal(value: Any) -> str:
    """`value` (str, bool, int, float, list, dict) as an HCL literal on one line."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        # JSON string escapes are valid HCL; `${` and `%{` would start a template, so they are doubled.
        return json.dumps(value).replace("${", "$${").replace("%{", "%%{")
    if isinstance(value, list | tuple):
        return "[" + ", ".join(hcl_literal(item) for item in value) + "]"
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        return "{ " + ", ".join(f"{_key(k)} = {hcl_literal(v)}" for k, v in value.items()) + " }"
    if value is None:
        return "null"
    raise TypeError(f"no HCL literal for {type(value).__name__}")


def _key(name: Any) -> str:
    text = str(name)
    return (
        text
        if text.replace("_", "a").replace("-", "a").isalnum() and not text[0].isdigit()
        else json.dumps(text)
    )


def assignments(values: Mapping[str, Any], indent: str = "") -> str:
    """`name = value` lines, the `=` aligned as `terraform fmt` aligns consecutive attributes."""
    if not values:
        return ""
    width = max(len(name) for name in values)
    return "".join(f"{indent}{name.ljust(width)} = {hcl_literal(value)}\n" for name, value in values.items())
