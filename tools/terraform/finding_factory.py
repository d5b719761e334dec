"""Build `Finding`s for Terraform checks: evidence lines quoted (secrets masked), references linked."""

from __future__ import annotations

from tools.findings import Evidence, Finding, Reference, Severity
from tools.redaction.secrets import Redactor
from tools.terraform.catalogue import CatalogueEntry
from tools.terraform.model import Module

_MAX_EVIDENCE = 240


class FindingFactory:
    """Makes findings for one run; one redactor remembers secrets across all of them."""

    def __init__(self) -> None:
        self._redactor = Redactor()

    def quote(self, text: str) -> str:
        """A line as it may be shown: secrets masked, long lines shortened."""
        text = self._redactor.redact(text.rstrip("\n"))
        return text if len(text) <= _MAX_EVIDENCE else text[: _MAX_EVIDENCE - 3] + "..."

    def make(
        self,
        entry: CatalogueEntry,
        *,
        message: str,
        source: str,
        line: int,
        module: Module | None = None,
        resource: str | None = None,
        field_path: str | None = None,
        extra_evidence: list[tuple[str, int, str]] | None = None,
        severity: Severity | None = None,
        confidence: float = 0.9,
    ) -> Finding:
        """A finding for `entry` at `source:line`, quoting that line when the module has it."""
        evidence: list[Evidence] = []
        text = module.line_text(source, line) if module is not None else ""
        if text.strip():
            evidence.append(Evidence(source=source, line=max(1, line), text=self.quote(text.strip())))
        for where, at, quoted in extra_evidence or []:
            evidence.append(Evidence(source=where, line=max(1, at), text=self.quote(quoted)))
        detail = f"{message}." if message else ""
        return Finding(
            id=entry.id,
            category=entry.id,
            # a policy's title says it all beside the resource; a syntax or reference problem needs its detail
            title=message if message and entry.engine == "schema" else entry.title,
            severity=severity or entry.severity,
            evidence=evidence,
            explanation=f"{detail} {entry.rationale}".strip(),
            fix=entry.fix,
            references=[Reference(title=entry.title, path=entry.docs_url)],
            confidence=confidence,
            engine=entry.engine,
            resource=resource,
            field_path=field_path,
            notes=[] if evidence else [f"{source}:{line}"],
        )
