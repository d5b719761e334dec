"""The Compose Specification as a JSON schema, checked with jsonschema-rs.

No well-kept PyPI package ships the specification's `compose-spec.json` itself, so the
schema is rebuilt from the package `compose-spec`, whose pydantic models were generated
(by datamodel-codegen) from that file: `ComposeSpecification.model_json_schema()` gives
its types back. Two things the generation loosened are put back as the specification
has them:

- every object is closed: `additionalProperties: false`, with `x-` extension keys
  allowed (`patternProperties: {"^x-": {}}`), so a misspelt key (`imgae`) is an error;
- a field that is merely optional is not also nullable (`image:` with no value is an
  error, as in `docker compose config`); values inside maps stay nullable
  (`networks: {backend: }`).

Type unions of plain types become one `type` list, so errors read "5 is not of type
"boolean", "string"" instead of "not valid under any of the schemas".
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

_EXTENSIONS: dict[str, Any] = {"^x-": {}}
_NULL = {"type": "null"}
_DROPPED = ("title", "description", "default", "deprecated", "examples")
MAX_ERRORS = 50


@dataclass(frozen=True)
class SchemaError:
    """One place where the file breaks the specification."""

    path: tuple[str | int, ...]
    message: str


@cache
def compose_schema() -> dict[str, Any]:
    """The Compose Specification's JSON schema (draft 2020-12, `$defs`), closed as the spec is."""
    from compose_spec.models import ComposeSpecification

    schema: dict[str, Any] = _tighten(ComposeSpecification.model_json_schema())
    return schema


@cache
def _validator() -> Any:
    import jsonschema_rs

    return jsonschema_rs.validator_for(compose_schema())


def schema_errors(value: Any) -> list[SchemaError]:
    """Every place `value` (a parsed Compose file) breaks the schema, deepest cause first per place."""
    validator = _validator()
    if validator.is_valid(value):
        return []
    found: list[SchemaError] = []
    seen: set[tuple[tuple[str | int, ...], str]] = set()
    for error in validator.iter_errors(value):
        for leaf in _causes(error):
            key = (tuple(leaf.instance_path), leaf.message)
            if key not in seen:
                seen.add(key)
                found.append(SchemaError(tuple(leaf.instance_path), _shorten(leaf.message)))
        if len(found) >= MAX_ERRORS:
            break
    return found[:MAX_ERRORS]


def _causes(error: Any) -> list[Any]:
    """For an anyOf/oneOf error, the errors of the branch that fits the value's type best."""
    context = getattr(error.kind, "context", None)
    if not context:
        return [error]
    depth = len(error.instance_path)
    best: list[Any] | None = None
    wanted: list[str] = []
    for branch in context:
        # a branch that failed only on the value's own type was not the one meant
        if all(len(e.instance_path) == depth and type(e.kind).__name__ == "Type" for e in branch):
            wanted += [t for e in branch for t in e.kind.types if t != "null" and t not in wanted]
            continue
        if best is None or _depth(branch) > _depth(best):
            best = branch
    if best is None:
        if wanted:
            return [
                _Leaf(error.instance_path, f"{_shown(error.instance)} is not of type {', '.join(wanted)}")
            ]
        return [error]
    return [leaf for e in best for leaf in _causes(e)]


@dataclass(frozen=True)
class _Leaf:
    instance_path: list[str | int]
    message: str


def _shown(value: Any) -> str:
    import json

    return _shorten(json.dumps(value, default=str), 80)


def _depth(errors: list[Any]) -> int:
    return max((len(e.instance_path) for e in errors), default=0)


def _shorten(message: str, limit: int = 300) -> str:
    return message if len(message) <= limit else message[: limit - 3] + "..."


def _tighten(node: Any) -> Any:
    if isinstance(node, list):
        return [_tighten(item) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in _DROPPED and not isinstance(value, dict):
            continue
        if key == "properties":
            out[key] = {name: _tighten(_not_nullable(sub)) for name, sub in value.items()}
        elif key in ("patternProperties", "$defs"):
            out[key] = {name: _tighten(sub) for name, sub in value.items()}
        else:
            out[key] = _tighten(value)
    if "properties" in out:
        out["patternProperties"] = {**out.get("patternProperties", {}), **_EXTENSIONS}
        out.setdefault("additionalProperties", False)
    elif "patternProperties" in out:
        out.setdefault("additionalProperties", False)  # a map whose keys must match (service names)
    return _plain_union(out)


def _not_nullable(schema: Any) -> Any:
    """An optional field (`X | None = None` in the models) as the spec has it: X, not null."""
    if not isinstance(schema, dict) or "default" not in schema or schema["default"] is not None:
        return schema
    branches = schema.get("anyOf")
    if not isinstance(branches, list) or _NULL not in branches:
        return schema
    rest = [branch for branch in branches if branch != _NULL]
    trimmed = {key: value for key, value in schema.items() if key not in ("anyOf", "default")}
    if len(rest) == 1 and not set(rest[0]) & set(trimmed):
        return {**trimmed, **rest[0]}
    return {**trimmed, "anyOf": rest}


def _plain_union(schema: dict[str, Any]) -> dict[str, Any]:
    """`anyOf: [{type: a}, {type: b}]` as `type: [a, b]` (same meaning, a readable error)."""
    branches = schema.get("anyOf")
    if not isinstance(branches, list) or not branches:
        return schema
    if not all(isinstance(b, dict) and set(b) == {"type"} and isinstance(b["type"], str) for b in branches):
        return schema
    merged = {key: value for key, value in schema.items() if key != "anyOf"}
    if "type" in merged:
        return schema
    merged["type"] = [branch["type"] for branch in branches]
    return merged
