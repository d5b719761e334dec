"""A virtualised viewer for big log files (hundreds of MB), built on Textual's Line API.

Only an index of line offsets is held in memory (`log_index`: numpy, built once, in a
worker thread for big files); the lines on screen are read with positional reads and
decoded one by one, and search runs on RE2 in a worker (`log_index.search_lines`).

File content is untrusted text: it is never parsed as markup, control characters are made
visible and very long lines are cut.
"""

from __future__ import annotations

import os
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events, on, work
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.worker import get_current_worker

from assistant.tui.log_index import (
    MAX_LINE_CHARS,
    SYNC_INDEX_BYTES,
    LineIndex,
    LogUnreadable,
    SearchError,
    SearchOutcome,
    build_line_index,
    compile_search,
    open_log_file,
    search_lines,
    visible_text,
)

if TYPE_CHECKING:
    pass


class _Progress(Message, bubble=False):
    def __init__(self, generation: int, what: str, fraction: float) -> None:
        super().__init__()
        self.generation, self.what, self.fraction = generation, what, fraction


class _Indexed(Message, bubble=False):
    def __init__(self, generation: int, index: LineIndex | None, error: str | None) -> None:
        super().__init__()
        self.generation, self.index, self.error = generation, index, error


class _Searched(Message, bubble=False):
    def __init__(self, generation: int, outcome: SearchOutcome | None, error: str | None) -> None:
        super().__init__()
        self.generation, self.outcome, self.error = generation, outcome, error


def _one_line(err: BaseException) -> str:
    text = str(err) or type(err).__name__
    return visible_text(text.splitlines()[0] if text.splitlines() else text)


def _cut_marker(length: int) -> str:
    return f" … [line cut: {length:,} bytes]"


class LogView(ScrollView, can_focus=True):
    """A read-only view of a log file of any size: line numbers, go to line, search.

    Open a file with `open(path, line)` (or pass `path` to the constructor). Posts
    `LogView.Opened` once the file is indexed, `LogView.OpenFailed` with a one-line
    reason when it cannot be shown, and `LogView.SearchFinished` after each search.
    Line numbers in the API are 1-based, as in a finding's evidence.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n,f3", "next_match", "Next match"),
        Binding("N,shift+f3", "previous_match", "Prev match", key_display="N"),
        Binding("r", "reload", "Reload", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "log-view--gutter",
        "log-view--gutter-mark",
        "log-view--cursor",
        "log-view--match",
        "log-view--marker",
        "log-view--message",
    }
    DEFAULT_CSS = """
    LogView {
        background: $surface;
        color: $foreground;
        border: round $primary 50%;
        border-title-color: $foreground;
        border-subtitle-color: $foreground;
        &:focus { border: round $primary; }
        & > .log-view--gutter { color: $text-muted; }
        & > .log-view--gutter-mark { color: $text-accent; text-style: bold; }
        & > .log-view--cursor { background: $primary 30%; color: $foreground; text-style: bold; }
        & > .log-view--match { text-style: reverse; }
        & > .log-view--marker { color: $text-muted; text-style: italic; }
        & > .log-view--message { color: $text-warning; text-style: bold; }
    }
    """

    class Opened(Message):
        """The file is indexed and shown (`line_count` is 0 for an empty file)."""

        def __init__(self, log_view: LogView, path: Path, line_count: int) -> None:
            super().__init__()
            self.log_view, self.path, self.line_count = log_view, path, line_count

        @property
        def control(self) -> LogView:
            """The viewer that opened the file."""
            return self.log_view

    class OpenFailed(Message):
        """The file cannot be shown; `reason` is one line naming it."""

        def __init__(self, log_view: LogView, path: Path, reason: str) -> None:
            super().__init__()
            self.log_view, self.path, self.reason = log_view, path, reason

        @property
        def control(self) -> LogView:
            """The viewer that failed to open the file."""
            return self.log_view

    class SearchFinished(Message):
        """A search ended: `matches` lines (`capped` at MAX_MATCHES), or a one-line `error`."""

        def __init__(
            self, log_view: LogView, pattern: str, matches: int, capped: bool, error: str | None
        ) -> None:
            super().__init__()
            self.log_view, self.pattern, self.matches = log_view, pattern, matches
            self.capped, self.error = capped, error

        @property
        def control(self) -> LogView:
            """The viewer that searched."""
            return self.log_view

    def __init__(
        self,
        path: Path | None = None,
        line: int | None = None,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._path, self._initial_line = path, line
        self._fd: int | None = None
        self._index: LineIndex | None = None
        self._message: str | None = None  # one line shown instead of the content
        self._generation = 0
        self._search_generation = 0
        self._cursor: int | None = None  # 0-based highlighted line
        self._pending_goto: int | None = None
        self._pending_search: tuple[str, bool, bool] | None = None
        self._matcher: Any = None
        self._pattern = ""
        self._matches: list[int] = []
        self._match_set: set[int] = set()
        self._match_pos: int | None = None
        self._capped = False
        self._search_note = ""
        self._lines: LRUCache[int, tuple[str, int]] = LRUCache(2048)
        self._gutter_width = 0

    # -- public API -------------------------------------------------------------------------------

    @property
    def path(self) -> Path | None:
        """The file shown, if any."""
        return self._path

    @property
    def line_count(self) -> int | None:
        """Lines in the file, or None until it is indexed (or when it cannot be shown)."""
        return len(self._index) if self._index is not None else None

    @property
    def message(self) -> str | None:
        """The one-line message shown instead of lines (an error, 'empty file', progress)."""
        return self._message

    @property
    def cursor_line(self) -> int | None:
        """The highlighted 1-based line (after goto or a match), if any."""
        return None if self._cursor is None else self._cursor + 1

    @property
    def matches(self) -> list[int]:
        """1-based lines matching the last search, in order."""
        return [line + 1 for line in self._matches]

    @property
    def current_match(self) -> int | None:
        """1-based position of the selected match among `matches`."""
        return None if self._match_pos is None else self._match_pos + 1

    @property
    def status_text(self) -> str:
        """The status line: file, line/total, match i/n."""
        return " · ".join([visible_text(str(self._path or "no file")), *self._status_parts()])

    def line_text(self, line: int) -> str:
        """The displayed text of a 1-based line (safe: controls visible, cut when very long)."""
        if self._index is None or not 1 <= line <= len(self._index):
            raise IndexError(line)
        text, cut = self._display_line(line - 1)
        return text + (_cut_marker(cut) if cut else "")

    def open(self, path: Path, line: int | None = None) -> None:
        """Show a file, then go to `line`; big files are indexed in a worker thread."""
        self._close_file()
        self._generation += 1
        self._search_generation += 1  # a search still running on the previous file is void
        self._path, self._index, self._cursor = path, None, None
        self._pending_goto, self._pending_search = line, None
        self._clear_search()
        self._lines.clear()
        try:
            fd, size = open_log_file(path)
        except LogUnreadable as err:
            self._fail(str(err))
            return
        self._fd = fd
        if size > SYNC_INDEX_BYTES:
            self._show_message(f"indexing {visible_text(path.name)}: 0%")
            self._index_in_thread(self._generation, os.dup(fd), size)
            return
        try:
            index = build_line_index(fd, size)
        except OSError as err:
            self._fail(f"{visible_text(str(path))}: {_one_line(err)}")
            return
        if index is not None:
            self._index_ready(index)

    def reload(self) -> None:
        """Open the same file again (it may have grown), keeping the highlighted line."""
        if self._path is not None:
            self.open(self._path, self.cursor_line)

    def goto(self, line: int) -> None:
        """Highlight a 1-based line and scroll it into view (clamped to the file)."""
        if self._index is None:
            self._pending_goto = line
            return
        if not len(self._index):
            return
        target = min(max(line, 1), len(self._index)) - 1
        position = bisect_left(self._matches, target)
        hit = position < len(self._matches) and self._matches[position] == target
        self._match_pos = position if hit else None
        self._move_cursor(target, center=True)

    def search(self, pattern: str, *, regex: bool = False, case_sensitive: bool = False) -> None:
        """Find the lines matching a plain text (or a regex), then go to the first from here.

        Matching is case-insensitive unless `case_sensitive`. An empty pattern clears the search.
        """
        self._search_generation += 1
        self._clear_search()
        if not pattern:
            self._refresh_all()
            return
        try:
            matcher = compile_search(pattern, regex=regex, case_sensitive=case_sensitive)
        except SearchError as err:
            self._search_note = str(err)
            self._refresh_all()
            self.post_message(self.SearchFinished(self, pattern, 0, False, str(err)))
            return
        if self._index is None or self._fd is None:
            if self._message is None or self._message.startswith("indexing"):
                self._pending_search = (pattern, regex, case_sensitive)  # runs once indexed
            else:
                self.post_message(self.SearchFinished(self, pattern, 0, False, "no file to search"))
            return
        self._matcher, self._pattern, self._search_note = matcher, pattern, "searching…"
        self._refresh_all()
        self._search_in_thread(self._search_generation, os.dup(self._fd), self._index, matcher)

    def action_next_match(self) -> None:
        """Go to the next matching line (wrapping to the first)."""
        if self._matches:
            anchor = self._anchor(before=False)
            position = bisect_right(self._matches, anchor)
            self._select_match(position if position < len(self._matches) else 0)
        else:
            self.app.bell()

    def action_previous_match(self) -> None:
        """Go to the previous matching line (wrapping to the last)."""
        if self._matches:
            position = bisect_left(self._matches, self._anchor(before=True)) - 1
            self._select_match(position if position >= 0 else len(self._matches) - 1)
        else:
            self.app.bell()

    def action_reload(self) -> None:
        """Re-read the file."""
        self.reload()

    # -- opening ----------------------------------------------------------------------------------

    def on_mount(self) -> None:
        """Open the file given to the constructor."""
        if self._path is not None and self._index is None and self._message is None:
            self.open(self._path, self._initial_line)

    def on_unmount(self) -> None:
        """Release the file."""
        self._close_file()

    def _close_file(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    @work(thread=True, exclusive=True, group="log-index", exit_on_error=False)
    def _index_in_thread(self, generation: int, fd: int, size: int) -> None:
        worker = get_current_worker()
        try:
            index = build_line_index(
                fd,
                size,
                self._progress_poster(generation, "indexing", size),
                lambda: worker.is_cancelled,
            )
            if index is not None:
                self.post_message(_Indexed(generation, index, None))
        except Exception as err:  # shown as one line, never as a traceback
            self.post_message(_Indexed(generation, None, _one_line(err)))
        finally:
            os.close(fd)

    def _progress_poster(self, generation: int, what: str, total: int) -> Callable[[int], None]:
        """A progress callback for a worker that posts a message each whole percent."""
        shown = [0]

        def post(done: int) -> None:
            percent = done * 100 // max(total, 1)
            if percent > shown[0]:
                shown[0] = percent
                self.post_message(_Progress(generation, what, done / max(total, 1)))

        return post

    @on(_Progress)
    def _on_progress_message(self, message: _Progress) -> None:
        if message.generation == self._generation and message.what == "indexing" and self._index is None:
            name = visible_text(self._path.name if self._path else "")
            self._show_message(f"indexing {name}: {message.fraction:.0%}")
        elif message.generation == self._search_generation and message.what == "searching":
            self._search_note = f"searching {message.fraction:.0%}"
            self._update_status()

    @on(_Indexed)
    def _on_indexed_message(self, message: _Indexed) -> None:
        if message.generation != self._generation:
            return
        if message.index is None:
            self._fail(f"{visible_text(str(self._path))}: {message.error}")
        else:
            self._index_ready(message.index)

    def _index_ready(self, index: LineIndex) -> None:
        self._index = index
        path = self._path or Path()
        if not len(index):
            self._show_message("empty file")
            self.post_message(self.Opened(self, path, 0))
            return
        self._message = None
        self._gutter_width = len(str(len(index))) + 3
        width = min(index.max_length, MAX_LINE_CHARS)
        if index.max_length > MAX_LINE_CHARS:
            width += len(_cut_marker(index.max_length))
        self.virtual_size = Size(self._gutter_width + width, len(index))
        self.post_message(self.Opened(self, path, len(index)))
        if self._pending_goto is not None:
            self.goto(self._pending_goto)
            self._pending_goto = None
        if self._pending_search is not None:
            pattern, regex, case_sensitive = self._pending_search
            self.search(pattern, regex=regex, case_sensitive=case_sensitive)
        self._refresh_all()

    def _fail(self, reason: str) -> None:
        self._close_file()
        self._index = None
        self._show_message(reason)
        self.post_message(self.OpenFailed(self, self._path or Path(), reason))

    def _show_message(self, text: str) -> None:
        self._message = text
        self.virtual_size = Size(len(text), 1)
        self._refresh_all()

    # -- searching --------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="log-search", exit_on_error=False)
    def _search_in_thread(self, generation: int, fd: int, index: LineIndex, matcher: Any) -> None:
        worker = get_current_worker()
        total = max(index.content_end, 1)
        try:
            outcome = search_lines(
                fd,
                index,
                matcher,
                self._progress_poster(generation, "searching", total),
                lambda: worker.is_cancelled,
            )
            if outcome is not None:
                self.post_message(_Searched(generation, outcome, None))
        except Exception as err:  # shown as one line, never as a traceback
            self.post_message(_Searched(generation, None, _one_line(err)))
        finally:
            os.close(fd)

    @on(_Searched)
    def _on_searched_message(self, message: _Searched) -> None:
        if message.generation != self._search_generation:
            return
        outcome = message.outcome or SearchOutcome()
        self._matches, self._match_set, self._capped = outcome.lines, set(outcome.lines), outcome.capped
        self._search_note = f"search failed: {message.error}" if message.error else ""
        if self._matches:
            position = bisect_left(self._matches, self._anchor(before=True))
            self._select_match(position if position < len(self._matches) else 0)
        self._refresh_all()
        self.post_message(
            self.SearchFinished(self, self._pattern, len(self._matches), self._capped, message.error)
        )

    def _clear_search(self) -> None:
        self._matcher, self._pattern, self._search_note = None, "", ""
        self._matches, self._match_set, self._match_pos, self._capped = [], set(), None, False

    def _select_match(self, position: int) -> None:
        self._match_pos = position
        self._move_cursor(self._matches[position], center=False)

    def _anchor(self, *, before: bool) -> int:
        top, bottom = self._visible_range()
        if self._cursor is not None and top <= self._cursor < bottom:
            return self._cursor
        return top if before else top - 1

    # -- cursor, scrolling and status -------------------------------------------------------------

    def _visible_range(self) -> tuple[int, int]:
        top = round(self.scroll_offset.y)
        return top, top + max(self.scrollable_content_region.height, 1)

    def _move_cursor(self, line: int, *, center: bool) -> None:
        self._cursor = line
        self._scroll_to_cursor(center)
        if not self.scrollable_content_region.height:  # not laid out yet: again once it is
            self.call_after_refresh(self._scroll_to_cursor, True)
        self._refresh_all()

    def _scroll_to_cursor(self, center: bool) -> None:
        if self._cursor is None:
            return
        top, bottom = self._visible_range()
        if center or not top <= self._cursor < bottom:
            height = self.scrollable_content_region.height
            # force: right after opening, the scrollbars (and so "may scroll") are not laid out yet
            self.scroll_to(y=max(self._cursor - height // 2, 0), animate=False, force=True)
        self._update_status()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        """Keep the status line's line number in step with scrolling."""
        super().watch_scroll_y(old_value, new_value)
        self._update_status()

    def on_resize(self, event: events.Resize) -> None:
        """Shorten the title to the new width."""
        self._update_status()

    def on_click(self, event: events.Click) -> None:
        """Highlight the clicked line."""
        offset = event.get_content_offset(self)
        if offset is None or self._index is None or self._message is not None:
            return
        line = round(self.scroll_offset.y) + offset.y
        if 0 <= line < len(self._index):
            self._cursor = line
            self._refresh_all()

    def _status_parts(self) -> list[str]:
        if self._index is None or not len(self._index):
            return [self._message] if self._message else []
        top, bottom = self._visible_range()
        shown = self._cursor if self._cursor is not None and top <= self._cursor < bottom else top
        parts = [f"line {shown + 1:,}/{len(self._index):,}"]
        more = "+" if self._capped else ""
        if self._search_note:
            parts.append(self._search_note)
        elif self._pattern and not self._matches:
            parts.append("no match")
        elif self._pattern and self._match_pos is not None:
            parts.append(f"match {self._match_pos + 1:,}/{len(self._matches):,}{more}")
        elif self._pattern:
            parts.append(f"{len(self._matches):,}{more} matches")
        return parts

    def _update_status(self) -> None:
        title = visible_text(str(self._path or ""))
        room = self.size.width - 6
        if 0 < room < len(title):
            title = "…" + title[-(room - 1) :]
        self.border_title = Text(title)
        self.border_subtitle = Text(" · ".join(self._status_parts()))

    def _refresh_all(self) -> None:
        self._update_status()
        self.refresh()

    # -- rendering --------------------------------------------------------------------------------

    def _display_line(self, line: int) -> tuple[str, int]:
        cached = self._lines.get(line)
        if cached is not None:
            return cached
        assert self._index is not None
        assert self._fd is not None
        start, end = self._index.span(line)
        length = end - start
        try:
            raw = os.pread(self._fd, min(length, 4 * MAX_LINE_CHARS + 4), start) if length > 0 else b""
        except OSError as err:
            return f"[cannot read this line: {_one_line(err)}]", 0
        short = len(raw) < length
        if not short and raw.endswith(b"\r"):
            raw = raw[:-1]  # CRLF line ends
        text = visible_text(raw.decode("utf-8", "replace"))
        cut = length if short or len(text) > MAX_LINE_CHARS else 0
        result = (text[:MAX_LINE_CHARS], cut)
        self._lines.set(line, result)
        return result

    def render_line(self, y: int) -> Strip:
        """One row of the view: gutter, then the line's text scrolled horizontally."""
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        base = self.rich_style
        if self._message is not None or self._index is None:
            if y or not self._message:
                return Strip.blank(width, base)
            style = base + self.get_component_rich_style("log-view--message", partial=True)
            return Strip([Segment(self._message, style)]).crop_extend(0, width, base)
        line = scroll_y + y
        if line >= len(self._index):
            return Strip.blank(width, base)
        text, cut = self._display_line(line)
        is_cursor = line == self._cursor
        row = base + self.get_component_rich_style("log-view--cursor", partial=True) if is_cursor else base
        mark = ">" if is_cursor else "*" if line in self._match_set else "│"
        gutter_class = "log-view--gutter" if mark == "│" else "log-view--gutter-mark"
        gutter_style = row + self.get_component_rich_style(gutter_class, partial=True)
        gutter = Strip([Segment(f"{line + 1:>{self._gutter_width - 3}} {mark} ", gutter_style)])
        segments = self._highlighted(text, row)
        if cut:
            marker_style = row + self.get_component_rich_style("log-view--marker", partial=True)
            segments.append(Segment(_cut_marker(cut), marker_style))
        room = max(width - self._gutter_width, 0)
        content = Strip(segments).crop_extend(scroll_x, scroll_x + room, row)
        return Strip.join([gutter, content]).crop_extend(0, width, base)

    def _highlighted(self, text: str, style: Style) -> list[Segment]:
        if self._matcher is None or not text:
            return [Segment(text, style)]
        match_style = style + self.get_component_rich_style("log-view--match", partial=True)
        segments: list[Segment] = []
        position = 0
        for found in self._matcher.finditer(text):
            start, end = found.span()
            if end <= start:
                continue
            if start > position:
                segments.append(Segment(text[position:start], style))
            segments.append(Segment(text[start:end], match_style))
            position = end
        if position < len(text):
            segments.append(Segment(text[position:], style))
        return segments
