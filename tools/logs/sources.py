"""Find the inputs to diagnose and stream them in line-aligned blocks.

Inputs are files, directories (walked recursively, filtered by globs), `-` for
standard input, and gzip files (recognised by their magic bytes). Nothing is read
whole into memory: `iter_windows` yields blocks of a few MiB that overlap by a
few lines, so a line's neighbours are visible to context rules.
"""

from __future__ import annotations

import errno
import fnmatch
import gzip
import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from tools.errors import InputError

GZIP_MAGIC = b"\x1f\x8b"
SNIFF_BYTES = 64 * 1024
SKIPPED_DIRS = {".git", ".hg", ".svn", "__pycache__", "node_modules", ".venv"}


@dataclass(frozen=True)
class InputSource:
    """One input: a file path or standard input."""

    name: str
    path: Path | None = None
    named: bool = True  # named on the command line (an error stops the run), not found in a folder (skipped)

    @property
    def is_stdin(self) -> bool:
        """True for standard input."""
        return self.path is None


@dataclass
class Discovery:
    """The inputs found, and notes about what was skipped on the way."""

    sources: list[InputSource] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def discover(paths: Sequence[str], include: Sequence[str] = (), exclude: Sequence[str] = ()) -> Discovery:
    """Resolve command-line paths into input sources.

    Raises `InputError` for a missing path, an unreadable file named directly, or a
    directory with no readable file left after filtering.
    """
    found = Discovery()
    seen_stdin = False
    for raw in paths:
        if raw == "-":
            if not seen_stdin:
                found.sources.append(InputSource("stdin"))
                seen_stdin = True
            continue
        path = Path(raw)
        try:
            exists, is_dir = path.exists(), path.is_dir()
        except PermissionError as err:
            raise InputError(raw, "permission denied") from err
        if not exists:
            raise InputError(raw, "no such file or directory")
        if is_dir:
            walked = _walk_directory(path, include, exclude, found.notes)
            if not walked:
                raise InputError(
                    raw,
                    "directory holds no readable file"
                    + (" matching the filters" if include or exclude else ""),
                )
            found.sources.extend(walked)
        else:
            _check_readable(path, raw)
            found.sources.append(InputSource(raw, path))
    return found


def _walk_directory(
    root: Path, include: Sequence[str], exclude: Sequence[str], notes: list[str]
) -> list[InputSource]:
    sources: list[InputSource] = []
    for directory, subdirs, files in os.walk(
        root, onerror=lambda err: notes.append(f"{err.filename}: skipped ({err.strerror})")
    ):
        subdirs[:] = sorted(d for d in subdirs if d not in SKIPPED_DIRS)
        for name in sorted(files):
            path = Path(directory) / name
            relative = path.relative_to(root).as_posix()
            if include and not _matches_any(relative, name, include):
                continue
            if exclude and _matches_any(relative, name, exclude):
                continue
            if not path.is_file():
                continue
            if not os.access(path, os.R_OK):
                notes.append(f"{path}: skipped (permission denied)")
                continue
            sources.append(InputSource(str(path), path, named=False))
    return sources


def _matches_any(relative: str, name: str, globs: Sequence[str]) -> bool:
    return any(fnmatch.fnmatch(relative, g) or fnmatch.fnmatch(name, g) for g in globs)


def _check_readable(path: Path, shown: str) -> None:
    try:
        with path.open("rb"):
            pass
    except PermissionError as err:
        raise InputError(shown, "permission denied") from err
    except IsADirectoryError as err:  # pragma: no cover - is_dir() was checked first
        raise InputError(shown, "is a directory") from err
    except OSError as err:
        raise InputError(shown, err.strerror or f"cannot be read (errno {err.errno or errno.EIO})") from err


def open_stream(source: InputSource) -> BinaryIO:
    """Open a source for binary reading, decompressing gzip transparently."""
    raw: BinaryIO = sys.stdin.buffer if source.path is None else source.path.open("rb")
    head = raw.peek(2)[:2] if hasattr(raw, "peek") else b""
    if head == GZIP_MAGIC:
        return gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[return-value]
    return raw


def looks_binary(sample: bytes) -> bool:
    """A NUL byte in the first block means binary data, not a log."""
    return b"\x00" in sample[:SNIFF_BYTES]


@dataclass(frozen=True)
class Window:
    """A slice of an input: `data[scan_from:scan_to]` is new; the rest is context.

    `first_line` is the 1-based line number of `data[0]`.
    """

    data: bytes
    scan_from: int
    scan_to: int
    first_line: int
    new_lines: int  # line breaks in data[scan_from:scan_to]


def iter_windows(
    stream: BinaryIO, first_chunk: bytes, block_size: int = 8 << 20, overlap_lines: int = 30
) -> Iterator[Window]:
    """Yield overlapping, line-aligned windows over a stream.

    Each window holds up to `overlap_lines` already-scanned lines before the new
    region (look-behind) and ends `overlap_lines` lines early, carrying them into
    the next window (look-ahead), except at the end of the stream. A single line
    longer than a block is cut into pieces of `block_size` bytes.
    """
    behind = b""  # already scanned lines kept for look-behind
    pending = first_chunk  # not yet scanned
    line_at_pending = 1
    eof = False
    while True:
        while not eof and len(pending) < block_size:
            chunk = stream.read(block_size)
            if not chunk:
                eof = True
                break
            pending += chunk
        if not pending:
            return
        if eof:
            cut = len(pending)
        else:
            cut = _cut_before_last_lines(pending, overlap_lines)
            if cut <= 0:
                # no line break in a whole block: one long line, scanned in pieces
                cut = block_size
        data = behind + pending
        scanned = pending[:cut]
        new_lines = scanned.count(b"\n")
        yield Window(
            data=data,
            scan_from=len(behind),
            scan_to=len(behind) + cut,
            first_line=line_at_pending - behind.count(b"\n"),
            new_lines=new_lines,
        )
        line_at_pending += new_lines
        behind = _last_lines(behind + scanned, overlap_lines)
        pending = pending[cut:]
        if eof and not pending:
            return


def _cut_before_last_lines(buffer: bytes, lines: int) -> int:
    """Offset just after the line break that leaves `lines` complete lines at the end."""
    end = buffer.rfind(b"\n")
    if end == -1:
        return -1
    position = end
    for _ in range(lines):
        previous = buffer.rfind(b"\n", 0, position)
        if previous == -1:
            return end + 1 if position == end else position + 1
        position = previous
    return position + 1


def _last_lines(buffer: bytes, lines: int) -> bytes:
    """The last `lines` complete lines of a buffer that ends with a line break."""
    if not buffer.endswith(b"\n"):
        # a long line was cut: keep no look-behind across the cut
        return b""
    position = len(buffer) - 1
    for _ in range(lines):
        previous = buffer.rfind(b"\n", 0, position)
        if previous == -1:
            return buffer
        position = previous
    return buffer[position + 1 :]
