"""What a turn reports while it runs: plain data, sent from the worker thread to the app."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Said:
    """Markdown for the transcript; `stream` appends to the answer being written."""

    markdown: str
    stream: bool = False


@dataclass(frozen=True)
class ToolStarted:
    """A tool call began."""

    call_id: str
    name: str
    args: str


@dataclass(frozen=True)
class ToolFinished:
    """A tool call ended after `seconds`."""

    call_id: str
    name: str
    seconds: float
    ok: bool


@dataclass(frozen=True)
class FindingsReady:
    """A diagnosis report to show in the findings view (a `DiagnosisReport`)."""

    report: Any


@dataclass(frozen=True)
class UsageChanged:
    """Tokens and cost of the session so far."""

    tokens: int
    cost_usd: float


@dataclass(frozen=True)
class Failed:
    """The turn stopped on an error: one line for the transcript."""

    message: str


@dataclass(frozen=True)
class Cleared:
    """The user asked for an empty transcript."""


Event = Said | ToolStarted | ToolFinished | FindingsReady | UsageChanged | Failed | Cleared
