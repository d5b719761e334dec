"""The chat transcript: what was said, kept as Markdown, shown as widgets, saved for `--resume`."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Markdown, Static

from tools.atomic import write_atomically

Role = Literal["user", "assistant", "note", "error"]
SEGMENT_CHARS = 4000


@dataclass
class Entry:
    """One message of the transcript."""

    role: Role
    markdown: str


def sessions_dir() -> Path:
    """`$XDG_DATA_HOME/shipmate/chat`."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "shipmate" / "chat"


def save_entries(entries: list[Entry], path: Path) -> None:
    """Write the transcript as JSON, atomically (a crash never leaves half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, json.dumps([asdict(e) for e in entries]).encode("utf-8"), 0o600)


def load_entries(path: Path) -> list[Entry]:
    """The saved transcript, or nothing when there is none or it cannot be read."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    roles = ("user", "assistant", "note", "error")
    return [
        Entry(item["role"], str(item.get("markdown", "")))
        for item in raw
        if isinstance(item, dict) and item.get("role") in roles
    ]


def _between_blocks(text: str) -> bool:
    """True when `text` ends after a blank line and outside a ``` code fence."""
    return text.endswith("\n\n") and text.count("```") % 2 == 0


def transcript_markdown(entries: list[Entry]) -> str:
    """The transcript as one Markdown document (for `/save`)."""
    titles = {"user": "You", "assistant": "shipmate", "note": "shipmate", "error": "Error"}
    return "\n\n".join(f"### {titles[e.role]}\n\n{e.markdown.strip()}" for e in entries) + "\n"


class UserMessage(Static):
    """What the user typed, shown literally (never as markup)."""

    DEFAULT_CSS = """
    UserMessage { margin: 1 0 0 0; padding: 0 1; border-left: thick $accent; color: $text; }
    """

    def __init__(self, text: str) -> None:
        super().__init__(Text(text))


class ErrorMessage(Static):
    """An error, inline: the app goes on."""

    DEFAULT_CSS = """
    ErrorMessage { margin: 1 0 0 0; padding: 0 1; border-left: thick $error; color: $text-error; }
    """

    def __init__(self, text: str) -> None:
        super().__init__(Text(f"error: {text}"))


class AnswerMessage(Markdown):
    """The assistant's Markdown (code highlighted); links are not opened by a click."""

    DEFAULT_CSS = """
    AnswerMessage { margin: 1 0 0 0; padding: 0 1; border-left: thick $success; }
    AnswerMessage.continued { margin: 0; }
    """

    def __init__(self, markdown: str = "") -> None:
        super().__init__(markdown, open_links=False)


class Transcript(VerticalScroll):
    """The scrolling list of messages; keeps the entries for saving."""

    DEFAULT_CSS = """
    Transcript { height: 1fr; padding: 0 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entries: list[Entry] = []
        self._streaming: AnswerMessage | None = None
        self._streamed = ""
        self._segment = 0

    def on_mount(self) -> None:
        """Stay at the bottom as messages arrive, until the user scrolls up."""
        self.anchor()

    async def add(self, entry: Entry) -> None:
        """Show a whole message."""
        self.end_stream()
        self.entries.append(entry)
        if entry.role == "user":
            widget: Static | Markdown = UserMessage(entry.markdown)
        elif entry.role == "error":
            widget = ErrorMessage(entry.markdown)
        else:
            widget = AnswerMessage(entry.markdown)
        await self.mount(widget)
        self.anchor()  # follow new content (cheaply) until the user scrolls up

    async def stream(self, chunk: str) -> None:
        """Append to the answer being written (started on the first chunk).

        A long answer is drawn in segments: once a segment holds SEGMENT_CHARS and the text
        is between blocks (a blank line, outside a code fence), the next chunk starts a new
        Markdown widget, so each append re-renders a bounded amount, however long the answer.
        """
        if self._streaming is None:
            self._streaming = AnswerMessage()
            self._streamed = ""
            self._segment = 0
            await self.mount(self._streaming)
        elif self._segment >= SEGMENT_CHARS and _between_blocks(self._streamed):
            self._streaming = AnswerMessage()
            self._streaming.add_class("continued")
            self._segment = 0
            await self.mount(self._streaming)
        self._streamed += chunk
        self._segment += len(chunk)
        await self._streaming.append(chunk)

    def end_stream(self) -> None:
        """Close the answer being written, keeping it in the entries."""
        if self._streaming is not None:
            self.entries.append(Entry("assistant", self._streamed))
            self._streaming = None
            self._streamed = ""

    async def clear_all(self) -> None:
        """Remove every message."""
        self.end_stream()
        self.entries.clear()
        await self.remove_children()
