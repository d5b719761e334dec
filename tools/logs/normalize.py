"""Line normalisation: colour codes, timestamp prefixes, long lines, variable parts."""

from __future__ import annotations

import re

ANSI_BYTES = re.compile(rb"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")
MAX_LINE_CHARS = 2000

# CI and `kubectl logs --timestamps` prefixes: ISO time, then GitLab's stream marker.
_PREFIX = re.compile(
    r"^\ufeff?(?P<ts>\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?)\s+(?:\d\d[OE]\+?\s)?"
)
_TIMESTAMPS = re.compile(
    r"(?P<ts>\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?"  # ISO 8601
    r"|[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d"  # syslog
    r"|\d\d/[A-Z][a-z]{2}/\d{4}:\d\d:\d\d:\d\d [+-]\d{4}"  # nginx
    r"|[IWEF]\d{4} \d\d:\d\d:\d\d\.\d+)"  # klog
)
_VARIABLE = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"  # uuid
    r"|\b(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?\b"  # ipv4[:port]
    r"|\b0x[0-9a-fA-F]+\b|\b[0-9a-f]{7,}\b"  # hex ids
    r"|\d+(?:\.\d+)?",
    re.IGNORECASE,
)


def strip_prefix(line: str) -> tuple[str, str | None]:
    """Remove a leading timestamp prefix; return the rest and the timestamp text."""
    match = _PREFIX.match(line)
    if match:
        return line[match.end() :], match.group("ts")
    return line, None


def find_timestamp(line: str) -> str | None:
    """The first timestamp in the start of a line, in any common format."""
    match = _TIMESTAMPS.search(line[:80])
    return match.group("ts") if match else None


def shorten(line: str, focus: int = 0, limit: int = MAX_LINE_CHARS) -> str:
    """Cut an over-long line to `limit` characters around position `focus`, marking the cuts."""
    if len(line) <= limit:
        return line
    half = limit // 2
    start = max(0, min(focus - half, len(line) - limit))
    end = start + limit
    head = "…" if start > 0 else ""
    tail = f"… [{len(line) - end} more characters]" if end < len(line) else ""
    return f"{head}{line[start:end]}{tail}"


def template_key(line: str) -> str:
    """The line with numbers, ids and addresses replaced by <*>, for grouping repeats."""
    return _VARIABLE.sub("<*>", line.strip())[:400]
