"""What a model call returns: text, tool calls, tokens, cost and the model that answered."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class ToolCall:
    """One tool call the model asked for.

    `arguments` is None when the model sent arguments that are not a JSON object;
    `error` then says why, so the agent can tell the model instead of guessing.
    """

    id: str
    name: str
    raw_arguments: str
    arguments: dict[str, Any] | None
    error: str | None = None

    @classmethod
    def parse(cls, call_id: str, name: str, raw: str | None) -> ToolCall:
        """A tool call from the wire form; malformed arguments are kept raw with an error."""
        text = raw or ""
        if not text.strip():
            return cls(call_id, name, text, {})
        try:
            value = json.loads(text)
        except json.JSONDecodeError as err:
            return cls(call_id, name, text, None, f"arguments are not valid JSON: {err.msg} at {err.pos}")
        if not isinstance(value, dict):
            return cls(
                call_id, name, text, None, f"arguments must be a JSON object, got {type(value).__name__}"
            )
        return cls(call_id, name, text, value)


@dataclass(frozen=True)
class Usage:
    """Tokens of one call."""

    input_tokens: int = 0
    output_tokens: int = 0

    @property
    def total_tokens(self) -> int:
        """Input plus output tokens."""
        return self.input_tokens + self.output_tokens


@dataclass(frozen=True)
class Completion:
    """The answer of one model call."""

    text: str
    model: str
    tool_calls: tuple[ToolCall, ...] = ()
    usage: Usage = field(default_factory=Usage)
    cost_usd: float = 0.0
    finish_reason: str | None = None
    cached: bool = False
    latency_ms: float = 0.0
    cost_note: str | None = None  # set when the cost is unknown (a model missing from litellm's map)

    def as_message(self) -> dict[str, Any]:
        """The assistant turn to append to the conversation (OpenAI message format)."""
        message: dict[str, Any] = {"role": "assistant", "content": self.text or None}
        if self.tool_calls:
            message["tool_calls"] = [
                {"id": c.id, "type": "function", "function": {"name": c.name, "arguments": c.raw_arguments}}
                for c in self.tool_calls
            ]
        return message

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready form (for the cache)."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Completion:
        """The inverse of `to_json`."""
        calls = tuple(ToolCall(**c) for c in data.get("tool_calls", ()))
        usage = Usage(**data.get("usage", {}))
        rest = {k: v for k, v in data.items() if k not in ("tool_calls", "usage")}
        return cls(tool_calls=calls, usage=usage, **rest)


def from_litellm(response: Any, model: str, latency_ms: float) -> Completion:
    """A `Completion` from a litellm ModelResponse (cost is filled in by the caller)."""
    choice = response.choices[0] if response.choices else None
    message = getattr(choice, "message", None)
    calls: list[ToolCall] = []
    for index, call in enumerate(getattr(message, "tool_calls", None) or ()):
        function = call.function
        calls.append(ToolCall.parse(call.id or f"call_{index}", function.name or "", function.arguments))
    usage = getattr(response, "usage", None)
    return Completion(
        text=(getattr(message, "content", None) or ""),
        model=model,
        tool_calls=tuple(calls),
        usage=Usage(
            input_tokens=int(getattr(usage, "prompt_tokens", 0) or 0),
            output_tokens=int(getattr(usage, "completion_tokens", 0) or 0),
        ),
        finish_reason=getattr(choice, "finish_reason", None),
        latency_ms=latency_ms,
    )
