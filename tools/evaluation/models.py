"""The result of `shipmate eval`: the JSON contract of a run (docs/eval.md), compared run to run."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

SCHEMA_VERSION = "1"


class Check(BaseModel):
    """One deterministic check of a case (the category, a fact, a forbidden string, ...)."""

    name: str
    passed: bool
    detail: str = ""


class JudgeScore(BaseModel):
    """An LLM judge's grade of an answer, kept apart from the deterministic score."""

    model: str
    score: float = Field(
        ge=0.0, le=1.0, description="The grade scaled to 0..1 (1 to 5 mapped to 0, .25, ... 1)."
    )
    reason: str = ""


class CaseResult(BaseModel):
    """How one case fared."""

    case: str
    passed: bool = Field(description="Every check passed.")
    score: float = Field(ge=0.0, le=1.0, description="Share of the checks that passed.")
    checks: list[Check] = Field(default_factory=list)
    seconds: float = 0.0
    error: str | None = Field(default=None, description="Why the case could not run (counts as failed).")
    question: str = Field("", description="Agent cases: the question asked.")
    description: str = Field("", description="Agent cases: what happened, as the case says.")
    facts: list[list[str]] = Field(default_factory=list, description="Agent cases: the facts to state.")
    answer: str = Field("", description="Agent cases: the answer scored (first 4,000 characters).")
    judge: JudgeScore | None = None


class SuiteResult(BaseModel):
    """One suite: its score, its figures and every case."""

    suite: str
    status: Literal["ran", "skipped"] = "ran"
    reason: str = Field("", description="Why the suite was skipped.")
    mode: str = Field("offline", description="offline, or the model the suite ran with.")
    score: float = Field(0.0, ge=0.0, le=1.0, description="The suite's headline score (see `metric`).")
    metric: str = Field("", description="What `score` is: accuracy, pass rate, recall@5, agreement, ...")
    figures: dict[str, float] = Field(default_factory=dict, description="Other figures of the suite.")
    passed: int = 0
    total: int = 0
    cases: list[CaseResult] = Field(default_factory=list)
    judge_score: float | None = Field(default=None, description="Mean judge grade, when a judge ran.")
    seconds: float = 0.0


class SuiteChange(BaseModel):
    """How a suite moved against the previous run."""

    suite: str
    score_before: float | None
    score_now: float | None
    delta: float | None
    newly_failing: list[str] = Field(default_factory=list)
    newly_passing: list[str] = Field(default_factory=list)


class EvalReport(BaseModel):
    """Everything one `shipmate eval` run measured."""

    schema_version: str = SCHEMA_VERSION
    tool: str = "shipmate eval"
    started: str = Field(description="UTC time the run started, ISO 8601.")
    model: str | None = Field(default=None, description="The model, or null for the offline engine.")
    suites: list[SuiteResult] = Field(default_factory=list)
    changes: list[SuiteChange] = Field(default_factory=list, description="Against --previous, when given.")
    previous: str | None = Field(default=None, description="The previous run file compared against.")
    seconds: float = 0.0
