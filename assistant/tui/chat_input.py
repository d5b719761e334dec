"""The input box: several lines, Enter sends, up and down walk through what was sent before."""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.message import Message
from textual.widgets import TextArea


class ChatInput(TextArea):
    """A multi-line input with history; Enter sends, ctrl+j (or alt+enter) starts a new line."""

    DEFAULT_CSS = """
    ChatInput { height: auto; max-height: 8; min-height: 3; border: round $accent; }
    """

    @dataclass
    class Submitted(Message):
        """The user sent `text`."""

        text: str

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, soft_wrap=True, show_line_numbers=False, tab_behavior="focus")
        self.sent: list[str] = []
        self._position: int | None = None  # index into history while walking it

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self._send()
            return
        if event.key in ("ctrl+j", "alt+enter"):
            event.stop()
            event.prevent_default()
            self.insert("\n")
            return
        if event.key == "up" and self.cursor_location[0] == 0 and self.sent:
            event.stop()
            event.prevent_default()
            self._walk(-1)
            return
        last_line = self.cursor_location[0] == self.document.line_count - 1
        if event.key == "down" and last_line and self._position is not None:
            event.stop()
            event.prevent_default()
            self._walk(1)
            return
        await super()._on_key(event)

    def _send(self) -> None:
        text = self.text.strip()
        if not text:
            return
        if not self.sent or self.sent[-1] != text:
            self.sent.append(text)
        self._position = None
        self.clear()
        self.post_message(self.Submitted(text))

    def _walk(self, step: int) -> None:
        position = len(self.sent) if self._position is None else self._position
        position += step
        if position >= len(self.sent):
            self._position = None
            self.clear()
            return
        self._position = max(0, position)
        self.load_text(self.sent[self._position])
        self.move_cursor(self.document.end)
