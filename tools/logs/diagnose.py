"""`diagnose`: find the root cause of a failure in logs, offline.

Reads every input once, in blocks, through the signature catalogue; mines the
error lines no signature explains; ranks causes above symptoms; masks secrets
in everything it returns.
"""

from __future__ import annotations

import gzip
import time
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tools.errors import InputError
from tools.logs.catalogue import Catalogue, load_catalogue
from tools.logs.kinds import detect_kind
from tools.logs.mining import mine
from tools.logs.ranking import rank_findings
from tools.logs.report import DiagnosisReport, InputSummary, Stats
from tools.logs.scanner import Scanner, ScanState
from tools.logs.sources import SNIFF_BYTES, InputSource, discover, iter_windows, looks_binary, open_stream
from tools.redaction.secrets import Redactor

ProgressCallback = Callable[[str, int], None]


@dataclass
class DiagnoseOptions:
    """Knobs of a diagnosis; the defaults suit interactive use."""

    include: Sequence[str] = ()
    exclude: Sequence[str] = ()
    mined_clusters: int = 5
    block_size: int = 8 << 20
    extra_signatures: Sequence[Path] = ()
    known_secrets: Sequence[str] = field(default_factory=tuple)


def diagnose(
    paths: Sequence[str],
    options: DiagnoseOptions | None = None,
    catalogue: Catalogue | None = None,
    progress: ProgressCallback | None = None,
) -> DiagnosisReport:
    """Diagnose the given files, directories or `-` (stdin).

    Raises `InputError` when an input is missing or unreadable, or when nothing
    readable is left to diagnose.
    """
    options = options or DiagnoseOptions()
    started = time.perf_counter()
    found = discover(paths, options.include, options.exclude)
    catalogue = catalogue or load_catalogue(options.extra_signatures)
    compiled = catalogue.compiled
    state = ScanState()
    scanner = Scanner(catalogue.signatures, compiled, state)
    summaries: list[InputSummary] = []
    notes = list(found.notes)
    for source in found.sources:
        try:
            summary = _scan_source(source, scanner, options.block_size, progress)
        except InputError as err:
            if source.named:
                raise
            summary = InputSummary(source=source.name, skipped=err.problem)
        summaries.append(summary)
        if summary.skipped:
            notes.append(f"{source.name}: skipped ({summary.skipped})")
    usable = [s for s in summaries if not s.skipped]
    if not usable:
        if len(summaries) == 1:
            raise InputError(summaries[0].source, f"nothing to diagnose: input is {summaries[0].skipped}")
        raise InputError(", ".join(paths), "nothing to diagnose: every input is empty or binary")
    redactor = Redactor(options.known_secrets)
    redactor.learn(state.secret_lines)
    order = {summary.source: index for index, summary in enumerate(summaries)}
    mined = mine(state.unexplained, options.mined_clusters)
    findings = rank_findings(catalogue.signatures, state, mined, order, redactor)
    if state.unexplained_overflow:
        notes.append(
            f"{state.unexplained_overflow} error-like lines beyond the template limit were counted, not mined"
        )
    return DiagnosisReport(
        inputs=summaries,
        findings=findings,
        notes=[redactor.redact(note) for note in notes],
        stats=Stats(
            bytes=sum(s.bytes for s in summaries),
            lines=sum(s.lines for s in summaries),
            seconds=round(time.perf_counter() - started, 3),
            signatures=len(catalogue.signatures),
            unexplained_templates=len(state.unexplained),
        ),
    )


class _CountingReader:
    """Counts the bytes handed to the scanner and reports progress."""

    def __init__(self, stream: object, name: str, progress: ProgressCallback | None) -> None:
        self._stream = stream
        self._name = name
        self._progress = progress
        self.bytes = 0

    def read(self, size: int = -1) -> bytes:
        data: bytes = self._stream.read(size)  # type: ignore[attr-defined]
        self.bytes += len(data)
        if self._progress is not None and data:
            self._progress(self._name, len(data))
        return data


def _scan_source(
    source: InputSource, scanner: Scanner, block_size: int, progress: ProgressCallback | None
) -> InputSummary:
    try:
        stream = open_stream(source)
    except PermissionError as err:
        raise InputError(source.name, "permission denied") from err
    except OSError as err:
        raise InputError(source.name, err.strerror or "cannot be read") from err
    reader = _CountingReader(stream, source.name, progress)
    try:
        first = reader.read(SNIFF_BYTES)
        if not first:
            return InputSummary(source=source.name, skipped="empty")
        if looks_binary(first):
            return InputSummary(source=source.name, skipped="binary data", bytes=len(first))
        kind = detect_kind(first.decode("utf-8", "replace"))
        lines = scanner.scan(iter_windows(reader, first, block_size), source.name, kind)  # type: ignore[arg-type]
    except (gzip.BadGzipFile, EOFError, zlib.error) as err:
        raise InputError(source.name, f"not a valid gzip file ({err})") from err
    except OSError as err:
        raise InputError(source.name, err.strerror or str(err)) from err
    finally:
        if not source.is_stdin:
            stream.close()
    return InputSummary(source=source.name, kind=kind.primary.value, lines=lines, bytes=reader.bytes)
