"""The result of `shipmate validate`: the JSON contract shared by the Kubernetes and Terraform checks."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field

from tools.findings import Finding, Severity

SCHEMA_VERSION = "1"


class ResourceStatus(StrEnum):
    """What schema validation made of one object (kubeconform's four outcomes)."""

    VALID = "valid"
    INVALID = "invalid"  # parsed, but breaks its schema
    ERROR = "error"  # cannot be validated: unparsable, no kind, no schema known
    SKIPPED = "skipped"  # deliberately not validated (a kind without schema, when told to skip)


class ResourceResult(BaseModel):
    """One object that was not simply valid (valid ones are only counted)."""

    source: str
    line: int = Field(ge=1, description="Line where the object (or the problem) starts.")
    resource: str = Field(description="Kind/name, or the file position when the kind is unknown.")
    status: ResourceStatus
    messages: list[str] = Field(default_factory=list)


class Counts(BaseModel):
    """How many objects ended in each status, and how many files were read."""

    files: int = 0
    resources: int = 0
    valid: int = 0
    invalid: int = 0
    errors: int = 0
    skipped: int = 0

    def add(self, status: ResourceStatus) -> None:
        """Count one object."""
        self.resources += 1
        if status is ResourceStatus.VALID:
            self.valid += 1
        elif status is ResourceStatus.INVALID:
            self.invalid += 1
        elif status is ResourceStatus.ERROR:
            self.errors += 1
        else:
            self.skipped += 1


class ValidationReport(BaseModel):
    """Schema outcomes per object and policy findings, for one validation run."""

    schema_version: str = SCHEMA_VERSION
    tool: str = "shipmate validate"
    target: str = Field(description="kubernetes or terraform.")
    counts: Counts = Field(default_factory=Counts)
    results: list[ResourceResult] = Field(
        default_factory=list, description="Objects that were invalid, in error or skipped."
    )
    findings: list[Finding] = Field(default_factory=list, description="Most severe first.")
    notes: list[str] = Field(
        default_factory=list, description="Skipped files, missing tools and other remarks."
    )
    seconds: float = 0.0

    def failed(self, threshold: Severity) -> bool:
        """True when an object is invalid or in error, or a finding is at least `threshold`."""
        if self.counts.invalid or self.counts.errors:
            return True
        return any(f.severity.at_least(threshold) for f in self.findings)

    def merge(self, other: ValidationReport) -> None:
        """Add another report's counts, results, findings and notes to this one."""
        for name in ("files", "resources", "valid", "invalid", "errors", "skipped"):
            setattr(self.counts, name, getattr(self.counts, name) + getattr(other.counts, name))
        self.results.extend(other.results)
        self.findings.extend(other.findings)
        self.notes.extend(other.notes)
        self.seconds = round(self.seconds + other.seconds, 3)
