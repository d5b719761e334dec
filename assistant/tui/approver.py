"""Approval in the TUI: the dialog as an `Approver`, and the list of the session's proposals with undo.

`TuiApprover.decide` runs in the worker thread of a turn (`decide_and_apply` calls it
there): it opens `ProposalScreen` on the app's thread and waits for the human. It answers
False without asking when the app is exiting or the turn was cancelled, and gives up
(False, the dialog closed) if that happens while it waits.

`ProposalsView` lists every proposal of the session with its state, which it follows in
the audit log (the one source of truth for what was applied, refused or undone); Enter
opens one again, read-only; `u` undoes the last applied proposal (`assistant.undo`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from rich.text import Text
from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, DataTable, Static

from assistant.tui.proposal_screen import Decision, ProposalScreen, visible

if TYPE_CHECKING:
    from assistant.audit import AuditLog
    from assistant.undo import UndoResult
    from tools.proposals import Proposal

State = Literal["pending", "approved", "applied", "rejected", "refused", "undone"]

# How far each state is along the way: the audit log never moves a proposal backwards.
_RANK: dict[State, int] = {
    "pending": 0,
    "approved": 1,
    "rejected": 2,
    "refused": 2,
    "applied": 2,
    "undone": 3,
}
AWAIT_APPLY_SECONDS = 60.0


class TuiApprover:
    """The approver of a TUI session: each proposal in a dialog, decided by the human.

    `app` is the running app; `root` the workspace the proposals are for (an edited text
    becomes a new proposal inside it); `cancelled` says whether the current turn was
    cancelled; `view` finds the `ProposalsView` to keep up to date (by default the first
    one in the app's screens). `decide` must be called from a thread other than the app's.
    """

    def __init__(
        self,
        app: App[Any],
        root: Path,
        *,
        cancelled: Callable[[], bool] | None = None,
        view: Callable[[], ProposalsView | None] | None = None,
        poll_seconds: float = 0.1,
    ) -> None:
        self.app = app
        self.root = root
        self.cancelled = cancelled
        self.poll_seconds = poll_seconds
        self._view = view or self._first_view
        self._one_at_a_time = threading.Lock()
        self._cancel = threading.Event()

    def decide(self, proposal: Proposal) -> bool | Proposal:
        """Show the dialog and wait: False (rejected, cancelled, app exiting), True, or a revision."""
        with self._one_at_a_time:
            self._cancel.clear()
            if self._stopping():
                return False
            done = threading.Event()
            answers: list[Decision] = []
            screens: list[ProposalScreen] = []

            def finished(decision: Decision | None) -> None:
                answer = decision or Decision(False)
                if not done.is_set():
                    answers.append(answer)
                    done.set()
                view = self._view()
                if view is not None:
                    view.decided(proposal.id, answer)

            def show() -> None:
                view = self._view()
                if view is not None:
                    view.track(proposal)
                screen = ProposalScreen(proposal, self.root)
                screens.append(screen)
                self.app.push_screen(screen, callback=finished)

            try:
                self.app.call_from_thread(show)
            except RuntimeError:
                if self.app.is_running and not self.app._exit:
                    raise  # called on the app's own thread: a programming error, not a "no"
                return False
            while not done.wait(self.poll_seconds):
                if self._stopping():
                    done.set()
                    self._withdraw(screens)
                    return False
            return answers[0].answer() if answers else False

    def cancel(self) -> None:
        """Reject the dialog now waiting, if any (Esc on a running turn); safe from any thread."""
        self._cancel.set()

    def _stopping(self) -> bool:
        if not self.app.is_running or self.app._exit or self._cancel.is_set():
            return True
        return self.cancelled is not None and self.cancelled()

    def _withdraw(self, screens: list[ProposalScreen]) -> None:
        if not screens or not self.app.is_running or self.app._exit:
            return
        try:
            self.app.call_from_thread(screens[0].withdraw)
        except Exception:  # the app is going away: nothing left to close
            return

    def _first_view(self) -> ProposalsView | None:
        for screen in self.app.screen_stack:
            for view in screen.query(ProposalsView):
                return view
        return None


@dataclass
class Tracked:
    """One proposal of the session and what became of it."""

    proposal: Proposal
    state: State = "pending"
    note: str = ""
    revised: Proposal | None = None
    approved_at: float | None = None

    @property
    def shown(self) -> Proposal:
        """What a re-opened view shows: the revision when the human edited it."""
        return self.revised or self.proposal


def audit_states(records: Iterable[dict[str, Any]], ids: Iterable[str]) -> dict[str, tuple[State, str]]:
    """The state of each proposal id from the audit records after its last "proposal" record.

    A revision's id counts as the original's (the human edited it); an undo that was
    refused leaves the state as it was. Ids with no "proposal" record are left out.
    """
    listed = list(records)
    states: dict[str, tuple[State, str]] = {}
    for wanted in ids:
        starts = [i for i, r in enumerate(listed) if r.get("event") == "proposal" and _id(r) == wanted]
        if not starts:
            continue
        names = {wanted}
        state: State = "pending"
        note = ""
        for record in listed[starts[-1] + 1 :]:
            event, data = record.get("event"), record.get("data") or {}
            if event == "proposal" and _id(record) in names:
                break  # proposed again: a later proposal record is the start of another story
            if event == "revision" and data.get("id") in names:
                names.add(str(data.get("revised_id")))
            elif _id(record) not in names:
                continue
            elif event == "approval":
                state = "approved"
            elif event == "rejection":
                state = "rejected"
            elif event == "refusal" and data.get("action") != "undo":
                state, note = "refused", str(data.get("reason", ""))
            elif event == "apply":
                state, note = "applied", ""
            elif event == "undo":
                state, note = "undone", ""
        states[wanted] = (state, note)
    return states


def _id(record: dict[str, Any]) -> str:
    return str((record.get("data") or {}).get("id", ""))


class ProposalsView(Widget):
    """The session's proposals and their state; Enter re-opens one read-only, `u` undoes the last applied."""

    DEFAULT_CSS = """
    ProposalsView { height: 1fr; }
    ProposalsView > DataTable { height: 1fr; }
    ProposalsView > #proposals-bar { height: 1; }
    ProposalsView #proposals-result { height: auto; max-height: 4; width: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("u", "undo", "Undo last applied")]

    @dataclass
    class Undone(Message):
        """Undo finished (done or refused); bubbles to the app, which may refresh the repository state."""

        result: UndoResult

    @dataclass
    class StatesRead(Message):
        """States read from the audit log (posted from the worker thread)."""

        states: dict[str, tuple[State, str]]

    def __init__(
        self, audit: AuditLog | None = None, root: Path | None = None, *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.audit = audit
        self.root = root
        self.entries: dict[str, Tracked] = {}

    def compose(self) -> ComposeResult:
        """The table, a line for the result of undo, and the undo button."""
        yield DataTable[Text](id="proposals-table", cursor_type="row", zebra_stripes=True)
        yield Static(Text(""), id="proposals-result")
        yield Button("Undo last (u)", id="proposals-undo", compact=True)

    def on_mount(self) -> None:
        """Columns, and a light poll of the audit log while an approved edit awaits its outcome."""
        table = self.query_one(DataTable)
        table.add_column("state", key="state")
        table.add_column("id", key="id")
        table.add_column("title", key="title")
        self.set_interval(0.5, self._poll)

    # --- what the approver tells -----------------------------------------------------------------

    def track(self, proposal: Proposal) -> None:
        """A proposal was offered: a row in state pending (a repeated id starts over)."""
        table = self.query_one(DataTable)
        self.entries[proposal.id] = Tracked(proposal)
        if any(key.value == proposal.id for key in table.rows):
            table.update_cell(proposal.id, "state", Text("pending"))
            table.update_cell(proposal.id, "title", Text(visible(proposal.title)))
        else:
            table.add_row(
                Text("pending"), Text(visible(proposal.id)), Text(visible(proposal.title)), key=proposal.id
            )
        table.move_cursor(row=table.get_row_index(proposal.id))

    def decided(self, proposal_id: str, decision: Decision) -> None:
        """The human answered: approved (an edit then waits to be applied) or rejected."""
        entry = self.entries.get(proposal_id)
        if entry is None:
            return
        if decision.approved:
            entry.revised = decision.revised
            entry.approved_at = time.monotonic()
        self._set(proposal_id, "approved" if decision.approved else "rejected", "", force=True)

    def state_of(self, proposal_id: str) -> State | None:
        """The state shown for a proposal id, or None when it is not listed."""
        entry = self.entries.get(proposal_id)
        return entry.state if entry else None

    # --- the audit log --------------------------------------------------------------------------

    def refresh_states(self) -> None:
        """Read the audit log again (in a thread) for what was applied, refused or undone."""
        if self.audit is not None and self.entries:
            self._sync(self.audit, list(self.entries))

    @work(thread=True, exclusive=True, group="proposals-sync")
    def _sync(self, audit: AuditLog, ids: list[str]) -> None:
        self.post_message(self.StatesRead(audit_states(audit.records(), ids)))

    def on_proposals_view_states_read(self, message: StatesRead) -> None:
        """Apply what the audit log says."""
        message.stop()
        for proposal_id, (state, note) in message.states.items():
            self._set(proposal_id, state, note)

    def _poll(self) -> None:
        now = time.monotonic()
        awaiting = any(
            e.state == "approved"
            and e.proposal.kind == "file_edit"
            and e.approved_at is not None
            and now - e.approved_at < AWAIT_APPLY_SECONDS
            for e in self.entries.values()
        )
        if awaiting:
            self.refresh_states()

    def _set(self, proposal_id: str, state: State, note: str, force: bool = False) -> None:
        entry = self.entries.get(proposal_id)
        if entry is None or (not force and _RANK[state] < _RANK[entry.state]):
            return
        if state == "undone" or entry.state != state or entry.note != note:
            entry.state, entry.note = state, note
            self.query_one(DataTable).update_cell(proposal_id, "state", Text(state))

    # --- re-open and undo -----------------------------------------------------------------------

    def reopen(self, proposal_id: str) -> None:
        """Show a listed proposal again, read-only (what was applied, when the human edited it)."""
        entry = self.entries.get(proposal_id)
        if entry is not None:
            self.app.push_screen(ProposalScreen(entry.shown, self.root, read_only=True, state=entry.state))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a row re-opens it."""
        event.stop()
        if event.row_key.value is not None:
            self.reopen(event.row_key.value)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """The undo button."""
        if event.button.id == "proposals-undo":
            event.stop()
            self.action_undo()

    def action_undo(self) -> None:
        """Undo the last applied proposal not yet undone (restore or git revert); the result shows below."""
        result = self.query_one("#proposals-result", Static)
        if self.audit is None:
            result.update(Text("nothing undone: the audit log is not open yet", style="yellow"))
            return
        result.update(Text("undoing ...", style="italic"))
        self._undo(self.audit)

    @work(thread=True, exclusive=True, group="proposals-undo")
    def _undo(self, audit: AuditLog) -> None:
        from assistant.undo import undo_last

        self.post_message(self.Undone(undo_last(audit)))

    def on_proposals_view_undone(self, message: Undone) -> None:
        """Show the result inline and mark the proposal; the message goes on to the app."""
        result = message.result
        style = "green" if result.status == "undone" else "yellow"
        prefix = "" if result.status == "undone" else "nothing undone: "
        self.query_one("#proposals-result", Static).update(
            Text(visible(prefix + result.message), style=style)
        )
        if result.status == "undone" and result.id is not None:
            self._set(result.id, "undone", "")
            for proposal_id, entry in self.entries.items():  # undoing a revision undoes its original
                if entry.revised is not None and entry.revised.id == result.id:
                    self._set(proposal_id, "undone", "")
