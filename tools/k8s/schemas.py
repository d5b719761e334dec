"""JSON schemas for Kubernetes objects, offline, compiled once per kind.

The official schemas for each supported Kubernetes version come from the PyPI package
`kubernetes-validate` (a folder per version, plus a `-strict` variant where unknown
fields are refused); shipmate uses them as data and validates with jsonschema-rs, a
compiled validator, which is what makes validation fast. Custom resources are checked
against schemas the user supplies: CRD files (their openAPIV3Schema) or folders of
JSON schemas named as kubeconform names them (`trainingjob-sagemaker-v1.json`,
`trainingjob_v1.json`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from tools.errors import InputError

SCHEMA_PACKAGE = "kubernetes_validate"
SCHEMA_FOLDER = "kubernetes-json-schema"
DEFINITIONS = "_definitions.json"
_VERSION_DIR = re.compile(r"^v(\d+)\.(\d+)\.(\d+)-local$")


def bundled_versions() -> list[str]:
    """Kubernetes versions with bundled schemas, oldest first ('1.25', ..., '1.37')."""
    root = resources.files(SCHEMA_PACKAGE).joinpath(SCHEMA_FOLDER)
    found = [m.groups() for m in (_VERSION_DIR.match(entry.name) for entry in root.iterdir()) if m]
    return [f"{a}.{b}" for a, b, _ in sorted(found, key=lambda g: tuple(int(x) for x in g))]


def resolve_version(requested: str | None) -> str:
    """The bundled version to use for `requested` ('1.30', '1.30.2', 'v1.30'); the newest when None."""
    versions = bundled_versions()
    if not requested:
        return versions[-1]
    match = re.fullmatch(r"v?(\d+)\.(\d+)(?:\.\d+)?", requested.strip())
    wanted = f"{match.group(1)}.{match.group(2)}" if match else None
    if wanted not in versions:
        raise InputError(
            "--kubernetes-version",
            f"{requested!r} has no bundled schemas; choose one of {versions[0]} to {versions[-1]}",
        )
    return wanted


def schema_file_names(api_version: str, kind: str) -> list[str]:
    """The file names a schema for this apiVersion and kind may have (kubeconform's two habits)."""
    group, _, version = api_version.rpartition("/")
    kind_lower = kind.lower()
    names = []
    if group:
        names.append(f"{kind_lower}-{group.split('.')[0]}-{version}.json")
    else:
        names.append(f"{kind_lower}-{version}.json")
    names.append(f"{kind_lower}_{version}.json")
    return names


@dataclass
class SchemaSet:
    """Where schemas come from for one run: a bundled version, user folders and CRDs."""

    version: str
    strict: bool = False
    folders: Sequence[Path] = ()
    crd_schemas: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)  # (apiVersion, kind)
    _validators: dict[tuple[str, str], Any] = field(default_factory=dict, repr=False)

    def validator(self, api_version: str, kind: str) -> Any | None:
        """A compiled validator for the kind, or None when no schema is known."""
        key = (api_version, kind)
        if key not in self._validators:
            self._validators[key] = self._compile(api_version, kind)
        return self._validators[key]

    def _compile(self, api_version: str, kind: str) -> Any | None:
        import jsonschema_rs

        if key_schema := self.crd_schemas.get((api_version, kind)):
            return jsonschema_rs.validator_for(_strict(key_schema) if self.strict else key_schema)
        names = schema_file_names(api_version, kind)
        for folder in self.folders:
            for name in names:
                candidate = folder / name
                if candidate.is_file():
                    schema = _read_json(candidate)
                    return jsonschema_rs.validator_for(_strict(schema) if self.strict else schema)
        bundled = _bundled_schema(self.version, self.strict, names[0])
        if bundled is None:
            return None
        return jsonschema_rs.validator_for(bundled, registry=_registry(self.version, self.strict))


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise InputError(str(path), f"not a readable JSON schema ({err})") from err


def _version_dir(version: str, strict: bool) -> Any:
    suffix = "-local-strict" if strict else "-local"
    return resources.files(SCHEMA_PACKAGE).joinpath(SCHEMA_FOLDER, f"v{version}.0{suffix}")


@lru_cache(maxsize=256)
def _bundled_schema(version: str, strict: bool, name: str) -> dict[str, Any] | None:
    entry = _version_dir(version, strict).joinpath(name)
    if not entry.is_file():
        return None
    schema: dict[str, Any] = json.loads(entry.read_text(encoding="utf-8"))
    return schema


@lru_cache(maxsize=4)
def _registry(version: str, strict: bool) -> Any:
    import jsonschema_rs

    definitions = json.loads(_version_dir(version, strict).joinpath(DEFINITIONS).read_text(encoding="utf-8"))
    return jsonschema_rs.Registry([(definitions["$id"], definitions)])


def _strict(schema: Any) -> Any:
    """A copy where every object schema that lists its properties refuses any other."""
    if isinstance(schema, list):
        return [_strict(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    copied = {key: _strict(value) for key, value in schema.items()}
    if (
        "properties" in copied
        and "additionalProperties" not in copied
        and not copied.get("x-kubernetes-preserve-unknown-fields")
    ):
        copied["additionalProperties"] = False
    return copied
