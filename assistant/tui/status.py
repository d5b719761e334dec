"""The status bar (model or offline, tokens and cost, branch and dirty state) and the activity panel."""

from __future__ import annotations

import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual.widgets import DataTable, Static


@dataclass(frozen=True)
class RepoState:
    """The repository's branch and whether its work tree has changes."""

    branch: str | None
    dirty: bool


def repo_state(root: Path) -> RepoState:
    """Branch and dirty state from `git status` (argv, no shell); no repository gives (None, False)."""
    try:
        done = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain=v1", "--branch"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return RepoState(None, False)
    if done.returncode != 0:
        return RepoState(None, False)
    lines = done.stdout.splitlines()
    head = lines[0].removeprefix("## ") if lines else ""
    branch = head.split("...", 1)[0].removeprefix("No commits yet on ") or None
    return RepoState(branch, len(lines) > 1)


class StatusBar(Static):
    """One line: model or offline, tokens and cost, branch and dirty state, what is running."""

    DEFAULT_CSS = """
    StatusBar { height: 1; background: $panel; color: $text; padding: 0 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.model: str | None = None
        self.loading = True
        self.tokens = 0
        self.cost_usd = 0.0
        self.repo = RepoState(None, False)
        self.busy = ""

    def refresh_line(self) -> None:
        """Redraw from the current values."""
        if self.loading:
            mode = "starting ..."
        else:
            mode = (
                f"model {self.model}" if self.model else "offline (no model: slash commands and the router)"
            )
        parts = [mode]
        if self.model:
            parts.append(f"{self.tokens} tokens ${self.cost_usd:.4f}")
        if self.repo.branch:
            parts.append(f"{self.repo.branch}{' *dirty*' if self.repo.dirty else ''}")
        if self.busy:
            parts.append(self.busy)
        self.update(Text(" | ".join(parts)))


class ActivityPanel(DataTable[Text]):
    """Each tool call as it happens: the tool, its arguments, and how long it took."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._started: dict[str, float] = {}

    def on_mount(self) -> None:
        """Set up the columns."""
        self.add_column("tool", key="tool")
        self.add_column("arguments", key="args")
        self.add_column("time", key="time")

    def started(self, call_id: str, name: str, args: str) -> None:
        """A tool call began: a row that says it is running."""
        key = call_id or f"call-{len(self._started)}"
        self._started[key] = time.perf_counter()
        self.add_row(Text(name), Text(args[:200]), Text("running"), key=key)
        self.move_cursor(row=self.row_count - 1)

    def finished(self, call_id: str, seconds: float, ok: bool) -> None:
        """A tool call ended: its duration, or that it failed."""
        if call_id not in self._started:
            return
        shown = f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"
        self.update_cell(call_id, "time", Text(shown if ok else f"failed {shown}"))
