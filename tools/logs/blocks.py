"""Details inside multi-line error blocks that a one-line match cannot see.

Some tools print an error as a block: terraform's `╷ │ Error: ... ╵` box, a Python
traceback, a Go panic. The matched line names the error; the lines that make it
actionable (the source line, the innermost frame, the exception) come after it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

Lines = list[tuple[int, str]]
MAX_DETAILS = 3

_TF_ERROR = re.compile(r"^(?:│ )?Error: ")
_TF_SOURCE_LINE = re.compile(r"^│\s+\d+:")
_TF_DETAIL = re.compile(r"^│ (?!Error:|Warning:)[A-Z]")
_TF_EXCEPTION = re.compile(r"^│ .*\b[A-Z]\w*(?:Exception|Error|Fault)\b")
_PY_TRACEBACK = re.compile(r"Traceback \(most recent call last\):")
_PY_FRAME = re.compile(r'^\s+File "')
_PY_EXCEPTION = re.compile(r"^[A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt|Warning)?\b.*")
_GO_PANIC = re.compile(r"^panic: |^fatal error: ")
_GO_APP_FRAME = re.compile(r"^\s+/\S+\.go:\d+")
_GO_RUNTIME_FRAME = re.compile(r"/go/src/runtime/|/runtime/panic\.go")


def terraform_box(after: Lines) -> Lines:
    """The quoted source line, the first detail sentence and the first exception of the box."""
    source: Lines = []
    detail: Lines = []
    exception: Lines = []
    for number, line in after:
        if line.startswith("╵") or _TF_ERROR.match(line):
            break
        if not source and _TF_SOURCE_LINE.match(line):
            source.append((number, line))
        elif not exception and _TF_EXCEPTION.match(line):
            exception.append((number, line))
        elif not detail and _TF_DETAIL.match(line):
            detail.append((number, line))
    return sorted(source + detail + exception)


def python_traceback(after: Lines) -> Lines:
    """The innermost frame and the exception line that ends the traceback."""
    innermost: tuple[int, str] | None = None
    for number, line in after:
        if _PY_FRAME.match(line):
            innermost = (number, line)
        elif innermost is not None and line and not line[0].isspace():
            if _PY_EXCEPTION.match(line):
                return [innermost, (number, line)]
            break
    return [innermost] if innermost else []


def go_panic(after: Lines) -> Lines:
    """The first application frame under the panicking goroutine."""
    for number, line in after:
        if _GO_APP_FRAME.match(line) and not _GO_RUNTIME_FRAME.search(line):
            return [(number, line)]
    return []


# (how the matched line starts a block, how far the block may reach, the extractor)
EXTRACTORS: tuple[tuple[re.Pattern[str], int, Callable[[Lines], Lines]], ...] = (
    (_TF_ERROR, 25, terraform_box),
    (_PY_TRACEBACK, 80, python_traceback),
    (_GO_PANIC, 40, go_panic),
)


def block_reach(text: str) -> tuple[int, Callable[[Lines], Lines]] | None:
    """When `text` opens a block: how many lines to read after it, and what extracts the details."""
    for opener, reach, extractor in EXTRACTORS:
        if opener.search(text) if opener is _PY_TRACEBACK else opener.match(text):
            return reach, extractor
    return None
