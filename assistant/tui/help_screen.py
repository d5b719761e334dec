"""F1: every key and every slash command, in one screen."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

from assistant.tui.commands import help_markdown

KEYS = """\
| key | what it does |
|---|---|
| Enter | send the message |
| ctrl+j, alt+enter | a new line in the message |
| up, down | earlier messages you sent |
| Esc | cancel the running turn |
| F1 | this help |
| ctrl+p | the command palette |
| ctrl+t | switch between the light and dark theme |
| tab, shift+tab | move between the chat, activity, proposals and findings |
| ctrl+q | quit |

In a proposal: a approve, r or Esc reject, e edit the new text inline (ctrl+s saves,
Esc drops the edit), ctrl+e edit it in `$VISUAL` or `$EDITOR`. In the proposals list:
Enter reopens one (read-only), u undoes the last applied change.
"""


class HelpScreen(ModalScreen[None]):
    """The keys and the slash commands; Esc or F1 closes it."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 90%; height: 90%; border: round $accent; background: $surface; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,f1,q", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        """Keys, then slash commands."""
        with VerticalScroll():
            yield Markdown(f"## Keys\n\n{KEYS}\n## Slash commands\n\n{help_markdown()}", open_links=False)
