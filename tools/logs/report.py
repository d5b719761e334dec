"""The result of a diagnosis: the public JSON contract of `shipmate diagnose --format json`."""

from __future__ import annotations

from pydantic import BaseModel, Field

from tools.findings import Finding, Severity

SCHEMA_VERSION = "1"


class InputSummary(BaseModel):
    """One input and what was made of it."""

    source: str
    kind: str | None = Field(default=None, description="Detected source kind; null when skipped.")
    lines: int = 0
    bytes: int = Field(default=0, description="Bytes read (after gzip decompression).")
    skipped: str | None = Field(default=None, description="Why the input was skipped (binary, empty).")


class Stats(BaseModel):
    """How much work the diagnosis did."""

    bytes: int
    lines: int
    seconds: float
    signatures: int = Field(description="Signatures in the catalogue that was used.")
    unexplained_templates: int = Field(
        description="Distinct error-like line templates no signature explained."
    )


class DiagnosisReport(BaseModel):
    """Findings ranked root cause first, with what was read to find them."""

    schema_version: str = SCHEMA_VERSION
    tool: str = "shipmate diagnose"
    inputs: list[InputSummary]
    findings: list[Finding] = Field(description="Ranked: the most likely root cause first.")
    notes: list[str] = Field(default_factory=list, description="Skipped inputs and other remarks.")
    stats: Stats

    @property
    def top(self) -> Finding | None:
        """The most likely root cause, if anything was found."""
        return self.findings[0] if self.findings else None

    def worst_severity(self) -> Severity | None:
        """The highest severity among findings that are not mere context."""
        relevant = [f.severity for f in self.findings if f.role != "context"]
        return max(relevant, key=lambda s: s.rank) if relevant else None
