"""The audit log: append-only JSON lines, each chained to the one before by a sha256.

Every proposal, approval, refusal and applied change (and, with the agent, every
model and tool call) is one record. A record's hash covers its content and the
previous record's hash, so editing, removing or reordering any record breaks the
chain from that point on, and `verify` names where.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

GENESIS = "0" * 64
LOCK_SUFFIX = ".lock"


def default_audit_path() -> Path:
    """`$XDG_DATA_HOME/shipmate/audit.jsonl`."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "shipmate" / "audit.jsonl"


def _digest(record: dict[str, Any]) -> str:
    body = {key: value for key, value in record.items() if key != "hash"}
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode("utf-8")).hexdigest()


class AuditLog:
    """One audit file; appends are serialised by a file lock."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_audit_path()

    def append(self, event: str, **data: Any) -> dict[str, Any]:
        """Add one record and return it."""
        from filelock import FileLock

        self.path.parent.mkdir(parents=True, exist_ok=True)
        with FileLock(str(self.path) + LOCK_SUFFIX, timeout=30):
            last = self._last()
            record: dict[str, Any] = {
                "seq": (last["seq"] + 1) if last else 1,
                "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
                "event": event,
                "data": data,
                "prev": last["hash"] if last else GENESIS,
            }
            record["hash"] = _digest(record)
            line = json.dumps(record, sort_keys=True, separators=(",", ":")) + "\n"
            descriptor = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(descriptor, line.encode("utf-8"))
                os.fsync(descriptor)
            finally:
                os.close(descriptor)
        return record

    def records(self) -> list[dict[str, Any]]:
        """Every record, oldest first (unparsable lines come back as {'broken': text})."""
        if not self.path.exists():
            return []
        found: list[dict[str, Any]] = []
        for text in self.path.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                found.append(json.loads(text))
            except json.JSONDecodeError:
                found.append({"broken": text})
        return found

    def verify(self) -> AuditCheck:
        """Walk the chain; the first record that does not fit says where tampering starts."""
        previous = GENESIS
        records = self.records()
        for position, record in enumerate(records, start=1):
            if "broken" in record:
                return AuditCheck(False, len(records), f"line {position} is not a JSON record")
            if record.get("seq") != position:
                return AuditCheck(
                    False, len(records), f"line {position}: record {record.get('seq')} out of order"
                )
            if record.get("prev") != previous:
                return AuditCheck(False, len(records), f"line {position}: chain broken (a record removed?)")
            if record.get("hash") != _digest(record):
                return AuditCheck(False, len(records), f"line {position}: record edited (hash mismatch)")
            previous = record["hash"]
        return AuditCheck(True, len(records), "chain intact")

    def _last(self) -> dict[str, Any] | None:
        if not self.path.exists() or self.path.stat().st_size == 0:
            return None
        with self.path.open("rb") as handle:
            handle.seek(max(0, self.path.stat().st_size - 65536))
            tail = handle.read().decode("utf-8", errors="replace").strip().splitlines()
        record: dict[str, Any] = json.loads(tail[-1])
        return record


@dataclass(frozen=True)
class AuditCheck:
    """The result of verifying the chain."""

    ok: bool
    records: int
    message: str
