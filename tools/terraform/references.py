"""Checks of a module against itself: undeclared and unused names, duplicates, provider requirements."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from tools.terraform.model import Block, Module

# Resource types whose name prefix is not a provider to require (built into Terraform).
_BUILTIN_PROVIDERS = {"terraform"}
_UNDECLARED_IDS = {
    "var": "TF_UNDECLARED_VARIABLE",
    "local": "TF_UNDECLARED_LOCAL",
    "module": "TF_UNDECLARED_MODULE",
    "data": "TF_UNDECLARED_DATA",
    "resource": "TF_UNDECLARED_RESOURCE",
}
_PREFIX = {"var": "var.", "local": "local.", "module": "module.", "data": "data.", "resource": ""}


@dataclass(frozen=True)
class Problem:
    """One problem a reference check found: which check, what, where."""

    check_id: str
    message: str
    source: str
    line: int
    resource: str | None = None
    field_path: str | None = None


def declared(module: Module) -> dict[str, set[str]]:
    """Names declared in the module, by reference kind."""
    names: dict[str, set[str]] = {kind: set() for kind in _UNDECLARED_IDS}
    for block in module.blocks:
        if block.type == "variable" and block.labels:
            names["var"].add(block.labels[0])
        elif block.type == "locals":
            names["local"].update(block.attrs)
        elif block.type == "module" and block.labels:
            names["module"].add(block.labels[0])
        elif block.type == "data" and len(block.labels) >= 2:
            names["data"].add(f"{block.labels[0]}.{block.labels[1]}")
        elif block.type == "resource" and len(block.labels) >= 2:
            names["resource"].add(f"{block.labels[0]}.{block.labels[1]}")
    return names


def check_references(module: Module) -> Iterator[Problem]:
    """References to names the module does not declare, and variables nobody references."""
    names = declared(module)
    used_vars: set[str] = set()
    for block in module.blocks:
        reported: set[tuple[str, str]] = set()
        for ref in block.refs:
            if ref.kind == "var":
                used_vars.add(ref.name)
            if ref.name not in names[ref.kind] and (ref.kind, ref.name) not in reported:
                reported.add((ref.kind, ref.name))
                shown = f"{_PREFIX[ref.kind]}{ref.name}"
                yield Problem(
                    _UNDECLARED_IDS[ref.kind],
                    f"{shown} is referenced but not declared in this module",
                    block.source,
                    ref.line,
                    _subject(block),
                )
    for block in module.of_type("variable"):
        if block.labels and block.labels[0] not in used_vars:
            yield Problem(
                "TF_UNUSED_VARIABLE",
                f"variable {block.labels[0]!r} is never used",
                block.source,
                block.line,
                block.address,
            )


def check_duplicates(module: Module) -> Iterator[Problem]:
    """Addresses (and local names) declared more than once."""
    seen: dict[str, Block] = {}
    for block in module.blocks:
        keys = [f"local.{name}" for name in block.attrs] if block.type == "locals" else []
        if block.type in ("resource", "data", "variable", "module", "output") and block.labels:
            keys = [block.address]
        for key in keys:
            if key in seen:
                first = seen[key]
                yield Problem(
                    "TF_DUPLICATE_DECLARATION",
                    f"{key} is declared again (first at {first.source}:{first.line})",
                    block.source,
                    block.line,
                    key,
                )
            else:
                seen[key] = block


def _subject(block: Block) -> str | None:
    return block.address if block.type in ("resource", "data", "module", "output") else None


def check_providers(module: Module) -> Iterator[Problem]:
    """Providers used without a required_providers entry or version; no required_version."""
    required: dict[str, tuple[object, Block]] = {}
    has_required_version = False
    terraform_blocks = list(module.of_type("terraform"))
    for block in terraform_blocks:
        has_required_version = has_required_version or "required_version" in block.attrs
        for requirements in block.children("required_providers"):
            for name, spec in requirements.attrs.items():
                required[name] = (spec, requirements)
    first_use: dict[str, Block] = {}
    for block in module.blocks:
        name = ""
        if block.type in ("resource", "data") and block.resource_type:
            name = block.resource_type.split("_", 1)[0]
        elif block.type == "provider" and block.labels:
            name = block.labels[0]
        if name and name not in _BUILTIN_PROVIDERS:
            first_use.setdefault(name, block)
    for name, block in sorted(first_use.items()):
        if name not in required:
            yield Problem(
                "TF_MISSING_REQUIRED_PROVIDERS",
                f"provider {name!r} is used but not declared in terraform.required_providers",
                block.source,
                block.line,
                _subject(block),
            )
    for name, (spec, block) in sorted(required.items()):
        versioned = isinstance(spec, str) or (isinstance(spec, dict) and bool(spec.get("version")))
        if not versioned:
            yield Problem(
                "TF_PROVIDER_VERSION_UNCONSTRAINED",
                f"provider {name!r} has no version constraint",
                block.source,
                block.line_of(name),
                field_path=f"required_providers.{name}",
            )
    if module.blocks and not has_required_version and _judged(module):
        where = terraform_blocks[0] if terraform_blocks else module.blocks[0]
        yield Problem(
            "TF_MISSING_REQUIRED_VERSION",
            "no terraform.required_version constraint in this module",
            where.source,
            where.line,
        )


def _judged(module: Module) -> bool:
    return any(block.source in module.focus for block in module.blocks)
