"""Messages on their way out: every piece of text redacted, and a hash to audit instead of the text."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from typing import Any

Message = dict[str, Any]
Redact = Callable[[str], str]


def redact_messages(messages: Sequence[Message], redact: Redact) -> list[Message]:
    """Copies of `messages` with `redact` applied to every text the provider would see.

    That is the content (a string or a list of text parts) and the arguments of earlier
    tool calls, which the model may have filled with text it read from a log or a file.
    """
    return [_redact_message(message, redact) for message in messages]


def prompt_sha256(messages: Sequence[Message], tools: Sequence[dict[str, Any]] | None = None) -> str:
    """A stable hash of what was sent: the audit log holds this, never the text."""
    payload = {"messages": list(messages), "tools": list(tools or ())}
    return hashlib.sha256(_canonical(payload).encode("utf-8")).hexdigest()


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def _redact_message(message: Message, redact: Redact) -> Message:
    copy = dict(message)
    content = copy.get("content")
    if isinstance(content, str):
        copy["content"] = redact(content)
    elif isinstance(content, list):
        copy["content"] = [_redact_part(part, redact) for part in content]
    if copy.get("tool_calls"):
        copy["tool_calls"] = [_redact_tool_call(call, redact) for call in copy["tool_calls"]]
    return copy


def _redact_part(part: Any, redact: Redact) -> Any:
    if isinstance(part, str):
        return redact(part)
    if isinstance(part, dict) and isinstance(part.get("text"), str):
        return {**part, "text": redact(part["text"])}
    return part


def _redact_tool_call(call: Any, redact: Redact) -> Any:
    if not isinstance(call, dict) or not isinstance(call.get("function"), dict):
        return call
    function = dict(call["function"])
    if isinstance(function.get("arguments"), str):
        function["arguments"] = redact(function["arguments"])
    return {**call, "function": function}
