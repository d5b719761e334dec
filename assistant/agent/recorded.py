"""Recorded tool outputs: what the cluster tools answer in an eval case instead of a cluster.

An agent eval case can list, in tools.yaml, the output each cluster tool call gets
(`kubectl describe`, logs, a cluster diagnosis recorded once). A call matches a record
when its tool is the same and the record's arguments are a subset of the call's; the
first match answers. A call nothing matches gets an error: no case reaches a real cluster.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tools.errors import InputError


@dataclass(frozen=True)
class RecordedCall:
    """One recorded answer."""

    tool: str
    args: dict[str, Any]
    output: str


@dataclass
class Recordings:
    """The recorded answers of one case, in order."""

    calls: list[RecordedCall] = field(default_factory=list)

    def answer(self, tool: str, args: dict[str, Any]) -> str | None:
        """The output of the first record matching this call, or None."""
        for call in self.calls:
            if call.tool == tool and all(_same(args.get(k), v) for k, v in call.args.items()):
                return call.output
        return None


def load_recordings(path: Path) -> Recordings:
    """Read tools.yaml: a list of {tool, args, output}, output a file of the case; InputError on bad input."""
    import yaml

    try:
        entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        raise InputError(str(path), f"cannot be read: {str(err).splitlines()[0]}") from err
    if not isinstance(entries, list):
        raise InputError(str(path), "must be a list of {tool, args, output}")
    calls = []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("tool"), str) or "output" not in entry:
            raise InputError(str(path), f"entry {number}: needs `tool` and `output`")
        args = entry.get("args") or {}
        if not isinstance(args, dict):
            raise InputError(str(path), f"entry {number}: `args` must be a mapping")
        output = path.parent / str(entry["output"])
        if not output.resolve().is_relative_to(path.parent.resolve()) or not output.is_file():
            raise InputError(str(path), f"entry {number}: no file {entry['output']} in the case")
        calls.append(RecordedCall(entry["tool"], args, output.read_text(encoding="utf-8", errors="replace")))
    return Recordings(calls)


def _same(given: Any, recorded: Any) -> bool:
    return str(given).lower() == str(recorded).lower()
