"""An optional disk cache of answers, keyed by what was sent.

The key is the sha256 of the model, the redacted messages, the tools, the temperature
and any other request parameter that shapes the answer. Entries are small JSON files
written atomically; an unreadable entry is a miss. Off by default (`llm.cache`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assistant.llm.completion import Completion
from tools.atomic import write_atomically

CACHE_VERSION = 1


def cache_key(
    model: str,
    messages: Sequence[dict[str, Any]],
    tools: Sequence[dict[str, Any]] | None = None,
    temperature: float | None = None,
    params: dict[str, Any] | None = None,
) -> str:
    """sha256 of everything that decides the answer (messages already redacted)."""
    payload = {
        "v": CACHE_VERSION,
        "model": model,
        "messages": list(messages),
        "tools": list(tools or ()),
        "temperature": temperature,
        "params": params or {},
    }
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class ResponseCache:
    """Answers stored as `<dir>/<key[:2]>/<key>.json`."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def path(self, key: str) -> Path:
        """Where the entry of `key` lives."""
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> Completion | None:
        """The cached answer, marked cached and free, or None."""
        try:
            data = json.loads(self.path(key).read_text(encoding="utf-8"))
            completion = Completion.from_json(data["completion"])
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return Completion(
            text=completion.text,
            model=completion.model,
            tool_calls=completion.tool_calls,
            usage=completion.usage,
            cost_usd=0.0,
            finish_reason=completion.finish_reason,
            cached=True,
        )

    def put(self, key: str, completion: Completion) -> None:
        """Store an answer; a cache that cannot be written is skipped, never an error."""
        target = self.path(key)
        data = json.dumps({"key": key, "completion": completion.to_json()}).encode("utf-8")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(target, data, 0o600)
        except OSError:
            return
