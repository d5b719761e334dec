"""`llm.cache` for the agent: langchain's model cache kept as JSON files on disk.

The key is the sha256 of the (already redacted) prompt and the model's settings; the
value is langchain's own serialisation of the answer. A cached answer makes no request
and costs nothing; files are written atomically, and a damaged one is a cache miss.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from langchain_core.caches import BaseCache

from tools.atomic import write_atomically


class DiskCache(BaseCache):
    """Answers stored under `folder`, one JSON file per prompt and model."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, prompt: str, llm_string: str) -> Path:
        digest = hashlib.sha256(f"{llm_string}\n{prompt}".encode()).hexdigest()
        return self.folder / "agent" / f"{digest}.json"

    def lookup(self, prompt: str, llm_string: str) -> Any:
        """The stored answer, or None."""
        from langchain_core.load import loads

        path = self._path(prompt, llm_string)
        try:
            return loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError, TypeError, KeyError, NotImplementedError):
            # a missing, damaged or foreign entry (langchain raises NotImplementedError for a
            # class it does not know) is a cache miss, never an error
            return None

    def update(self, prompt: str, llm_string: str, return_val: Any) -> None:
        """Store an answer (atomically; a cache that cannot be written is skipped)."""
        from langchain_core.load import dumps
        from langchain_core.messages import AIMessage
        from langchain_core.outputs import ChatGeneration

        # keep what the agent reads (text, tool calls); a cached answer costs no tokens, and provider
        # objects do not serialise
        kept = [
            ChatGeneration(
                message=AIMessage(
                    content=generation.message.content,
                    tool_calls=getattr(generation.message, "tool_calls", []),
                )
            )
            for generation in return_val
            if isinstance(generation, ChatGeneration)
        ]
        path = self._path(prompt, llm_string)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(path, dumps(kept).encode("utf-8"), 0o600)
        except OSError:
            return

    def clear(self, **kwargs: Any) -> None:
        """Forget every stored answer."""
        for path in (self.folder / "agent").glob("*.json"):
            path.unlink(missing_ok=True)
