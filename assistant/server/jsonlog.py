"""JSON logs, one object per line (time, level, event and context fields); never tokens or bodies."""

from __future__ import annotations

import json
import sys
import threading
from datetime import UTC, datetime
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from tools.redaction.secrets import Redactor

_ALLOWED_TYPES = (str, int, float, bool, type(None))


class JsonLogger:
    """Writes one JSON object per line to a stream; safe to call from worker threads.

    Fields are meant to be identifiers and numbers (delivery, repo, pr, duration, status); string
    values still go through the redactor, so a secret pasted into an error message does not leak.
    """

    def __init__(self, stream: IO[str] | None = None, *, known_secrets: tuple[str, ...] = ()) -> None:
        self._stream = stream
        self._lock = threading.Lock()
        self._known = known_secrets
        self._redactor: Redactor | None = None

    def log(self, level: str, event: str, **fields: object) -> None:
        """Write {"time", "level", "event", **fields}; values that are not plain scalars become text."""
        record: dict[str, object] = {
            "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "level": level,
            "event": event,
        }
        with self._lock:  # the redactor remembers secrets it saw: one thread at a time
            for key, raw in fields.items():
                value = raw if isinstance(raw, _ALLOWED_TYPES) else str(raw)
                record[key] = self._redact(value) if isinstance(value, str) and value else value
            line = json.dumps(record, ensure_ascii=False)
            stream = self._stream or sys.stderr
            stream.write(line + "\n")
            stream.flush()

    def info(self, event: str, **fields: object) -> None:
        """Log at level info."""
        self.log("info", event, **fields)

    def warning(self, event: str, **fields: object) -> None:
        """Log at level warning."""
        self.log("warning", event, **fields)

    def error(self, event: str, **fields: object) -> None:
        """Log at level error."""
        self.log("error", event, **fields)

    def _redact(self, text: str) -> str:
        if self._redactor is None:
            from tools.redaction.secrets import Redactor

            self._redactor = Redactor(self._known)
        return self._redactor.redact(text)
