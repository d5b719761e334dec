"""A full screen log viewer: the file's path as title, a `LogView`, a search bar and the keys."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Checkbox, Footer, Header, Input

from assistant.tui.log_index import visible_text
from assistant.tui.log_view import LogView


class LogScreen(Screen[None]):
    """Shows one log file, opened at `line` (1-based) when given.

    `/` focuses the search bar; Enter searches (plain text, case-insensitive unless
    "case" is ticked; a regex when "regex" is ticked) or, for `:N`, goes to line N;
    n / N (F3 / shift+F3) move between matches; Esc closes the screen.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close"),
        Binding("slash", "focus_search", "Search", key_display="/"),
        Binding("f3", "next_match", "Next match", show=False),
        Binding("shift+f3", "previous_match", "Previous match", show=False),
    ]
    DEFAULT_CSS = """
    LogScreen {
        layout: vertical;
        & > LogView { height: 1fr; }
        & > #log-search-bar {
            height: 1;
            background: $panel;
            & > Input { width: 1fr; }
            & > Checkbox { width: auto; margin-left: 1; }
        }
    }
    """

    def __init__(
        self,
        path: Path,
        line: int | None = None,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.path, self.line = path, line
        self.title = visible_text(str(path))
        self.sub_title = "log"

    def compose(self) -> ComposeResult:
        """Header, viewer, search bar, footer."""
        yield Header()
        yield LogView(id="log-view")
        with Horizontal(id="log-search-bar"):
            yield Input(placeholder="/ search · :N go to line N", id="log-search", compact=True)
            yield Checkbox("regex", id="log-regex", compact=True)
            yield Checkbox("case", id="log-case", compact=True)
        yield Footer()

    @property
    def log_view(self) -> LogView:
        """The viewer on this screen."""
        return self.query_one(LogView)

    def on_mount(self) -> None:
        """Open the file at the requested line and give the viewer the focus."""
        self.log_view.open(self.path, self.line)
        self.log_view.focus()

    @on(Input.Submitted, "#log-search")
    def _submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if text.startswith(":") and text[1:].strip().isdigit():
            self.log_view.goto(int(text[1:]))
        else:
            self.log_view.search(
                event.value,
                regex=self.query_one("#log-regex", Checkbox).value,
                case_sensitive=self.query_one("#log-case", Checkbox).value,
            )
        self.log_view.focus()

    def action_focus_search(self) -> None:
        """Move the focus to the search bar."""
        self.query_one("#log-search", Input).focus()

    def action_next_match(self) -> None:
        """Next match, from anywhere on the screen."""
        self.log_view.action_next_match()

    def action_previous_match(self) -> None:
        """Previous match, from anywhere on the screen."""
        self.log_view.action_previous_match()

    def action_close(self) -> None:
        """Close the screen."""
        self.dismiss(None)
