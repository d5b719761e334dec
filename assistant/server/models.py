"""What the webhook hands to a worker (ReviewJob) and what the worker reports back (ReviewOutcome)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class ReviewJob(BaseModel):
    """One pull request to review, taken from a verified webhook delivery."""

    delivery_id: str = Field(description="X-GitHub-Delivery of the delivery that asked for it.")
    event: str = Field(description="X-GitHub-Event: pull_request or issue_comment.")
    repository: str = Field(description="owner/name of the base repository.")
    pr_number: int = Field(ge=1)
    base_sha: str | None = Field(
        default=None, description="Base commit; None when the event does not carry it (a comment)."
    )
    head_sha: str | None = Field(default=None, description="Head commit; None when the event lacks it.")
    base_ref: str | None = Field(default=None, description="Base branch name, when known.")
    clone_url: str = Field(default="", description="As the payload says; informational only.")
    installation_id: int | None = None

    @property
    def key(self) -> tuple[str, int]:
        """Jobs with the same key (repository and pull request) are coalesced in the queue."""
        return (self.repository.lower(), self.pr_number)


class ReviewOutcome(BaseModel):
    """What running one job did."""

    status: Literal["posted", "failed", "skipped"]
    findings: dict[str, int] = Field(default_factory=dict, description="Severity -> count of new findings.")
    seconds: float = 0.0
    tokens: int = Field(0, description="Model tokens used (0 offline).")
    cost: float = Field(0.0, description="Model cost in USD (0 offline).")
    message: str = ""
