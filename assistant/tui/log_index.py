"""Line offsets and search for big log files: what the log viewer needs, without any widget.

`build_line_index` finds every line start once (numpy, in blocks); `search_lines` scans raw
byte blocks with RE2 (linear time, releases the GIL, `never_nl`) so a pathological
pattern can neither hang nor freeze the UI. Files are read with `os.pread`, not mmap: a
log truncated while mapped (copytruncate rotation) would kill the process with SIGBUS.
`visible_text` shows control and bidi characters escaped: file content is untrusted.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tools.logs.sources import GZIP_MAGIC, SNIFF_BYTES, looks_binary

if TYPE_CHECKING:
    import numpy.typing as npt


INDEX_CHUNK_BYTES = 2 << 20  # fits in cache: faster than bigger blocks
SYNC_INDEX_BYTES = 8 << 20  # smaller files are indexed at once, bigger ones in a worker
SEARCH_CHUNK_BYTES = 8 << 20
MAX_LINE_CHARS = 1000  # a displayed line is cut here, with a marker
MAX_MATCHES = 10_000
TAB_SIZE = 8


def _visible_table() -> dict[int, str]:
    table = {code: f"^{chr(code + 0x40)}" for code in range(0x20) if code != 0x09}  # caret notation
    table[0x7F] = "^?"
    table.update({code: f"\\x{code:02x}" for code in range(0x80, 0xA0)})  # C1 controls
    bidi = [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C, 0xFEFF]
    table.update({code: f"<U+{code:04X}>" for code in bidi})  # reordering marks could hide text
    return table


_VISIBLE = _visible_table()


def visible_text(raw: str) -> str:
    """Untrusted text made safe to show: controls in caret notation (ESC is ^[), bidi marks named,
    tabs expanded."""
    return raw.translate(_VISIBLE).expandtabs(TAB_SIZE)


class LogUnreadable(Exception):
    """A file the viewer cannot show; the message is one line naming the file."""


class SearchError(ValueError):
    """A search pattern that cannot run; the message is one line."""


@dataclass(frozen=True)
class LineIndex:
    """Byte offsets of the start of every line of a file."""

    starts: npt.NDArray[Any]
    content_end: int  # end of the last line, without its final newline
    max_length: int  # bytes in the longest line

    def __len__(self) -> int:
        return int(self.starts.shape[0])

    def span(self, line: int) -> tuple[int, int]:
        """Start and end byte of a 0-based line, without its newline."""
        start = int(self.starts[line])
        end = int(self.starts[line + 1]) - 1 if line + 1 < len(self) else self.content_end
        return start, end

    def line_of(self, offset: int) -> int:
        """The 0-based line holding a byte offset."""
        return self.lines_before(offset + 1) - 1

    def lines_before(self, offset: int) -> int:
        """How many lines start before a byte offset."""
        # the offset must have the array's dtype: a Python int would make numpy copy the whole array
        value = self.starts.dtype.type(min(max(offset, 0), self.content_end + 1))
        return int(self.starts.searchsorted(value, side="left"))


def open_log_file(path: Path) -> tuple[int, int]:
    """Open a log for viewing: a file descriptor and its size.

    Raises `LogUnreadable` with a one-line reason for a missing file, a directory,
    anything not a regular file, permission denied, gzip data or binary data.
    """
    shown, fd = visible_text(str(path)), -1
    try:
        mode = path.stat().st_mode
        if stat.S_ISDIR(mode):
            raise LogUnreadable(f"{shown}: is a directory, not a log file")
        if not stat.S_ISREG(mode):
            raise LogUnreadable(f"{shown}: not a regular file")  # a FIFO or a device would block
        fd = _open_fd(path)
        head = os.pread(fd, SNIFF_BYTES, 0)
        if head[:2] == GZIP_MAGIC:
            raise LogUnreadable(f"{shown}: gzip-compressed; decompress it to view it")
        if looks_binary(head):
            raise LogUnreadable(f"{shown}: binary file, not shown")
        return fd, os.fstat(fd).st_size
    except (LogUnreadable, OSError) as err:
        if fd >= 0:
            os.close(fd)
        if isinstance(err, LogUnreadable):
            raise
        if isinstance(err, FileNotFoundError):
            raise LogUnreadable(f"{shown}: no such file") from None
        if isinstance(err, PermissionError):
            raise LogUnreadable(f"{shown}: permission denied") from None
        raise LogUnreadable(f"{shown}: {(err.strerror or 'cannot be read').lower()}") from None


def _open_fd(path: Path) -> int:
    return os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))


def build_line_index(
    fd: int,
    size: int,
    progress: Callable[[int], object] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> LineIndex | None:
    """Index the line starts of the first `size` bytes of an open file; None if cancelled."""
    import numpy as np

    dtype = np.uint32 if size < 2**31 else np.int64  # offsets + 1 must not overflow
    parts = [np.zeros(1, dtype=dtype)]
    buffer = bytearray(min(INDEX_CHUNK_BYTES, max(size, 1)))
    offset, last_byte = 0, b""
    while offset < size:
        count = os.preadv(fd, [buffer], offset)
        if count == 0:  # truncated meanwhile
            break
        block = np.frombuffer(buffer, dtype=np.uint8, count=count)
        newlines = np.flatnonzero(block == 0x0A)
        if newlines.size:
            parts.append((newlines + (offset + 1)).astype(dtype))
        last_byte = bytes(buffer[count - 1 : count])
        offset += count
        if cancelled is not None and cancelled():
            return None
        if progress is not None:
            progress(offset)
    starts = np.concatenate(parts)
    if last_byte == b"\n":
        starts = starts[:-1]  # the final newline ends the last line; it starts none
    content_end = offset - 1 if last_byte == b"\n" else offset
    if not offset:
        return LineIndex(starts[:0], 0, 0)
    longest = int(np.diff(starts).max()) - 1 if len(starts) > 1 else 0
    longest = max(longest, content_end - int(starts[-1]))
    return LineIndex(starts, content_end, longest)


def compile_search(pattern: str, *, regex: bool = False, case_sensitive: bool = False) -> Any:
    """An RE2 matcher for a plain text or a regex (Python syntax, without backtracking features)."""
    import re2

    options = re2.Options()
    options.never_nl = True  # a match never spans lines, even for `\s` or `[^x]`
    options.log_errors = False  # RE2 would write to the terminal under the UI
    options.case_sensitive = case_sensitive
    options.max_mem = 64 << 20
    try:
        return re2.compile("(?m)" + pattern if regex else re2.escape(pattern), options)
    except re2.error as err:
        try:
            re.compile(pattern)
        except re.error as bad:
            raise SearchError(f"bad regex: {bad}") from None
        detail = err.args[0].decode(errors="replace") if err.args and isinstance(err.args[0], bytes) else err
        raise SearchError(f"regex not supported (no backreferences or lookaround): {detail}") from None


@dataclass
class SearchOutcome:
    """0-based lines that match, in order; capped at MAX_MATCHES."""

    lines: list[int] = field(default_factory=list)
    capped: bool = False


def search_lines(
    fd: int,
    index: LineIndex,
    matcher: Any,
    progress: Callable[[int], object] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> SearchOutcome | None:
    """Every line of an indexed file that the matcher finds something in; None if cancelled.

    Reads blocks of whole lines; a line longer than a block is searched in its first block only.
    """
    outcome, total, first = SearchOutcome(), len(index), 0
    while first < total:
        start = int(index.starts[first])
        # the lines that end inside the block, or the first line alone when it is longer than that
        stop = min(max(index.lines_before(start + SEARCH_CHUNK_BYTES + 1) - 1, first + 1), total)
        end = int(index.starts[stop]) if stop < total else index.content_end
        data = os.pread(fd, min(end - start, SEARCH_CHUNK_BYTES), start)
        pos = 0
        while (found := matcher.search(data, pos)) is not None:
            line = index.line_of(start + found.start())
            outcome.lines.append(line)
            if len(outcome.lines) >= MAX_MATCHES:
                outcome.capped = True
                return outcome
            if line + 1 >= stop:
                break
            pos = int(index.starts[line + 1]) - start
        first = stop
        if cancelled is not None and cancelled():
            return None
        if progress is not None:
            progress(end)
    return outcome
