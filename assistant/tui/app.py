"""`shipmate chat`: the Textual app. `create_app` is the one factory, for the CLI and the tests.

The first frame needs only Textual: settings, git state and every engine load in worker
threads after it. A turn runs in a thread worker and reports through `Engine.emit`
events, so the screen never waits for a model or a tool; Esc cancels the running turn.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, TabbedContent, TabPane

from assistant.tui.approver import ProposalsView
from assistant.tui.chat_input import ChatInput
from assistant.tui.commands import COMMANDS
from assistant.tui.events import (
    Cleared,
    Event,
    Failed,
    FindingsReady,
    Said,
    ToolFinished,
    ToolStarted,
    UsageChanged,
)
from assistant.tui.findings_view import FindingsView
from assistant.tui.status import ActivityPanel, RepoState, StatusBar, repo_state
from assistant.tui.transcript import (
    Entry,
    Transcript,
    load_entries,
    save_entries,
    sessions_dir,
    transcript_markdown,
)

if TYPE_CHECKING:
    from assistant.approvals import Approver
    from assistant.config import LoadedSettings
    from assistant.tui.engine import Engine

LAST_SESSION = "last.json"
STREAM_FLUSH_SECONDS = 0.1


@dataclass
class EngineEvent(Message):
    """An event of the running turn, posted from its worker thread."""

    event: Event


@dataclass
class Started(Message):
    """The engine is ready."""

    saved: list[Entry]
    state: RepoState


@dataclass
class TurnOver(Message):
    """A turn ended."""

    cancel: threading.Event


@dataclass
class RepoChanged(Message):
    """New branch and dirty state."""

    state: RepoState


class ShipmateApp(App[None]):
    """Chat on the left; activity, proposals and findings on the right; status at the bottom."""

    TITLE = "shipmate"
    CSS = """
    #main { height: 1fr; }
    #chat { width: 3fr; }
    #side { width: 2fr; min-width: 30; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel_turn", "Cancel", show=True),
        Binding("f1", "help", "Help", show=True),
        Binding("ctrl+t", "toggle_theme", "Theme", show=False),
        Binding("ctrl+q", "quit", "Quit", show=True),
    ]

    def __init__(
        self,
        root: Path,
        *,
        offline: bool = False,
        resume: bool = False,
        session_file: Path | None = None,
        approver_factory: Callable[[ShipmateApp], Approver] | None = None,
        settings_loader: Callable[[], LoadedSettings] | None = None,
    ) -> None:
        super().__init__()
        self.root = root
        self.offline = offline
        self.resume = resume
        self.session_file = session_file or sessions_dir() / LAST_SESSION
        self.engine: Engine | None = None
        self._approver_factory = approver_factory
        self._settings_loader = settings_loader
        self._engine_ready = threading.Event()
        self._cancel: threading.Event | None = None
        self._turn_cancel: threading.Event | None = None  # the running turn's, read by its thread
        self._stream_lock = threading.Lock()
        self.turns_finished = 0  # messages fully handled (the tests and the benches wait on it)
        self._stream_buffer: list[str] = []

    def compose(self) -> ComposeResult:
        """The layout."""
        yield Header(show_clock=False)
        with Horizontal(id="main"):
            with Vertical(id="chat"):
                yield Transcript(id="transcript")
                yield ChatInput(id="input")
            with TabbedContent(id="side"):
                with TabPane("Activity", id="activity-tab"):
                    yield ActivityPanel(id="activity")
                with TabPane("Proposals", id="proposals-tab"):
                    yield ProposalsView(root=self.root, id="proposals")
                with TabPane("Findings", id="findings-tab"):
                    yield FindingsView(id="findings")
        yield StatusBar(id="status")
        yield Footer()

    def on_mount(self) -> None:
        """Focus the input, show the saved transcript with --resume, then load the rest in the background."""
        self.sub_title = str(self.root)
        self.query_one(StatusBar).refresh_line()
        self.query_one(ChatInput).focus()
        self.set_interval(STREAM_FLUSH_SECONDS, self._flush_stream)
        self._start()

    @work(thread=True, exclusive=True, group="start")
    def _start(self) -> None:
        try:
            self._start_engine()
        except Exception as err:  # the app stays up and says why nothing can run
            self.post_message(EngineEvent(Failed(f"shipmate could not start its engine: {err}")))
        finally:
            self._engine_ready.set()

    def _start_engine(self) -> None:
        from assistant.approvals import NeverApprove
        from assistant.audit import AuditLog
        from assistant.tui.engine import Engine

        try:
            loaded = self._settings_loader() if self._settings_loader else _load_settings()
        except Exception as err:  # a broken config file is shown, and the app works with the defaults
            from assistant.config import ConfigFiles, LoadedSettings, Settings, user_config_path

            loaded = LoadedSettings(Settings(), {}, ConfigFiles(None, user_config_path()))
            self.post_message(EngineEvent(Failed(f"configuration not read, defaults used: {err}")))
        approver = self._approver_factory(self) if self._approver_factory else NeverApprove()
        engine = Engine(self.root, loaded, AuditLog(), approver, self._emit_from_thread)
        if self.offline:
            engine.model = None
        saved = load_entries(self.session_file) if self.resume else []
        engine.history = [
            {"role": e.role, "content": e.markdown} for e in saved if e.role in ("user", "assistant")
        ]
        state = repo_state(self.root)
        self.engine = engine
        self.post_message(Started(saved, state))

    async def on_started(self, message: Started) -> None:
        """The engine is ready: the saved transcript (with --resume), the model, the repository."""
        saved, state = message.saved, message.state
        transcript = self.query_one(Transcript)
        for entry in saved:
            await transcript.add(entry)
        status = self.query_one(StatusBar)
        status.loading = False
        status.model = self.engine.model if self.engine else None
        status.repo = state
        status.refresh_line()
        if self.engine is not None:
            self.query_one(ProposalsView).audit = self.engine.audit

    # --- turns ----------------------------------------------------------------------------------

    async def on_chat_input_submitted(self, message: ChatInput.Submitted) -> None:
        """Show what was sent and run it."""
        text = message.text
        transcript = self.query_one(Transcript)
        await transcript.add(Entry("user", text))
        if text.strip().split(" ", 1)[0].lower() == "/save":
            await self._save(text.strip()[5:].strip())
            self.turns_finished += 1
            return
        if self._cancel is not None:
            await transcript.add(Entry("error", "a turn is running: wait, or press Esc to cancel it"))
            return
        self._cancel = threading.Event()
        status = self.query_one(StatusBar)
        status.busy = "working ... (Esc cancels)"
        status.refresh_line()
        self._turn(text, self._cancel)

    @work(thread=True, group="turn")
    def _turn(self, text: str, cancel: threading.Event) -> None:
        self._engine_ready.wait()
        self._turn_cancel = cancel
        try:
            if self.engine is None:
                self.post_message(EngineEvent(Failed("nothing can run: the engine did not start")))
            else:
                self.engine.run(text, cancel)
        finally:
            self.post_message(TurnOver(cancel))

    async def on_turn_over(self, message: TurnOver) -> None:
        """The turn ended (or was cancelled): close the answer, save the session."""
        cancel = message.cancel
        if not self.is_running:
            return
        if not cancel.is_set():
            await self._flush_stream()
        else:
            with self._stream_lock:
                self._stream_buffer.clear()
        transcript = self.query_one(Transcript)
        transcript.end_stream()
        if self._cancel is cancel:
            self._cancel = None
        status = self.query_one(StatusBar)
        status.busy = ""
        status.model = self.engine.model if self.engine else None
        status.refresh_line()
        self.query_one(ProposalsView).refresh_states()
        self._refresh_repo()
        self._persist()
        self.turns_finished += 1

    def action_cancel_turn(self) -> None:
        """Esc: stop the running turn (its model call may finish, but nothing more is shown)."""
        if self._cancel is None:
            return
        self._cancel.set()
        self._cancel = None
        with self._stream_lock:
            self._stream_buffer.clear()
        self.query_one(Transcript).end_stream()
        status = self.query_one(StatusBar)
        status.busy = ""
        status.refresh_line()
        self.run_worker(self.query_one(Transcript).add(Entry("error", "cancelled")))

    def _emit_from_thread(self, event: Event) -> None:
        if self._turn_cancel is not None and self._turn_cancel.is_set():
            return  # a cancelled turn shows nothing more
        if isinstance(event, Said) and event.stream:
            # streamed text is gathered and drawn at most every STREAM_FLUSH_SECONDS, so a
            # fast model cannot flood the screen and keys still land at once
            with self._stream_lock:
                self._stream_buffer.append(event.markdown)
            return
        self.post_message(EngineEvent(event))  # thread-safe; handled in order

    async def _flush_stream(self) -> None:
        with self._stream_lock:
            chunk = "".join(self._stream_buffer)
            self._stream_buffer.clear()
        if chunk and self.is_running:
            await self.query_one(Transcript).stream(chunk)

    async def on_engine_event(self, message: EngineEvent) -> None:
        """One event of the running turn."""
        event = message.event
        if not self.is_running:
            return
        await self._flush_stream()  # what streamed before this event comes first
        transcript = self.query_one(Transcript)
        if isinstance(event, Said):
            if event.stream:
                await transcript.stream(event.markdown)
            else:
                await transcript.add(Entry("note", event.markdown))
        elif isinstance(event, Failed):
            await transcript.add(Entry("error", event.message))
        elif isinstance(event, ToolStarted):
            self.query_one(ActivityPanel).started(event.call_id, event.name, event.args)
        elif isinstance(event, ToolFinished):
            self.query_one(ActivityPanel).finished(event.call_id, event.seconds, event.ok)
        elif isinstance(event, UsageChanged):
            status = self.query_one(StatusBar)
            status.tokens, status.cost_usd = event.tokens, event.cost_usd
            status.refresh_line()
        elif isinstance(event, FindingsReady):
            self.show_findings(event.report)
        elif isinstance(event, Cleared):
            await transcript.clear_all()

    def show_findings(self, report: Any) -> None:
        """A diagnosis arrived: its findings in the findings tab, which comes to the front."""
        self.query_one(FindingsView).show_report(report)
        self.query_one(TabbedContent).active = "findings-tab"

    def on_findings_view_open_evidence(self, message: FindingsView.OpenEvidence) -> None:
        """Enter on a finding or an evidence line: the log at that line."""
        from assistant.tui.log_screen import LogScreen

        path = Path(message.source)
        path = path if path.is_absolute() else self.root / path
        if not path.is_file():  # cluster evidence: an object's status, its events, a pod's log
            self.notify(f"{message.source} was read from the cluster, not from a file: it is quoted above.")
            return
        self.push_screen(LogScreen(path, message.line))

    async def _save(self, argument: str) -> None:
        transcript = self.query_one(Transcript)
        target = Path(argument).expanduser() if argument else self.root / "shipmate-chat.md"
        target = target if target.is_absolute() else self.root / target
        try:
            target.write_text(transcript_markdown(transcript.entries), encoding="utf-8")
        except OSError as err:
            await transcript.add(Entry("error", f"{target}: {err.strerror or err}"))
            return
        await transcript.add(Entry("note", f"saved to `{target}`"))

    def _persist(self) -> None:
        try:
            save_entries(self.query_one(Transcript).entries, self.session_file)
        except OSError as err:
            self.notify(f"session not saved: {err}", severity="warning")

    def turn_cancelled(self) -> bool:
        """True while the running turn has been cancelled (asked by the approver from its thread)."""
        return self._turn_cancel is not None and self._turn_cancel.is_set()

    def on_proposals_view_undone(self, message: ProposalsView.Undone) -> None:
        """Undo from the proposals view changed files: the branch state may have changed."""
        self._refresh_repo()

    @work(thread=True, group="repo")
    def _refresh_repo(self) -> None:
        self.post_message(RepoChanged(repo_state(self.root)))

    def on_repo_changed(self, message: RepoChanged) -> None:
        """Branch and dirty state after a turn (an applied proposal changes them)."""
        status = self.query_one(StatusBar)
        status.repo = message.state
        status.refresh_line()

    # --- help, palette, theme -------------------------------------------------------------------

    def action_help(self) -> None:
        """F1."""
        from assistant.tui.help_screen import HelpScreen

        self.push_screen(HelpScreen())

    def action_toggle_theme(self) -> None:
        """ctrl+t: light or dark."""
        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"

    def get_system_commands(self, screen: Screen[Any]) -> Any:
        """The palette: Textual's own commands plus every slash command (it is put in the input)."""
        yield from super().get_system_commands(screen)
        for command in COMMANDS:
            yield SystemCommand(f"/{command.name}", command.help, partial(self._prefill, command.usage))

    def _prefill(self, usage: str) -> None:
        chat = self.query_one(ChatInput)
        chat.load_text(usage.split(" ", 1)[0] + " ")
        chat.move_cursor(chat.document.end)
        chat.focus()


def _load_settings() -> LoadedSettings:
    from assistant.config import load_settings

    return load_settings({})


def create_app(root: Path, **options: Any) -> ShipmateApp:
    """The app for workspace `root` (the CLI and the tests build it here)."""
    return ShipmateApp(root, **options)
