"""Schema validation of one Kubernetes object: kubeconform's four outcomes, with findings on lines."""

from __future__ import annotations

from typing import Any

from tools.findings import Evidence, Finding, Reference, Severity
from tools.k8s.manifests import Manifest
from tools.k8s.schemas import SchemaSet
from tools.validation.report import ResourceStatus

API_REFERENCE = "https://kubernetes.io/docs/reference/kubernetes-api/"
MAX_ERRORS_PER_OBJECT = 20


def check_schema(
    manifest: Manifest, schemas: SchemaSet, ignore_missing: bool = False
) -> tuple[ResourceStatus, list[str], list[Finding]]:
    """The object's status, the messages behind it, and a finding per problem."""
    if manifest.error is not None:
        return _failed(manifest, "K8S_PARSE", manifest.error)
    if not manifest.kind:
        return _failed(manifest, "K8S_MISSING_KIND", "missing 'kind' key")
    if not manifest.api_version:
        return _failed(manifest, "K8S_MISSING_API_VERSION", "missing 'apiVersion' key")
    validator = schemas.validator(manifest.api_version, manifest.kind)
    if validator is None:
        message = (
            f"no schema known for {manifest.kind} ({manifest.api_version}) in Kubernetes {schemas.version}"
        )
        if ignore_missing:
            return ResourceStatus.SKIPPED, [message], []
        hint = "; give its CRD (--crd) or a schema folder (--schema-location), or --ignore-missing-schemas"
        return _failed(manifest, "K8S_NO_SCHEMA", message + hint)
    findings: list[Finding] = []
    messages: list[str] = []
    if schemas.strict:
        for dotted, line in manifest.duplicates:
            message = f"duplicate key {dotted} (strict mode refuses it)"
            messages.append(message)
            findings.append(_finding(manifest, "K8S_DUPLICATE_KEY", message, line, dotted, Severity.HIGH))
    if not validator.is_valid(manifest.obj):
        for error in _errors(validator, manifest.obj):
            path = list(error.instance_path)
            message = _message(error, path)
            messages.append(message)
            findings.append(
                _finding(
                    manifest, "K8S_SCHEMA", message, manifest.line_of(path), _dotted(path), Severity.HIGH
                )
            )
    if not schemas.strict:
        for dotted, line in manifest.duplicates:
            message = f"duplicate key {dotted}: only the last value counts"
            findings.append(_finding(manifest, "K8S_DUPLICATE_KEY", message, line, dotted, Severity.LOW))
    status = ResourceStatus.INVALID if messages else ResourceStatus.VALID
    return status, messages, findings


def _errors(validator: Any, obj: Any) -> list[Any]:
    errors = []
    for error in validator.iter_errors(obj):
        errors.append(error)
        if len(errors) >= MAX_ERRORS_PER_OBJECT:
            break
    return errors


def _message(error: Any, path: list[Any]) -> str:
    where = _dotted(path) or "(the object)"
    return f"{where}: {error.message}"


def _failed(manifest: Manifest, rule: str, message: str) -> tuple[ResourceStatus, list[str], list[Finding]]:
    finding = _finding(manifest, rule, message, manifest.line, None, Severity.HIGH)
    return ResourceStatus.ERROR, [message], [finding]


def _finding(
    manifest: Manifest, rule: str, message: str, line: int, path: str | None, severity: Severity
) -> Finding:
    return Finding(
        id=rule,
        category=rule,
        title=message,
        severity=severity,
        evidence=[Evidence(source=manifest.source, line=max(line, 1), text=message)],
        explanation=_EXPLANATIONS[rule],
        fix=_FIXES[rule],
        references=[Reference(title="Kubernetes API reference", path=API_REFERENCE)],
        confidence=1.0,
        engine="schema",
        resource=manifest.label(),
        field_path=path,
    )


def _dotted(path: list[Any]) -> str:
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text


_EXPLANATIONS = {
    "K8S_PARSE": "The document is not valid YAML or JSON, so no tool (kubectl included) can read it.",
    "K8S_MISSING_KIND": "Every Kubernetes object names its kind; without it the API server refuses it.",
    "K8S_MISSING_API_VERSION": "Every Kubernetes object names its apiVersion; without it the API server "
    "refuses it.",
    "K8S_NO_SCHEMA": "No schema is known for this kind, so its fields cannot be checked.",
    "K8S_SCHEMA": "The object breaks the official schema of its kind: the API server would refuse it.",
    "K8S_DUPLICATE_KEY": "YAML forbids a key twice in one mapping; parsers keep only the last value, "
    "so the first is silently lost.",
}
_FIXES = {
    "K8S_PARSE": "Fix the YAML at the line shown (indentation with spaces, no tabs; balanced brackets).",
    "K8S_MISSING_KIND": "Add `kind:` (Deployment, Service, ...).",
    "K8S_MISSING_API_VERSION": "Add `apiVersion:` (apps/v1 for a Deployment, v1 for a Service, ...).",
    "K8S_NO_SCHEMA": "Pass the CustomResourceDefinition with --crd, or a folder of JSON schemas with "
    "--schema-location; or --ignore-missing-schemas to skip such kinds.",
    "K8S_SCHEMA": "Correct the field at the line shown; `kubectl explain <kind>.<field>` shows the "
    "expected type.",
    "K8S_DUPLICATE_KEY": "Keep one of the two keys (merge their contents if both were meant).",
}
