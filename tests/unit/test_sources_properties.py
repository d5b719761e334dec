"""Property tests for the block windows: whatever the data and block size, every byte is
scanned exactly once, line numbers are right, and the context around each region is real."""

from __future__ import annotations

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import DATA
from tools.logs.catalogue import Catalogue, parse_signature_file
from tools.logs.diagnose import DiagnoseOptions, diagnose
from tools.logs.sources import iter_windows

LINES = st.lists(st.binary(max_size=40).map(lambda b: b.replace(b"\n", b"")), max_size=60)


@settings(max_examples=200, deadline=None)
@given(lines=LINES, trailing_newline=st.booleans(), block=st.integers(1, 64), overlap=st.integers(0, 5))
def test_windows_cover_the_stream_exactly_once(
    lines: list[bytes], trailing_newline: bool, block: int, overlap: int
) -> None:
    data = b"\n".join(lines) + (b"\n" if trailing_newline and lines else b"")
    stream = io.BytesIO(data)
    first = stream.read(block)
    scanned = b""
    for window in iter_windows(stream, first, block_size=block, overlap_lines=overlap):
        region = window.data[window.scan_from : window.scan_to]
        # the region starts where the scanned bytes so far end
        assert data.startswith(scanned + region)
        # line numbers: the window starts at the line its look-behind says
        assert window.first_line + window.data.count(b"\n", 0, window.scan_from) == scanned.count(b"\n") + 1
        assert window.new_lines == region.count(b"\n")
        # look-behind and look-ahead are the real neighbouring bytes
        behind = window.data[: window.scan_from]
        assert scanned.endswith(behind)
        assert data[len(scanned) :].startswith(window.data[window.scan_from :])
        scanned += region
    assert scanned == data


FILLER = st.sampled_from([b"INFO ok", b"", b"DEBUG tick 42", b"WARN slow \xff\xfe", b"x" * 300])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    filler=st.lists(FILLER, min_size=1, max_size=120),
    hits=st.lists(st.integers(0, 119), min_size=1, max_size=5, unique=True),
    block=st.integers(64, 2048),
)
def test_scanner_reports_the_true_line_of_every_hit(
    filler: list[bytes], hits: list[int], block: int, tmp_path_factory: pytest.TempPathFactory
) -> None:
    lines = list(filler)
    for position in sorted(hits):
        lines.insert(min(position, len(lines)), b"dial db: connection refused")
    expected = [n + 1 for n, line in enumerate(lines) if line == b"dial db: connection refused"]
    path = tmp_path_factory.mktemp("prop") / "app.log"
    path.write_bytes(b"\n".join(lines) + b"\n")
    catalogue = Catalogue(parse_signature_file(DATA / "mini-signatures.yaml", "mini"))
    report = diagnose([str(path)], DiagnoseOptions(block_size=block), catalogue=catalogue)
    finding = next(f for f in report.findings if f.id == "t.refused")
    assert finding.occurrence is not None
    assert finding.occurrence.count == len(expected)
    assert (finding.occurrence.first_line, finding.occurrence.last_line) == (expected[0], expected[-1])
    assert {e.line for e in finding.evidence} <= set(expected)
    assert report.stats.lines == len(lines)
