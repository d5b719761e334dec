"""`validate_k8s`: schema and policy validation of Kubernetes manifests, streamed.

Objects are read one at a time, checked against their schema and the per-object
policies, and dropped; only the small facts the set-wide checks need are kept, so
memory stays flat however big the input is.
"""

from __future__ import annotations

import io
import time
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from tools.findings import Finding
from tools.k8s.crds import crd_schemas
from tools.k8s.manifests import STDIN, Manifest, manifest_files, read_manifests
from tools.k8s.policies import PolicyOptions, SetChecks, object_findings
from tools.k8s.schema_check import check_schema
from tools.k8s.schemas import SchemaSet, resolve_version
from tools.validation.report import ResourceResult, ResourceStatus, ValidationReport


def validate_k8s(
    paths: Sequence[str | Path],
    *,
    kubernetes_version: str | None = None,
    strict: bool = False,
    crds: Sequence[str | Path] = (),
    schema_locations: Sequence[str | Path] = (),
    ignore_missing_schemas: bool = False,
    policies: bool = True,
    ignored_policies: Sequence[str] = (),
    stdin: IO[bytes] | None = None,
    stdin_label: str = "stdin",
) -> ValidationReport:
    """Validate every object in `paths` (files, folders, `-` for stdin); findings most severe first."""
    started = time.perf_counter()
    version = resolve_version(kubernetes_version)
    schemas = SchemaSet(
        version=version,
        strict=strict,
        folders=[Path(p) for p in schema_locations],
        crd_schemas=crd_schemas(m for f in manifest_files(crds) for m in read_manifests(f.path)),
    )
    options = PolicyOptions(kubernetes_version=version, ignored=frozenset(ignored_policies))
    report = ValidationReport(target="kubernetes")
    set_checks = SetChecks()
    not_objects = 0
    for source in manifest_files(paths, report.notes):
        report.counts.files += 1
        for manifest in read_manifests(source.path, stdin, stdin_label):
            if not source.explicit and _not_kubernetes(manifest):
                not_objects += 1
                continue
            status, messages, findings = check_schema(manifest, schemas, ignore_missing_schemas)
            report.counts.add(status)
            report.findings.extend(findings)
            if status is not ResourceStatus.VALID:
                report.results.append(
                    ResourceResult(
                        source=manifest.source,
                        line=manifest.line,
                        resource=manifest.label(),
                        status=status,
                        messages=messages,
                    )
                )
            if policies and manifest.obj is not None and status is not ResourceStatus.ERROR:
                report.findings.extend(object_findings(manifest, options))
                set_checks.add(manifest)
    if policies:
        report.findings.extend(set_checks.findings(options))
    if not_objects:
        report.notes.append(
            f"{not_objects} YAML documents in folders had neither kind nor apiVersion: not read"
        )
    report.findings.sort(key=_order)
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def validate_k8s_text(text: str, label: str = "proposed.yaml", **options: Any) -> ValidationReport:
    """Validate manifests held in memory (generated or proposed content); findings cite `label`."""
    stream = io.BufferedReader(io.BytesIO(text.encode("utf-8")))
    return validate_k8s([STDIN], stdin=stream, stdin_label=label, **options)


def _not_kubernetes(manifest: Manifest) -> bool:
    """A document found by walking a folder that is plainly something else (values.yaml, CI config)."""
    obj = manifest.obj
    return obj is not None and "kind" not in obj and "apiVersion" not in obj


def _order(finding: Finding) -> tuple[int, str, int]:
    """Most severe first, then by file and line."""
    first = finding.evidence[0] if finding.evidence else None
    return (-finding.severity.rank, first.source if first else "", first.line if first else 0)
