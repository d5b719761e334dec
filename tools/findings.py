"""The one `Finding` model shared by diagnosis, validation, cluster analysis and review.

Everything that reports a problem produces `Finding`s; the renderers in
`assistant.render` turn them into text, Markdown or JSON.  The JSON form is a
public contract (see docs/output-schema.md): fields are only ever added.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Severity(StrEnum):
    """How bad a finding is; ordered from least to most severe."""

    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        """Position in the order info < low < medium < high < critical."""
        return _SEVERITY_ORDER.index(self)

    def at_least(self, other: Severity) -> bool:
        """True when this severity is `other` or worse."""
        return self.rank >= other.rank


_SEVERITY_ORDER = [Severity.INFO, Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL]

Engine = Literal["signature", "mining", "schema", "policy", "llm", "cluster"]


class Evidence(BaseModel):
    """One quoted line that supports a finding."""

    model_config = ConfigDict(frozen=True)

    source: str = Field(description="Input the line comes from: a path, 'stdin', or 'archive.gz'.")
    line: int = Field(ge=1, description="1-based line number in the (decompressed) input.")
    text: str = Field(description="The line as quoted: secrets masked, long lines shortened.")


class Reference(BaseModel):
    """A document that explains the finding further (a runbook, a policy page)."""

    model_config = ConfigDict(frozen=True)

    title: str
    path: str = Field(description="Path of the document inside the shipmate package, or a URL.")
    anchor: str | None = Field(default=None, description="Heading anchor inside the document.")


class Occurrence(BaseModel):
    """How often and when a repeated problem was seen."""

    count: int = Field(ge=1, description="Number of matching lines across all inputs.")
    first_line: int = Field(ge=1)
    last_line: int = Field(ge=1)
    first_seen: str | None = Field(default=None, description="Timestamp text of the first occurrence.")
    last_seen: str | None = Field(default=None, description="Timestamp text of the last occurrence.")
    sources: list[str] = Field(default_factory=list, description="Inputs where it occurred.")


class Finding(BaseModel):
    """A problem found by any engine, with its evidence and its fix."""

    id: str = Field(description="Stable id of what produced it: a signature id, a policy id, 'mined-<n>'.")
    category: str = Field(description="A taxonomy category (diagnosis) or a policy id (validation).")
    title: str
    severity: Severity
    evidence: list[Evidence] = Field(default_factory=list)
    explanation: str = ""
    fix: str = ""
    references: list[Reference] = Field(default_factory=list)
    confidence: float = Field(ge=0.0, le=1.0)
    engine: Engine
    role: Literal["cause", "symptom", "context"] = Field(
        default="cause",
        description="'cause' explains the failure; 'symptom' is a consequence (CrashLoopBackOff, "
        "exit codes); "
        "'context' is a lead that recovered or is unrelated to the failure.",
    )
    occurrence: Occurrence | None = None
    resource: str | None = Field(
        default=None,
        description="Validation: the object or block it concerns (Deployment/web, aws_s3_bucket.logs).",
    )
    field_path: str | None = Field(
        default=None, description="Validation: the field inside it (spec.template.spec.containers[0].image)."
    )
    notes: list[str] = Field(default_factory=list, description="Why it was ranked as it was.")
