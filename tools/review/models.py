"""The result of `shipmate review`: the JSON contract PR bots and CI read (docs/review.md)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from tools.findings import Finding, Severity

SCHEMA_VERSION = "1"

FileKind = Literal["kubernetes", "helm", "kustomize", "terraform", "compose", "other"]
ChangeStatus = Literal["added", "modified", "deleted", "renamed"]


class ChangedFile(BaseModel):
    """One file the change touches, with the head-side lines it added or changed."""

    path: str = Field(description="Repository-relative POSIX path at head (at base for deleted files).")
    old_path: str | None = Field(default=None, description="The path at base, for renamed files.")
    status: ChangeStatus
    kind: FileKind
    changed_lines: list[int] = Field(
        default_factory=list, description="Head line numbers added or changed, ascending."
    )
    binary: bool = False


class Suggestion(BaseModel):
    """A mechanical fix as a replacement of head lines start..end (a GitHub suggestion block)."""

    start_line: int = Field(ge=1)
    end_line: int = Field(ge=1)
    replacement: str = Field(description="The new text of those lines, ending with a newline.")


class ReviewFinding(BaseModel):
    """A finding placed in the change: its file and line at head, and whether the change made it."""

    finding: Finding
    path: str | None = Field(default=None, description="Repository-relative file at head.")
    line: int | None = Field(default=None, ge=1, description="Line in that file at head.")
    status: Literal["new", "existing"] = Field(
        description="'new' when the base did not have it; 'existing' when it was there before."
    )
    on_changed_line: bool = Field(description="True when `line` is one the change added or changed.")
    suggestion: Suggestion | None = None


class FixedFinding(BaseModel):
    """A finding the base had and the head no longer has."""

    id: str
    title: str
    severity: Severity
    path: str | None = None
    resource: str | None = None


class GeneratedManifests(BaseModel):
    """Manifests generated for a service the change adds without any (a starting point, validated)."""

    service: str = Field(description="Folder of the service, e.g. services/billing.")
    reason: str
    blueprint: str
    parameters: dict[str, str] = Field(default_factory=dict)
    files: dict[str, str] = Field(default_factory=dict, description="File name -> content.")
    problems: int = Field(0, description="Validation problems of the generated files (0 when clean).")


class ModelSummary(BaseModel):
    """A model's summary of the review (only with --explain and a model configured)."""

    model: str
    text: str = Field(description="The summary, links guarded; the model saw only the findings.")
    tokens: int = 0
    cost_usd: float = 0.0


class ReviewCounts(BaseModel):
    """Totals for the summary table."""

    files_changed: int = 0
    files_reviewed: int = 0
    new: int = 0
    existing: int = 0
    fixed: int = 0
    invalid_objects: int = 0


class ReviewReport(BaseModel):
    """Everything `shipmate review` found in one change (base...head)."""

    schema_version: str = SCHEMA_VERSION
    tool: str = "shipmate review"
    repository: str = Field(description="The repository folder reviewed.")
    base: str = Field(description="Commit the change is compared against (the merge base).")
    head: str = Field(description="Commit reviewed.")
    files: list[ChangedFile] = Field(default_factory=list)
    findings: list[ReviewFinding] = Field(default_factory=list, description="Most severe first.")
    fixed: list[FixedFinding] = Field(default_factory=list)
    generated: list[GeneratedManifests] = Field(default_factory=list)
    counts: ReviewCounts = Field(default_factory=ReviewCounts)
    summary: ModelSummary | None = Field(default=None, description="With --explain: the model's summary.")
    notes: list[str] = Field(
        default_factory=list, description="Skipped files, missing tools and other remarks."
    )
    seconds: float = 0.0

    def failed(self, threshold: Severity) -> bool:
        """True when the change brings a finding at least `threshold` severe (existing ones do not count)."""
        return any(rf.status == "new" and rf.finding.severity.at_least(threshold) for rf in self.findings)
