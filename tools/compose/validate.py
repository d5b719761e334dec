"""`validate_compose_text`: a Compose or Swarm stack file against the Compose Specification, then checks.

The text is read with shipmate's safe YAML reader (line of every key, duplicate keys
reported, YAML bombs refused), checked against the specification's JSON schema with
jsonschema-rs (`tools.compose.schema`), for references to networks, volumes, secrets
and configs it never defines, and for the security and reliability problems in
`tools.compose.checks` (privileged, the Docker socket, host namespaces, root, writable
root filesystem, capabilities, limits, health checks, unpinned images, inline secrets).

Every service is one resource of the report: valid, or invalid with messages that name
the service and the field. Problems outside the services (top-level keys, networks,
volumes) make the file's top level one more, invalid, resource. A text that cannot be
read at all (not YAML, a YAML bomb, not a mapping, empty, no services) is one resource in
error.
"""

from __future__ import annotations

import time
from collections import defaultdict
from typing import Any

from tools.compose.catalogue import CHECKS
from tools.compose.checks import Hit, Path, service_hits, undefined_references
from tools.compose.schema import SchemaError, schema_errors
from tools.findings import Finding
from tools.k8s.manifests import Manifest
from tools.k8s.policies.pods import dotted
from tools.k8s.yaml_stream import YamlProblem, documents
from tools.terraform.finding_factory import FindingFactory
from tools.validation.report import ResourceResult, ResourceStatus, ValidationReport

TOP_LEVEL = "(top level)"


def validate_compose_text(text: str, label: str) -> ValidationReport:
    """Validate the Compose file `text` (shown as `label`); findings most severe first."""
    started = time.perf_counter()
    report = ValidationReport(target="compose")
    report.counts.files = 1
    _Run(text, label, report).check()
    report.findings.sort(key=lambda f: (-f.severity.rank, f.evidence[0].line if f.evidence else 0))
    report.seconds = round(time.perf_counter() - started, 3)
    return report


class _Run:
    """One file's validation: reading, schema, references and checks, into `report`."""

    def __init__(self, text: str, label: str, report: ValidationReport) -> None:
        self.text = text
        self.label = label
        self.report = report
        self.lines = text.splitlines()
        self.factory = FindingFactory()
        self.file = Manifest(label, 1)  # the document, for the line of any field path
        self.duplicates: list[tuple[Path, int]] = []

    def check(self) -> None:
        value = self._read()
        if value is None:
            return
        services = value.get("services")
        if services is None or services == {}:
            line = self.file.line_of(("services",))
            self._unreadable("no services: a Compose file defines at least one under `services:`", line)
            return
        if not isinstance(services, dict):
            services = {}  # the schema says what is wrong with it
        problems: dict[str, list[str]] = defaultdict(list)  # resource -> messages
        for error in schema_errors(value):
            self._schema_problem(error, problems)
        for name, service in services.items():
            if not isinstance(service, dict):
                continue
            for hit in undefined_references(name, service, value):
                problems[_resource(hit.path)].append(f"{dotted(hit.path)}: {hit.text}")
                self._add(hit, _resource(hit.path))
            for hit in service_hits(name, service):
                self._add(hit, _resource(hit.path))
        for path, line in self.duplicates:
            message = f"duplicate key {dotted(path)}: only the last value counts"
            self.report.findings.append(
                self._finding("COMPOSE_DUPLICATE_KEY", message, line, _resource(path), dotted(path))
            )
        for name in services:
            self._count(f"service/{name}", problems.pop(f"service/{name}", []), ("services", name))
        if problems:
            self._count(TOP_LEVEL, [m for messages in problems.values() for m in messages], ())

    def _read(self) -> dict[str, Any] | None:
        try:
            found = [d for d in documents(self.text) if d.value is not None]
        except YamlProblem as problem:
            where = f"line {problem.line}" + (f", column {problem.column}" if problem.column else "")
            self._unreadable(f"not valid YAML: {problem.message} ({where})", problem.line)
            return None
        if not found:
            self._unreadable("empty: no Compose file (only blank lines or comments)", 1)
            return None
        if len(found) > 1:
            self._unreadable(
                f"{len(found)} YAML documents: a Compose file is one (split it into files and pass "
                "each with -f)",
                found[1].line,
            )
            return None
        document = found[0]
        if not isinstance(document.value, dict):
            shape = "a list" if isinstance(document.value, list) else "a single value"
            self._unreadable(f"not a Compose file: the document is {shape}, not a mapping", document.line)
            return None
        self.duplicates = [(tuple(path), line) for path, line in document.duplicates]
        self.file = Manifest(self.label, document.line, document.value, lines=document.lines)
        return document.value

    def _unreadable(self, message: str, line: int) -> None:
        self.report.counts.add(ResourceStatus.ERROR)
        self.report.results.append(
            ResourceResult(
                source=self.label,
                line=line,
                resource=TOP_LEVEL,
                status=ResourceStatus.ERROR,
                messages=[message],
            )
        )
        self.report.findings.append(self._finding("COMPOSE_PARSE", message, line, TOP_LEVEL, None))

    def _schema_problem(self, error: SchemaError, problems: dict[str, list[str]]) -> None:
        where = dotted(error.path) or "(the file)"
        message = f"{where}: {error.message}"
        resource = _resource(error.path)
        problems[resource].append(message)
        line = self.file.line_of(error.path)
        self.report.findings.append(
            self._finding("COMPOSE_SCHEMA", message, line, resource, dotted(error.path) or None)
        )

    def _count(self, resource: str, messages: list[str], path: Path) -> None:
        status = ResourceStatus.INVALID if messages else ResourceStatus.VALID
        self.report.counts.add(status)
        if messages:
            self.report.results.append(
                ResourceResult(
                    source=self.label,
                    line=self.file.line_of(path),
                    resource=resource,
                    status=status,
                    messages=messages,
                )
            )

    def _add(self, hit: Hit, resource: str) -> None:
        line = self.file.line_of(hit.path)
        self.report.findings.append(
            self._finding(hit.check, hit.text, line, resource, dotted(hit.path), hit.confidence)
        )

    def _finding(
        self,
        check: str,
        message: str,
        line: int,
        resource: str,
        field_path: str | None,
        confidence: float = 1.0,
    ) -> Finding:
        quoted = self.lines[line - 1].strip() if 0 < line <= len(self.lines) else ""
        return self.factory.make(
            CHECKS[check],
            message=message,
            source=self.label,
            line=line,
            resource=resource,
            field_path=field_path,
            extra_evidence=[(self.label, line, quoted or message)],
            confidence=confidence,
        )


def _resource(path: Path) -> str:
    """`service/web` for a path inside a service, else the file's top level."""
    if len(path) >= 2 and path[0] == "services" and isinstance(path[1], str):
        return f"service/{path[1]}"
    return TOP_LEVEL
