"""The blueprints shipmate knows, and `generate_blueprint`: render, then validate what was rendered.

Blueprints live in modules named `k8s_*`, `tf_*` and `compose_*` in this package; each
exports `BLUEPRINTS`, a tuple of `Blueprint`. Generated Kubernetes is validated with the
schemas (plus the custom resource definitions in `crds/`) and every policy; Terraform
with shipmate's HCL reader and policies and the real binary's `fmt`; Compose files with
the Compose specification's schema and its checks.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from tools.blueprints.model import Blueprint, GeneratedFile
from tools.errors import InputError
from tools.validation.report import ValidationReport

_PREFIXES = ("k8s_", "tf_", "compose_")


@cache
def all_blueprints() -> dict[str, Blueprint]:
    """Every blueprint by name, from the `k8s_*`, `tf_*` and `compose_*` modules of this package."""
    found: dict[str, Blueprint] = {}
    package = importlib.import_module(__package__ or "tools.blueprints")
    for module_info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if not module_info.name.startswith(_PREFIXES):
            continue
        module = importlib.import_module(f"{__package__}.{module_info.name}")
        for blueprint in getattr(module, "BLUEPRINTS", ()):
            if blueprint.name in found:
                raise RuntimeError(f"two blueprints are named {blueprint.name}")
            found[blueprint.name] = blueprint
    return found


@dataclass(frozen=True)
class Generated:
    """Rendered files, the parameters used, and the validation of the result."""

    blueprint: str
    parameters: dict[str, Any]
    files: list[GeneratedFile]
    validation: ValidationReport


def blueprint(name: str) -> Blueprint:
    """The blueprint `name`, or a clear error listing the ones there are."""
    known = all_blueprints()
    if name not in known:
        raise InputError("blueprint", f"{name!r} is not one of: {', '.join(sorted(known))}")
    return known[name]


def generate_blueprint(name: str, parameters: Mapping[str, Any]) -> Generated:
    """Render blueprint `name` with `parameters` and validate the result (for the CLI and the agent)."""
    chosen = blueprint(name)
    values = chosen.resolve(parameters)
    files = chosen.render(values)
    return Generated(chosen.name, values, files, validate_files(chosen.target, files))


def validate_files(target: str, files: list[GeneratedFile]) -> ValidationReport:
    """Validate generated `files` for `target` (kubernetes, terraform, compose); findings cite their paths."""
    if target == "kubernetes":
        return validate_k8s_files(files)
    if target == "terraform":
        return validate_terraform_files(files)
    if target == "compose":
        from tools.compose.validate import validate_compose_text

        report = ValidationReport(target="compose")
        for generated in files:
            report.merge(validate_compose_text(generated.text, label=generated.path))
        return report
    raise InputError("target", f"{target!r} is not kubernetes, terraform or compose")


def validate_k8s_files(files: list[GeneratedFile]) -> ValidationReport:
    """Kubernetes schemas (with the bundled CRDs) and every policy, over all files as one set."""
    from tools.k8s.validate import validate_k8s_text

    report = ValidationReport(target="kubernetes")
    crds = bundled_crds()
    for generated in files:
        if generated.path.endswith((".yaml", ".yml")) and not _is_kustomization(generated.path):
            report.merge(validate_k8s_text(generated.text, label=generated.path, crds=crds))
    return report


@cache
def bundled_crds() -> list[str]:
    """Paths of the CustomResourceDefinitions shipped in `tools/blueprints/crds/` (KServe, OpenShift)."""
    folder = Path(str(resources.files("tools.blueprints").joinpath("crds")))
    return sorted(str(p) for p in folder.glob("*.yaml"))


def _is_kustomization(path: str) -> bool:
    return Path(path).name in ("kustomization.yaml", "kustomization.yml")


def validate_terraform_files(files: list[GeneratedFile]) -> ValidationReport:
    """shipmate's HCL reading and policies plus `terraform fmt`, on the files in a scratch folder.

    `terraform validate` is not run: it needs `terraform init`, which downloads providers.
    """
    from tools.terraform.validate import validate_terraform

    with tempfile.TemporaryDirectory(prefix="shipmate-generate-") as scratch:
        root = Path(scratch)
        folders: set[Path] = set()
        for generated in files:
            path = root / generated.path
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(generated.text, encoding="utf-8")
            if path.suffix == ".tf":
                folders.add(path.parent)
        report = validate_terraform(sorted(folders), terraform_validate=False)
        prefix = json.dumps(str(root) + "/")[1:-1]
        return ValidationReport.model_validate_json(report.model_dump_json().replace(prefix, ""))


def blocking_problems(report: ValidationReport, limit: int = 20) -> list[str]:
    """What stops generated files from being proposed: invalid or unreadable objects, high findings.

    One line each, `path:line: what`, the first `limit` of them.
    """
    from tools.findings import Severity
    from tools.validation.report import ResourceStatus

    problems = [
        f"{r.source}:{r.line}: {r.resource}: {'; '.join(r.messages)}"
        for r in report.results
        if r.status in (ResourceStatus.INVALID, ResourceStatus.ERROR)
    ]
    for finding in report.findings:
        if finding.severity.at_least(Severity.HIGH):
            where = f"{finding.evidence[0].source}:{finding.evidence[0].line}" if finding.evidence else "-"
            text = f"{where}: {finding.id} ({finding.severity.value}) {finding.title}"
            if finding.field_path:
                text += f" at {finding.field_path}"
            if finding.fix:
                text += f"; fix: {' '.join(finding.fix.split())[:160]}"
            problems.append(text)
    return problems[:limit]


def generate_from_ask(
    target: str, ask: str, blueprint_name: str | None = None, overrides: Mapping[str, Any] | None = None
) -> Generated:
    """The offline path of `shipmate generate` and the TUI's `/generate`: the ask's blueprint (or the one
    named) with `overrides` on top, rendered, and refused unless it validates clean."""
    from tools.blueprints.intent import parse_intent

    parsed = parse_intent(target, ask, blueprint_name)
    parsed.parameters.update(overrides or {})
    generated = generate_blueprint(parsed.blueprint, parsed.parameters)
    problems = blocking_problems(generated.validation, limit=3)
    if problems:
        raise InputError(
            generated.blueprint, f"the rendered files do not validate clean: {'; '.join(problems)}"
        )
    return generated


def summary(generated: Generated) -> str:
    """One line: the blueprint, its parameters, files, objects and findings."""
    shown = ", ".join(f"{k}={v}" for k, v in generated.parameters.items() if v not in (None, ""))
    report = generated.validation
    return (
        f"{generated.blueprint} with {shown}: {len(generated.files)} files, "
        f"{report.counts.resources} objects, valid, {len(report.findings)} findings"
    )


def default_folder(generated: Generated) -> Path:
    """Where generated files go unless told: a folder named after a Terraform module, else `.`."""
    return Path(generated.blueprint if blueprint(generated.blueprint).target == "terraform" else ".")
