"""Placing findings on rendered output (helm template, kubectl kustomize) back into the source files."""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from tools.findings import Finding
from tools.k8s.fixes import field_steps
from tools.review.kustomize_index import KustomizeIndex

_HELM_SOURCE = re.compile(r"^# Source: (\S+)", re.M)


def place_helm_output(rendered: str, chart: str, finding: Finding) -> tuple[str | None, int | None]:
    """The chart template an object of `helm template` output came from (its `# Source:` comment).

    Template lines do not survive rendering, so the line is unknown (None).
    """
    if not finding.evidence:
        return chart, None
    line = finding.evidence[0].line
    before = rendered[: _offset_of_line(rendered, line)]
    sources = _HELM_SOURCE.findall(before)
    if not sources:
        return chart, None
    # `# Source: <chart name>/templates/x.yaml`: the first part is the chart's name, not its folder.
    inside = PurePosixPath(*PurePosixPath(sources[-1]).parts[1:]).as_posix()
    return f"{chart}/{inside}" if chart else inside, None


def place_kustomize_output(
    tree: Path, folder: str, index: KustomizeIndex, finding: Finding
) -> tuple[str | None, int | None]:
    """The file (and line of the field) defining the object a finding on `kubectl kustomize` output names.

    Objects are matched by kind and name, allowing for a namePrefix or nameSuffix; patches are
    not followed, so a field a patch sets is placed on the object's own file.
    """
    from tools.k8s.manifests import read_manifests

    kind, _, name = (finding.resource or "").partition("/")
    fallback = f"{folder}/kustomization.yaml" if folder else "kustomization.yaml"
    if not kind:
        return fallback, None
    near: tuple[str, int] | None = None
    for relative in sorted(_member_files(index, folder)):
        path = tree / relative
        if path.suffix not in (".yaml", ".yml", ".json") or not path.is_file():
            continue
        for manifest in read_manifests(str(path)):
            if manifest.kind != kind or not manifest.name:
                continue
            line = manifest.line_of(field_steps(finding.field_path or ""))
            if manifest.name == name:
                return relative, line
            if near is None and (name.startswith(manifest.name) or name.endswith(manifest.name)):
                near = (relative, line)
    return near if near is not None else (fallback, None)


def _member_files(index: KustomizeIndex, folder: str) -> set[str]:
    """Files read by the kustomization in `folder` and by the kustomizations it builds on."""
    files: set[str] = set()
    pending, seen = [folder], set()
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        files |= index.files.get(current, set())
        pending.extend(index.bases.get(current, set()))
    return files


def _offset_of_line(text: str, line: int) -> int:
    offset = 0
    for _ in range(line - 1):
        found = text.find("\n", offset)
        if found < 0:
            return len(text)
        offset = found + 1
    return offset
