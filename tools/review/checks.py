"""Validating the units of one tree (the base or the head) and placing each finding in a file."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from tools.commands.run import run_command
from tools.findings import Finding
from tools.review.kustomize_index import KustomizeIndex
from tools.review.rendered import place_helm_output, place_kustomize_output
from tools.review.units import Units, kubernetes_files
from tools.validation.report import ValidationReport


class ReviewOptions(BaseModel):
    """How the units of a change are validated."""

    kubernetes_version: str | None = None
    strict: bool = False
    crds: list[Path] = []
    schema_locations: list[Path] = []
    ignore_missing_schemas: bool = True
    ignored_policies: list[str] = []
    run_terraform: bool = True
    terraform_binary: str | None = None
    render_timeout: float = 60.0
    generate: bool = True


@dataclass(frozen=True)
class Located:
    """A finding and the file and line it belongs to (repository-relative), when it has one."""

    finding: Finding
    path: str | None
    line: int | None


@dataclass
class TreeResult:
    """Everything validation found in one tree."""

    located: list[Located] = field(default_factory=list)
    invalid_objects: int = 0
    notes: list[str] = field(default_factory=list)


def check_tree(tree: Path, units: Units, options: ReviewOptions) -> TreeResult:
    """Validate `units` as they are in `tree`."""
    result = TreeResult()
    kustomize = KustomizeIndex.build(tree)
    manifests = [p for f in sorted(units.kubernetes_folders) for p in kubernetes_files(tree, f, kustomize)]
    if manifests:
        _add(result, tree, _kubernetes(manifests, options))
    modules = [tree / m for m in sorted(units.terraform_modules) if (tree / m).is_dir()]
    if modules:
        from tools.terraform.validate import validate_terraform

        report = validate_terraform(
            modules,
            run_terraform=options.run_terraform,
            terraform_binary=options.terraform_binary,
            terraform_validate=False,
        )
        report.findings = [f for f in report.findings if f.id not in options.ignored_policies]
        _add(result, tree, report)
    for compose in sorted(units.compose_files):
        if (tree / compose).is_file():
            _add(result, tree, _compose(tree / compose, compose))
    for folder in sorted(units.kustomizations):
        _kustomization(result, tree, folder, kustomize, options)
    for chart in sorted(units.charts):
        _chart(result, tree, chart, options)
    return result


def _kubernetes(paths: list[Path], options: ReviewOptions) -> ValidationReport:
    from tools.k8s.validate import validate_k8s

    return validate_k8s(paths, **_k8s_settings(options))


def _kubernetes_text(text: str, label: str, options: ReviewOptions) -> ValidationReport:
    from tools.k8s.validate import validate_k8s_text

    return validate_k8s_text(text, label=label, **_k8s_settings(options))


def _k8s_settings(options: ReviewOptions) -> dict[str, Any]:
    """The Kubernetes validation settings of a review, as validate_k8s takes them."""
    return {
        "kubernetes_version": options.kubernetes_version,
        "strict": options.strict,
        "crds": options.crds,
        "schema_locations": options.schema_locations,
        "ignore_missing_schemas": options.ignore_missing_schemas,
        "ignored_policies": options.ignored_policies,
    }


def _compose(path: Path, label: str) -> ValidationReport:
    from tools.compose.validate import validate_compose_text

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        report = ValidationReport(target="compose")
        report.notes.append(f"{label}: not read ({type(err).__name__})")
        return report
    return validate_compose_text(text, label=label)


def _kustomization(
    result: TreeResult, tree: Path, folder: str, index: KustomizeIndex, options: ReviewOptions
) -> None:
    shown = folder or "."
    if folder in index.remote:
        result.notes.append(f"{shown}: kustomization with remote resources not rendered (offline)")
        return
    if folder in index.unreadable:
        result.notes.append(f"{shown}: kustomization not read: {index.unreadable[folder]}")
        return
    argv = ["kubectl", "kustomize", str(tree / folder)]
    rendered = _render(result, tree, argv, f"{shown}: kustomization", options)
    if rendered is not None:
        _add_rendered(
            result,
            rendered,
            f"{shown} (kustomize)",
            options,
            lambda finding: place_kustomize_output(tree, folder, index, finding),
        )


def _chart(result: TreeResult, tree: Path, chart: str, options: ReviewOptions) -> None:
    argv = ["helm", "template", "shipmate-review", str(tree / chart)]
    rendered = _render(result, tree, argv, f"{chart}: Helm chart", options)
    if rendered is not None:
        _add_rendered(
            result,
            rendered,
            f"{chart} (helm template)",
            options,
            lambda finding: place_helm_output(rendered, chart, finding),
        )


def _render(result: TreeResult, tree: Path, argv: list[str], what: str, options: ReviewOptions) -> str | None:
    """The output of an allowlisted render command; None, with a note saying why, when it fails."""
    rendered = run_command(argv, timeout=options.render_timeout)
    if rendered.status == "ok":
        return rendered.stdout
    why = rendered.reason or (rendered.stderr.strip().splitlines() or ["failed"])[-1]
    result.notes.append(_relative_text(tree, f"{what} not rendered: {why}"))
    return None


def _add_rendered(
    result: TreeResult,
    rendered: str,
    label: str,
    options: ReviewOptions,
    place: Callable[[Finding], tuple[str | None, int | None]],
) -> None:
    """Validate rendered manifests and place each finding back in the source files."""
    report = _kubernetes_text(rendered, label, options)
    result.invalid_objects += report.counts.invalid + report.counts.errors
    result.notes.extend(report.notes)
    for finding in report.findings:
        path, line = place(finding)
        result.located.append(Located(finding, path, line))


def _add(result: TreeResult, tree: Path, report: ValidationReport) -> None:
    """Add a report's findings with their evidence paths made relative to `tree`."""
    result.invalid_objects += report.counts.invalid + report.counts.errors
    result.notes.extend(_relative_text(tree, note) for note in report.notes)
    for finding in report.findings:
        if not finding.evidence:
            result.located.append(Located(finding, None, None))
            continue
        where = finding.evidence[0]
        path = relative_path(tree, where.source)
        evidence = [e.model_copy(update={"source": relative_path(tree, e.source)}) for e in finding.evidence]
        result.located.append(Located(finding.model_copy(update={"evidence": evidence}), path, where.line))


def relative_path(tree: Path, source: str) -> str:
    """`source` relative to `tree` as a POSIX path when it lies inside it; else unchanged."""
    candidate = Path(source)
    if not candidate.is_absolute():
        return source
    try:
        return candidate.resolve().relative_to(tree.resolve()).as_posix()
    except ValueError:
        return source


def _relative_text(tree: Path, note: str) -> str:
    prefix = str(tree.resolve()) + "/"
    return note.replace(prefix, "").replace(str(tree) + "/", "")
