"""Block windows keep line numbers right across block boundaries and long lines."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest

from tools.errors import InputError
from tools.logs.sources import discover, iter_windows, looks_binary, open_stream


def _scanned_lines(data: bytes, block_size: int, overlap: int = 3) -> list[tuple[int, bytes]]:
    """Reassemble (line number, text) of every scanned region of every window."""
    stream = io.BytesIO(data)
    first = stream.read(block_size)
    out: list[tuple[int, bytes]] = []
    for window in iter_windows(stream, first, block_size=block_size, overlap_lines=overlap):
        number = window.first_line + window.data.count(b"\n", 0, window.scan_from)
        region = window.data[window.scan_from : window.scan_to]
        for piece in region.split(b"\n"):
            out.append((number, piece))
            number += 1
        if region.endswith(b"\n"):
            out.pop()
    return out


@pytest.mark.parametrize("block_size", [16, 64, 1000, 1 << 20])
def test_every_line_is_scanned_once_with_its_number(block_size: int) -> None:
    lines = [f"line {n} {'x' * (n % 7)}".encode() for n in range(1, 301)]
    scanned = _scanned_lines(b"\n".join(lines) + b"\n", block_size)
    assert [n for n, _ in scanned] == list(range(1, 301))
    assert [text for _, text in scanned] == lines


def test_window_carries_lines_before_and_after_the_new_region() -> None:
    data = b"".join(f"l{n}\n".encode() for n in range(1, 200))
    stream = io.BytesIO(data)
    windows = list(iter_windows(stream, stream.read(100), block_size=100, overlap_lines=5))
    assert len(windows) > 3
    middle = windows[2]
    assert middle.data[: middle.scan_from].count(b"\n") == 5  # look-behind
    assert middle.data[middle.scan_to :].count(b"\n") >= 5  # look-ahead


def test_a_line_longer_than_a_block_is_cut_into_pieces_without_losing_bytes() -> None:
    long_line = b"a" * 5000 + b" needle " + b"b" * 5000
    data = b"first\n" + long_line + b"\nlast\n"
    stream = io.BytesIO(data)
    windows = list(iter_windows(stream, stream.read(1024), block_size=1024, overlap_lines=2))
    scanned = b"".join(w.data[w.scan_from : w.scan_to] for w in windows)
    assert scanned == data
    assert max(len(w.data) for w in windows) < 4 * 1024


def test_final_line_without_newline_is_scanned() -> None:
    assert _scanned_lines(b"one\ntwo", 1024)[-1] == (2, b"two")


def test_gzip_is_recognised_by_content(tmp_path: Path) -> None:
    path = tmp_path / "log.txt"  # no .gz suffix on purpose
    path.write_bytes(gzip.compress(b"hello\n"))
    source = discover([str(path)]).sources[0]
    with open_stream(source) as stream:
        assert stream.read() == b"hello\n"


def test_binary_detection() -> None:
    assert looks_binary(b"\x7fELF\x00\x01")
    assert not looks_binary("héllo wörld\n".encode())


def test_discover_walks_directories_with_globs(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.log").write_text("a\n")
    (tmp_path / "sub" / "b.log").write_text("b\n")
    (tmp_path / "sub" / "c.txt").write_text("c\n")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("ref\n")
    names = [Path(s.name).name for s in discover([str(tmp_path)], include=["*.log"]).sources]
    assert names == ["a.log", "b.log"]
    names = [Path(s.name).name for s in discover([str(tmp_path)], exclude=["sub/*"]).sources]
    assert names == ["a.log"]


def test_missing_path_and_empty_directory_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file or directory"):
        discover([str(tmp_path / "nope.log")])
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no readable file"):
        discover([str(tmp_path / "empty")])
    (tmp_path / "x.txt").write_text("x\n")
    with pytest.raises(InputError, match="matching the filters"):
        discover([str(tmp_path)], include=["*.log"], exclude=["empty"])
