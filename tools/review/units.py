"""What a changed file is, and what must be validated again because of it.

A change is validated in units, not file by file: a Kubernetes manifest with the other
manifests of its folder (a Service and the Deployment it selects may sit in two files),
a Terraform module as a whole, plus the modules that call it, a kustomization rendered,
plus the overlays built on it, a Helm chart rendered. Files are only read here, never run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from tools.review.kustomize_index import KUSTOMIZATION_NAMES, KustomizeIndex
from tools.review.models import ChangedFile, FileKind
from tools.validation.inputs import TERRAFORM_SUFFIXES

YAML_SUFFIXES = (".yaml", ".yml", ".json")
_COMPOSE_NAME = re.compile(r"^(docker-)?compose([.-][\w.-]+)?\.ya?ml$")
_KUBERNETES_KEYS = (re.compile(rb"^apiVersion\s*:", re.M), re.compile(rb"^kind\s*:", re.M))
_JSON_KEYS = (b'"apiVersion"', b'"kind"')
_MODULE_SOURCE = re.compile(r'^\s*source\s*=\s*"(\.{1,2}/[^"]*)"', re.M)
_SNIFF_BYTES = 65_536


@dataclass
class Units:
    """The units to validate, as repository-relative POSIX paths ('' is the repository root)."""

    kubernetes_folders: set[str] = field(default_factory=set)
    kustomizations: set[str] = field(default_factory=set)
    charts: set[str] = field(default_factory=set)
    terraform_modules: set[str] = field(default_factory=set)
    compose_files: set[str] = field(default_factory=set)


def plan_units(
    tree: Path, changed: list[ChangedFile], base_tree: Path | None = None
) -> tuple[list[ChangedFile], Units]:
    """Each changed file with its kind, and the units to validate in the head tree `tree`.

    A deleted file is classified as it was in `base_tree`: deleting a Service is a change
    to the manifests of its folder.
    """
    kustomize = KustomizeIndex.build(tree)
    base_kustomize = KustomizeIndex.build(base_tree) if base_tree is not None else None
    units = Units()
    typed = []
    for change in changed:
        if change.status == "deleted" and base_tree is not None and base_kustomize is not None:
            kind = file_kind(base_tree, change.path, base_kustomize)
            if kind == "kustomize":
                units.kustomizations |= base_kustomize.affected(change.path) & set(kustomize.files)
        else:
            kind = file_kind(tree, change.path, kustomize)
        typed.append(change.model_copy(update={"kind": kind}))
        if change.binary or kind == "other":
            continue
        parent = _parent(change.path)
        if kind == "kubernetes":
            units.kubernetes_folders.add(parent)
        elif kind == "compose" and change.status != "deleted":
            units.compose_files.add(change.path)
        elif kind == "terraform":
            units.terraform_modules.add(parent)
        elif kind == "helm":
            chart = chart_root(tree, change.path) or chart_root(base_tree or tree, change.path)
            if chart is not None:
                units.charts.add(chart)
        elif kind == "kustomize":
            units.kustomizations |= kustomize.affected(change.path) if change.status != "deleted" else set()
    units.terraform_modules = {m for m in _with_callers(tree, units.terraform_modules) if (tree / m).is_dir()}
    units.charts = {c for c in units.charts if (tree / c / "Chart.yaml").is_file()}
    units.kubernetes_folders = {f for f in units.kubernetes_folders if (tree / f).is_dir()}
    return typed, units


def file_kind(tree: Path, path: str, kustomize: KustomizeIndex) -> FileKind:
    """What reads the file at `path` (relative to `tree`): its name, its place, then its first bytes."""
    name = PurePosixPath(path).name
    if path.endswith(TERRAFORM_SUFFIXES):
        return "terraform"
    if chart_root(tree, path) is not None:
        return "helm"
    if name in KUSTOMIZATION_NAMES or kustomize.owners(path):
        return "kustomize"
    if _COMPOSE_NAME.match(name):
        return "compose"
    if (
        path.endswith(YAML_SUFFIXES)
        and not path.startswith(".github/")
        and looks_like_kubernetes(tree / path)
    ):
        return "kubernetes"
    return "other"


def looks_like_kubernetes(path: Path) -> bool:
    """True when the file's first 64 KiB hold a top-level apiVersion and kind (YAML or JSON)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(_SNIFF_BYTES)
    except OSError:
        return False
    if path.suffix == ".json":
        return all(key in head for key in _JSON_KEYS)
    return all(pattern.search(head) for pattern in _KUBERNETES_KEYS)


def kubernetes_files(tree: Path, folder: str, kustomize: KustomizeIndex | None = None) -> list[Path]:
    """The plain manifests directly in `folder`: not charts' templates, not kustomizations' parts."""
    directory = tree / folder
    if not directory.is_dir():
        return []
    found = []
    for path in sorted(directory.iterdir()):
        relative = path.relative_to(tree).as_posix()
        if path.is_file() and (kustomize is None or not kustomize.owners(relative)):
            kind = "kubernetes" if path.suffix in YAML_SUFFIXES and looks_like_kubernetes(path) else "other"
            if kind == "kubernetes" and path.name not in KUSTOMIZATION_NAMES:
                found.append(path)
    return found


def chart_root(tree: Path, path: str) -> str | None:
    """The folder of the Helm chart (the nearest one holding Chart.yaml) that `path` belongs to."""
    for parent in PurePosixPath(path).parents:
        if parent.as_posix() != "." and (tree / parent / "Chart.yaml").is_file():
            return parent.as_posix()
    return None


def _with_callers(tree: Path, modules: set[str]) -> set[str]:
    """`modules` and, transitively, every module in `tree` that calls one of them by a local path."""
    if not modules:
        return set()
    callers: dict[str, set[str]] = {}
    for tf in tree.rglob("*.tf"):
        if any(part.startswith(".") for part in tf.relative_to(tree).parts):
            continue
        try:
            text = tf.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        caller = tf.parent.relative_to(tree).as_posix()
        for source in _MODULE_SOURCE.findall(text):
            called = (tf.parent / source).resolve()
            if called.is_relative_to(tree.resolve()):
                callers.setdefault(called.relative_to(tree.resolve()).as_posix(), set()).add(caller)
    result = {_normal(m) for m in modules}
    pending = list(result)
    while pending:
        for caller in callers.get(pending.pop(), set()):
            if _normal(caller) not in result:
                result.add(_normal(caller))
                pending.append(_normal(caller))
    return result


def _parent(path: str) -> str:
    return _normal(PurePosixPath(path).parent.as_posix())


def _normal(folder: str) -> str:
    return "" if folder == "." else folder
