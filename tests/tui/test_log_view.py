"""LogView and LogScreen: a 2-million-line log, untrusted content, unreadable files, search keys."""

from __future__ import annotations

import gzip
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from textual.app import App, ComposeResult
from textual.message import Message
from textual.pilot import Pilot
from textual.widgets import Input

from assistant.tui import log_index
from assistant.tui.log_index import MAX_LINE_CHARS
from assistant.tui.log_screen import LogScreen
from assistant.tui.log_view import LogView

BIG_LINES = 2_000_000
NEEDLES = (1_999_000, 1_999_500, 1_999_990)


def write_big_log(path: Path, lines: int = BIG_LINES, width: int = 76) -> None:
    """`lines` fixed-width lines, each starting with its own 8-digit line number, written in blocks."""
    template = b"00000000 INFO [svc-3] request handled user=42 status=200".ljust(width - 1, b".") + b"\n"
    row = np.frombuffer(template, dtype=np.uint8)
    with path.open("wb") as out:
        for first in range(1, lines + 1, 250_000):
            numbers = np.arange(first, min(first + 250_000, lines + 1))
            block = np.tile(row, (len(numbers), 1))
            for digit in range(8):
                block[:, 7 - digit] = 48 + (numbers // 10**digit) % 10
            for needle in NEEDLES:
                if first <= needle < first + len(numbers):
                    block[needle - first, 25:36] = np.frombuffer(b"NEEDLE-7f3a", dtype=np.uint8)
            out.write(block.tobytes())


class Host(App[None]):
    """A LogView alone, recording the messages it posts."""

    def __init__(self, path: Path, line: int | None = None) -> None:
        super().__init__()
        self.path, self.line = path, line
        self.posted: list[Message] = []

    def compose(self) -> ComposeResult:
        yield LogView(self.path, self.line)

    def on_log_view_opened(self, message: LogView.Opened) -> None:
        self.posted.append(message)

    def on_log_view_open_failed(self, message: LogView.OpenFailed) -> None:
        self.posted.append(message)

    def on_log_view_search_finished(self, message: LogView.SearchFinished) -> None:
        self.posted.append(message)


async def until(pilot: Pilot[None], condition: Callable[[], bool], timeout: float = 60.0) -> None:
    """Let the app run until `condition` holds (the timeout only guards against a hang)."""
    for _ in range(int(timeout / 0.02)):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"condition never held: {condition.__doc__ or ''}")


def rows(view: LogView) -> list[str]:
    """The text of the rows on screen, gutter included."""
    return [view.render_line(y).text for y in range(view.scrollable_content_region.height)]


def row_of(view: LogView, line: int) -> str:
    """The on-screen row showing a 1-based line; fails when that line is not visible."""
    prefix = f"{line:>{len(str(view.line_count))}} "
    shown = [row for row in rows(view) if row.startswith(prefix)]
    assert shown, f"line {line} not on screen: {rows(view)[:3]}..."
    return shown[0]


@pytest.mark.anyio
async def test_big_log_is_indexed_and_goto_and_search_reach_the_end(tmp_path: Path) -> None:
    path = tmp_path / "big.log"
    write_big_log(path)
    assert path.stat().st_size > log_index.SYNC_INDEX_BYTES  # indexed in a worker thread
    app = Host(path, line=1_500_000)  # goes there as soon as the index is built
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(LogView)
        await until(pilot, lambda: bool(app.posted))
        assert view.line_count == BIG_LINES
        assert isinstance(app.posted[0], LogView.Opened)
        assert app.posted[0].line_count == BIG_LINES
        await pilot.pause()
        assert view.cursor_line == 1_500_000
        assert row_of(view, 1_500_000).startswith("1500000 > 01500000 INFO")
        assert "line 1,500,000/2,000,000" in view.status_text

        view.goto(BIG_LINES)
        await pilot.pause()
        assert row_of(view, BIG_LINES).startswith("2000000 > 02000000 INFO")
        view.goto(1_500_000)
        await pilot.pause()
        assert row_of(view, 1_500_000).startswith("1500000 > 01500000 INFO")

        view.search("needle-7F3A")  # plain text, case-insensitive
        await until(pilot, lambda: any(isinstance(m, LogView.SearchFinished) for m in app.posted))
        assert view.matches == list(NEEDLES)
        assert (view.cursor_line, view.current_match) == (1_999_000, 1)
        assert "match 1/3" in view.status_text
        highlighted = [s for s in view.render_line(view.cursor_line - view.scroll_offset.y - 1) if s.style]
        assert any(s.text == "NEEDLE-7f3a" and s.style and s.style.reverse for s in highlighted)

        view.focus()
        for key, expected in [("n", 1_999_500), ("n", 1_999_990), ("n", 1_999_000), ("N", 1_999_990)]:
            await pilot.press(key)
            assert view.cursor_line == expected, key
            assert "01999" in row_of(view, expected)
        await pilot.press("shift+f3")
        assert view.cursor_line == 1_999_500
        await pilot.press("f3")
        assert (view.cursor_line, view.current_match) == (1_999_990, 3)
        await pilot.press("end")
        await pilot.pause()
        assert row_of(view, BIG_LINES).endswith(".")


UNTRUSTED = [
    b"plain first line",
    b"bad utf-8 \xff\xfe\xc3 here",
    b"bell\x07 and \x1b[31mred\x1b[0m and nul-free \x7f",
    b"[bold]markup[/bold] and [link=http://x]link[/link]",
    b"tab\there",
    b"x" * 5000,
    b"windows line\r",
    b"bidi \xe2\x80\xae reversed",
]


@pytest.mark.anyio
async def test_untrusted_content_is_shown_literally(tmp_path: Path) -> None:
    path = tmp_path / "odd.log"
    path.write_bytes(b"\n".join(UNTRUSTED) + b"\n")
    app = Host(path)
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(LogView)
        await until(pilot, lambda: view.line_count is not None)
        assert view.line_count == len(UNTRUSTED)
        assert view.line_text(2) == "bad utf-8 \ufffd\ufffd\ufffd here"
        assert view.line_text(3) == "bell^G and ^[[31mred^[[0m and nul-free ^?"
        assert view.line_text(4) == "[bold]markup[/bold] and [link=http://x]link[/link]"
        assert view.line_text(5) == "tab     here"
        assert view.line_text(6).startswith("x" * MAX_LINE_CHARS + " … [line cut: 5,000 bytes]")
        assert view.line_text(7) == "windows line"
        assert view.line_text(8) == "bidi <U+202E> reversed"
        markup_row = view.render_line(3)
        assert markup_row.text.startswith("4 │ [bold]markup[/bold] and [link=http://x]link[/link]")
        assert not any(s.style and (s.style.bold or s.style.link) for s in markup_row)
        assert all("\x1b" not in row and "\x07" not in row for row in rows(view))
        assert "[bold]markup[/bold]" in app.export_screenshot()


def _deny(path: Path) -> Path:
    path.write_text("secret\n")
    path.chmod(0)
    return path


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda tmp: tmp / "missing.log", "missing.log: no such file"),
        (lambda tmp: tmp, ": is a directory, not a log file"),
        (lambda tmp: _deny(tmp / "denied.log"), "denied.log: permission denied"),
        (lambda tmp: tmp / "core.bin", "core.bin: binary file, not shown"),
        (lambda tmp: tmp / "app.log.gz", "app.log.gz: gzip-compressed; decompress it to view it"),
    ],
    ids=["missing", "directory", "permission-denied", "binary", "gzip"],
)
async def test_unreadable_files_show_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make: Callable[[Path], Path], expected: str
) -> None:
    (tmp_path / "core.bin").write_bytes(b"\x7fELF\x02\x01\x01\x00\x00\x00" * 100)
    (tmp_path / "app.log.gz").write_bytes(gzip.compress(b"hello\n"))
    path = make(tmp_path)
    if path.name == "denied.log" and os.geteuid() == 0:  # root reads anything: refuse as the OS would

        def refuse(_: Path) -> int:
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr(log_index, "_open_fd", refuse)
    app = Host(path)
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(LogView)
        await until(pilot, lambda: bool(app.posted))
        (failed,) = app.posted
        assert isinstance(failed, LogView.OpenFailed)
        assert failed.reason.endswith(expected)
        assert "\n" not in failed.reason
        assert view.message == failed.reason
        assert rows(view)[0].startswith(failed.reason[:78])
        assert view.line_count is None


@pytest.mark.anyio
async def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.log"
    path.write_bytes(b"")
    app = Host(path)
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(LogView)
        await until(pilot, lambda: bool(app.posted))
        assert isinstance(app.posted[0], LogView.Opened)
        assert (view.line_count, view.message) == (0, "empty file")
        assert rows(view)[0].startswith("empty file")
        view.search("x")
        await pilot.press("n")  # nothing to find: no error


@pytest.mark.anyio
async def test_regex_search_is_safe(tmp_path: Path) -> None:
    path = tmp_path / "app.log"
    path.write_text("a" * 3000 + "\n" + "ERROR code=504 upstream\n" + "error code=13\n" + "info\n")
    app = Host(path)
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(LogView)
        await until(pilot, lambda: view.line_count == 4)

        async def search(pattern: str, **flags: bool) -> LogView.SearchFinished:
            app.posted.clear()
            view.search(pattern, **flags)
            await until(pilot, lambda: bool(app.posted))
            (finished,) = app.posted
            assert isinstance(finished, LogView.SearchFinished)
            return finished

        assert (await search(r"(a+)+b", regex=True)).matches == 0  # catastrophic for a backtracking engine
        assert (await search(r"code=\d{2,3}\b", regex=True)).matches == 2
        assert view.matches == [2, 3]
        assert (await search(r"^error", regex=True, case_sensitive=True)).matches == 1
        assert view.matches == [3]
        assert (await search("ERROR", case_sensitive=False)).matches == 2
        bad = await search("(unclosed", regex=True)
        assert bad.error is not None
        assert bad.error.startswith("bad regex")
        backref = await search(r"(a)\1", regex=True)
        assert backref.error is not None
        assert "not supported" in backref.error
        assert "not supported" in view.status_text


class ScreenHost(App[None]):
    """An app that pushes a LogScreen at a line."""

    def __init__(self, path: Path, line: int) -> None:
        super().__init__()
        self.path, self.line = path, line

    def on_mount(self) -> None:
        self.push_screen(LogScreen(self.path, self.line))


@pytest.mark.anyio
async def test_log_screen_search_bar_and_keys(tmp_path: Path) -> None:
    path = tmp_path / "svc.log"
    path.write_text(
        "".join(f"{n:05d} {'timeout talking to db' if n % 1000 == 0 else 'ok'}\n" for n in range(1, 5001))
    )
    app = ScreenHost(path, 1234)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, LogScreen)
        view = screen.log_view
        await until(pilot, lambda: view.cursor_line == 1234)
        assert screen.title == str(path)
        assert "01234 ok" in row_of(view, 1234)
        assert app.focused is view

        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"TalkiNg", "enter")  # "n" and "N" go into the box, not to the viewer
        await until(
            pilot, lambda: view.matches == [1000, 2000, 3000, 4000, 5000] and view.cursor_line == 2000
        )
        assert app.focused is view
        await pilot.press("n")
        assert view.cursor_line == 3000
        await pilot.press("slash", "ctrl+a", "ctrl+k", *":42", "enter")
        assert view.cursor_line == 42
        await pilot.press("f3")
        assert view.cursor_line == 1000  # first match after the cursor
        await pilot.press("slash", "escape")  # Esc closes the screen even from the search bar
        await pilot.pause()
        assert not isinstance(app.screen, LogScreen)


@pytest.mark.parametrize("block", [7, 64, 1 << 20])
def test_search_finds_every_line_whatever_the_block_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, block: int
) -> None:
    rng = np.random.default_rng(5)
    lines = [
        (
            "x" * int(rng.integers(0, 40))
            + ("Hit" if rng.random() < 0.3 else "")
            + "y" * int(rng.integers(0, 40))
        )
        for _ in range(3000)
    ]
    path = tmp_path / "random.log"
    path.write_text("\n".join(lines))  # no final newline
    monkeypatch.setattr(log_index, "SEARCH_CHUNK_BYTES", block)
    fd, size = log_index.open_log_file(path)
    try:
        index = log_index.build_line_index(fd, size)
        assert index is not None
        assert len(index) == len(lines)
        outcome = log_index.search_lines(fd, index, log_index.compile_search("hit"))
    finally:
        os.close(fd)
    assert outcome is not None
    expected = [n for n, line in enumerate(lines) if "hit" in line.lower()]
    if block == 7:  # lines longer than a block are searched in their first block only
        expected = [n for n, line in enumerate(lines) if "hit" in line[:7].lower()]
    assert outcome.lines == expected
