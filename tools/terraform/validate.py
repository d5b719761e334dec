"""`validate_terraform`: the Terraform half of `shipmate validate`, for the CLI and the agent."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from tools.findings import Evidence, Finding, Severity
from tools.terraform.catalogue import SCHEMA_CHECKS, CatalogueEntry, policy_catalogue, policy_entry
from tools.terraform.finding_factory import FindingFactory
from tools.terraform.model import Module
from tools.validation.report import ResourceResult, ResourceStatus, ValidationReport

__all__ = ["policy_catalogue", "validate_terraform"]

# Schema problems that make Terraform itself reject the block: the block counts as invalid.
_BLOCKING = {
    "TF_UNDECLARED_VARIABLE",
    "TF_UNDECLARED_LOCAL",
    "TF_UNDECLARED_MODULE",
    "TF_UNDECLARED_DATA",
    "TF_UNDECLARED_RESOURCE",
    "TF_DUPLICATE_DECLARATION",
}
_MAX_DIFF_LINES = 40


def validate_terraform(
    paths: Sequence[Path],
    *,
    run_terraform: bool = True,
    external: Sequence[str] = (),
    terraform_binary: str | None = None,
    terraform_validate: bool = True,
) -> ValidationReport:
    """Validate Terraform modules, `.tf` files and `.tfvars` files; findings most severe first.

    Runs shipmate's own reference checks and policies, then (when `run_terraform` and a
    `terraform`/`tofu` binary is found) `fmt -check` and (unless not `terraform_validate`) `init` and
    `validate` on a temporary copy, then each
    named external scanner (`checkov`, `tflint`, `conftest`) that is installed.  Raises
    `tools.errors.InputError` when a named path cannot be used at all.
    """
    from tools.terraform.loading import load
    from tools.terraform.terraform_cli import find_binary

    started = time.perf_counter()
    loaded = load(paths)
    report = ValidationReport(target="terraform")
    report.counts.files = loaded.files
    for error in loaded.errors:
        report.results.append(error)
        report.counts.add(ResourceStatus.ERROR)
    report.notes.extend(loaded.notes)
    factory = FindingFactory()
    binary = find_binary(terraform_binary) if run_terraform else None
    if run_terraform and binary is None:
        wanted = f"{terraform_binary!r} was not found" if terraform_binary else "no terraform or tofu on PATH"
        report.notes.append(f"terraform fmt and validate skipped: {wanted}")
    for module in loaded.modules:
        _check_module(module, report, factory)
        if binary is not None:
            _run_cli(module, binary, report, factory, validate=terraform_validate)
        for tool in external:
            from tools.terraform.external import run_external

            found, notes = run_external(tool, module.directory)
            report.findings.extend(found)
            report.notes.extend(notes)
    report.findings.sort(key=lambda f: (-f.severity.rank, *_position(f), f.id))
    report.notes = list(dict.fromkeys(report.notes))
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def _position(finding: Finding) -> tuple[str, int]:
    if finding.evidence:
        return finding.evidence[0].source, finding.evidence[0].line
    return "", 0


def _check_module(module: Module, report: ValidationReport, factory: FindingFactory) -> None:
    from tools.terraform.policies.registry import run_policies
    from tools.terraform.references import check_duplicates, check_providers, check_references

    blocking: dict[str, list[str]] = {}
    for problem in [*check_duplicates(module), *check_references(module), *check_providers(module)]:
        if problem.source not in module.focus:
            continue
        entry = SCHEMA_CHECKS[problem.check_id]
        report.findings.append(
            factory.make(
                entry,
                message=problem.message,
                source=problem.source,
                line=problem.line,
                module=module,
                resource=problem.resource,
                field_path=problem.field_path,
                confidence=0.95,
            )
        )
        if problem.check_id in _BLOCKING and problem.resource:
            blocking.setdefault(problem.resource, []).append(problem.message)
    entries: dict[str, CatalogueEntry] = {}
    for policy, block, violation in run_policies(module):
        if block.source not in module.focus:
            continue
        entry = entries.setdefault(policy.id, policy_entry(policy))
        report.findings.append(
            factory.make(
                entry,
                message=violation.message,
                source=block.source,
                line=violation.line,
                module=module,
                resource=block.address,
                field_path=violation.field_path,
            )
        )
    for block in module.blocks:
        if block.type not in ("resource", "data") or block.source not in module.focus:
            continue
        messages = blocking.get(block.address)
        if messages:
            report.results.append(
                ResourceResult(
                    source=block.source,
                    line=block.line,
                    resource=block.address,
                    status=ResourceStatus.INVALID,
                    messages=messages,
                )
            )
            report.counts.add(ResourceStatus.INVALID)
        else:
            report.counts.add(ResourceStatus.VALID)


def _run_cli(
    module: Module, binary: str, report: ValidationReport, factory: FindingFactory, *, validate: bool
) -> None:
    from tools.terraform.terraform_cli import run_terraform as run_binary

    result = run_binary(module, binary, validate=validate)
    report.notes.extend(result.notes)
    fmt_entry = SCHEMA_CHECKS["TF_FMT"]
    for problem in result.fmt:
        shown = problem.diff[:_MAX_DIFF_LINES]
        diff = [(problem.source, problem.line, text) for text in shown if text.strip()]
        finding = factory.make(
            fmt_entry,
            message="terraform fmt would change this file",
            source=problem.source,
            line=problem.line,
            extra_evidence=diff,
            confidence=1.0,
        )
        finding.fix = "terraform fmt " + str(Path(problem.source).parent) + "\n\n" + "\n".join(shown)
        report.findings.append(finding)
    validate_entry = SCHEMA_CHECKS["TF_VALIDATE"]
    for diagnostic in result.diagnostics:
        if diagnostic.source not in module.focus and diagnostic.source:
            continue
        severity = Severity.HIGH if diagnostic.severity == "error" else Severity.LOW
        finding = factory.make(
            validate_entry,
            message=f"{diagnostic.summary}: {diagnostic.detail}".strip(": "),
            source=diagnostic.source or str(module.directory),
            line=diagnostic.line,
            module=module,
            severity=severity,
            confidence=1.0,
        )
        finding.title = f"terraform validate: {diagnostic.summary}"
        if not finding.evidence:
            finding.evidence.append(
                Evidence(
                    source=diagnostic.source or str(module.directory),
                    line=max(1, diagnostic.line),
                    text=diagnostic.summary,
                )
            )
        report.findings.append(finding)
