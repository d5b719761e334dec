"""What a review posts, independent of the code host: built from a ReviewReport, read by the posters."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

MARKER = "<!-- shipmate-review -->"


class InlineComment(BaseModel):
    """A comment on one head line of a changed file (the RIGHT side of the diff)."""

    path: str
    line: int = Field(ge=1)
    start_line: int | None = Field(default=None, description="First line of a multi-line comment.")
    body: str


class Annotation(BaseModel):
    """A check-run annotation (GitHub allows 50 per request)."""

    path: str
    start_line: int = Field(ge=1)
    end_line: int = Field(ge=1)
    annotation_level: Literal["notice", "warning", "failure"]
    title: str
    message: str


class CheckRunPlan(BaseModel):
    """The check run on the head commit."""

    name: str = "shipmate review"
    conclusion: Literal["success", "failure", "neutral"]
    title: str
    summary: str = Field(description="Markdown, at most 65,535 characters.")
    annotations: list[Annotation] = Field(default_factory=list)


class PostPlan(BaseModel):
    """One review's output for a code host: the sticky summary, inline comments and the check run."""

    head_sha: str
    marker: str = MARKER
    summary: str = Field(description="The sticky comment's Markdown; it contains `marker`.")
    inline: list[InlineComment] = Field(default_factory=list)
    check: CheckRunPlan


class PostResult(BaseModel):
    """What posting did."""

    host: Literal["github", "gitlab"]
    comment_action: Literal["created", "updated", "unchanged"]
    comment_url: str = ""
    inline_posted: int = 0
    inline_skipped: int = Field(
        0, description="Already posted earlier (same path, line and body) or refused."
    )
    check_run_url: str = ""
    notes: list[str] = Field(default_factory=list)
