"""With no model configured: send each input to the engine that handles it, and say so.

Log files go to the diagnosis engine, manifests and Terraform to the validators, and the
question to the knowledge search. The router decides from the file itself, never from
what the text asks for.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from tools.errors import InputError

Route = Literal["diagnose", "validate"]
_MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")
_TERRAFORM_SUFFIXES = (".tf", ".tfvars")
_SNIFF = 4096


@dataclass(frozen=True)
class Routed:
    """Where one input goes, and why."""

    path: Path
    route: Route
    reason: str


def route_files(paths: Sequence[Path]) -> list[Routed]:
    """The engine for each file or folder."""
    routed: list[Routed] = []
    for path in paths:
        if not path.exists():
            raise InputError(str(path), "no such file or directory")
        if path.is_dir():
            has_config = any(path.rglob("*.tf")) or _has_manifests(path)
            reason = "a folder of manifests or Terraform" if has_config else "a folder of logs"
            routed.append(Routed(path, "validate" if has_config else "diagnose", reason))
        elif path.name.endswith(_TERRAFORM_SUFFIXES):
            routed.append(Routed(path, "validate", "Terraform"))
        elif path.name.endswith(_MANIFEST_SUFFIXES) and _looks_like_manifest(path):
            routed.append(Routed(path, "validate", "a Kubernetes manifest"))
        else:
            routed.append(Routed(path, "diagnose", "a log"))
    return routed


def _looks_like_manifest(path: Path) -> bool:
    try:
        head = path.read_bytes()[:_SNIFF].decode("utf-8", "replace")
    except OSError:
        return False
    return ("apiVersion" in head and "kind" in head) or '"apiVersion"' in head


def _has_manifests(folder: Path) -> bool:
    for count, candidate in enumerate(p for p in folder.rglob("*") if p.name.endswith(_MANIFEST_SUFFIXES)):
        if _looks_like_manifest(candidate):
            return True
        if count > 50:
            break
    return False
