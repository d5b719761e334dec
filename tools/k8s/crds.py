"""Schemas for custom resources, taken from CustomResourceDefinition objects.

A CRD carries an OpenAPI v3 schema per served version. JSON Schema reads it almost
as it is; the Kubernetes extensions are translated: `nullable`, the int-or-string
marker, and `x-kubernetes-preserve-unknown-fields` (which also exempts an object from
strict mode).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tools.k8s.manifests import Manifest

_DROPPED = ("nullable", "x-kubernetes-int-or-string")


def crd_schemas(manifests: Iterable[Manifest]) -> dict[tuple[str, str], dict[str, Any]]:
    """(apiVersion, kind) -> JSON schema for every version of every CRD among `manifests`."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for manifest in manifests:
        if manifest.kind != "CustomResourceDefinition" or manifest.obj is None:
            continue
        spec = manifest.obj.get("spec")
        if not isinstance(spec, dict):
            continue
        group = spec.get("group")
        kind = (spec.get("names") or {}).get("kind") if isinstance(spec.get("names"), dict) else None
        if not isinstance(group, str) or not isinstance(kind, str):
            continue
        legacy = (spec.get("validation") or {}).get("openAPIV3Schema")
        for version in spec.get("versions") or [{"name": spec.get("version")}]:
            if not isinstance(version, dict) or not isinstance(version.get("name"), str):
                continue
            schema = (version.get("schema") or {}).get("openAPIV3Schema") or legacy
            if isinstance(schema, dict):
                found[(f"{group}/{version['name']}", kind)] = object_schema(schema)
    return found


def object_schema(openapi: dict[str, Any]) -> dict[str, Any]:
    """The CRD's OpenAPI schema as JSON Schema, with apiVersion, kind and metadata always allowed."""
    converted = _convert(openapi)
    properties = converted.setdefault("properties", {})
    properties.setdefault("apiVersion", {"type": "string"})
    properties.setdefault("kind", {"type": "string"})
    properties.setdefault("metadata", {"type": "object"})
    return dict(converted)


def _convert(node: Any) -> Any:
    if isinstance(node, list):
        return [_convert(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: _convert(value) for key, value in node.items() if key not in _DROPPED}
    if node.get("x-kubernetes-int-or-string"):
        converted.pop("type", None)
        converted["anyOf"] = [{"type": "integer"}, {"type": "string"}]
    if node.get("nullable") and isinstance(converted.get("type"), str):
        converted["type"] = [converted["type"], "null"]
    return converted
