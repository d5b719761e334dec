"""Middleware around the agent's model and tool calls: redaction, output budgets, the audit trail.

- Before every model call, every message's text goes through the session's redactor, so
  a secret that reached the conversation (a user's paste, a tool result) never leaves.
- Every tool result is cut to the session's budget before the model sees it.
- Every model call and tool call is appended to the audit log (hashes, sizes, timings,
  token counts; never the text itself).
"""

from __future__ import annotations

import hashlib
import json
import time
from typing import Any

from assistant.agent.session import AgentSession, ToolEvent

INVALID_ARGUMENTS = "_invalid_arguments"
TRUNCATION_NOTE = "\n[... cut to the tool output budget; ask for a narrower slice]"


def _sha(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode("utf-8")).hexdigest()


def redact_messages(session: AgentSession, messages: list[Any]) -> list[Any]:
    """Copies of `messages` whose text is redacted (tool-call arguments included)."""
    cleaned = []
    for message in messages:
        update: dict[str, Any] = {}
        if isinstance(message.content, str):
            update["content"] = session.redact(message.content)
        calls = getattr(message, "tool_calls", None)
        if calls:
            update["tool_calls"] = [
                {**call, "args": json.loads(session.redactor.redact(json.dumps(call["args"])))}
                for call in calls
            ]
        cleaned.append(message.model_copy(update=update) if update else message)
    return cleaned


def session_middleware(session: AgentSession) -> list[Any]:
    """The middleware list for one session."""
    from langchain.agents.middleware import wrap_model_call, wrap_tool_call
    from langchain_core.messages import ToolMessage

    @wrap_model_call
    def redact_and_audit_model(request: Any, handler: Any) -> Any:
        messages = redact_messages(session, list(request.messages))
        started = time.perf_counter()
        outcome = "ok"
        try:
            response = handler(request.override(messages=messages))
        except Exception as err:
            outcome = type(err).__name__
            raise
        finally:
            usage = _usage(locals().get("response"))
            model = str(getattr(request.model, "model", None) or getattr(request.model, "model_name", ""))
            session.audit.append(
                "model_call",
                model=model,
                cost_usd=round(model_cost(model, usage["input_tokens"], usage["output_tokens"]), 6),
                prompt_sha256=_sha([m.content for m in messages]),
                latency_ms=round((time.perf_counter() - started) * 1000, 1),
                outcome=outcome,
                **usage,
            )
        _answer_invalid_calls(response)
        return response

    @wrap_tool_call
    def budget_and_audit_tool(request: Any, handler: Any) -> Any:
        call = request.tool_call
        if INVALID_ARGUMENTS in call.get("args", {}):
            raw = str(call["args"][INVALID_ARGUMENTS])[:200]
            return ToolMessage(
                content=f"error: the arguments were not valid JSON ({raw!r}); "
                "call the tool again with a JSON object",
                tool_call_id=call["id"],
                name=call["name"],
                status="error",
            )
        if request.tool is None:  # a tool the model made up (`shell`, `write_file`): refused, recorded
            session.audit.append("refusal", tool=call["name"], reason="no such tool", origin="agent")
            return ToolMessage(
                content=f"refused: there is no tool named {call['name']!r}",
                tool_call_id=call["id"],
                name=call["name"],
                status="error",
            )
        if session.anonymizer is not None:  # the model named placeholders: the tool needs the real names
            revealed = json.loads(session.reveal(json.dumps(call.get("args", {}))))
            request = request.override(tool_call={**call, "args": revealed})
        started = time.perf_counter()
        shown = session.redact(json.dumps(call.get("args", {}), sort_keys=True))[:500]
        if session.on_tool is not None:
            session.on_tool(ToolEvent(str(call.get("id", "")), call["name"], shown))
        try:
            result = handler(request)
        except Exception:
            if session.on_tool is not None:
                seconds = time.perf_counter() - started
                session.on_tool(ToolEvent(str(call.get("id", "")), call["name"], shown, seconds, ok=False))
            raise
        if session.on_tool is not None:
            failed = isinstance(result, ToolMessage) and getattr(result, "status", "") == "error"
            seconds = time.perf_counter() - started
            session.on_tool(ToolEvent(str(call.get("id", "")), call["name"], shown, seconds, ok=not failed))
        if isinstance(result, ToolMessage) and isinstance(result.content, str):
            if len(result.content) > session.tool_output_chars:
                result.content = result.content[: session.tool_output_chars] + TRUNCATION_NOTE
            size = len(result.content)
        else:
            size = 0
        session.audit.append(
            "tool_call",
            name=call["name"],
            args_sha256=_sha(call.get("args", {})),
            duration_ms=round((time.perf_counter() - started) * 1000, 1),
            result_chars=size,
        )
        return result

    return [redact_and_audit_model, budget_and_audit_tool]


def _answer_invalid_calls(response: Any) -> None:
    """Tool calls whose arguments did not parse go on as calls the tool middleware answers with
    the error, so the model can correct itself instead of the run ending silently."""
    for message in getattr(response, "result", None) or []:
        invalid = getattr(message, "invalid_tool_calls", None)
        if not invalid:
            continue
        message.tool_calls = [
            *message.tool_calls,
            *(
                {
                    "name": call.get("name") or "unknown",
                    "args": {INVALID_ARGUMENTS: call.get("args") or ""},
                    "id": call.get("id") or f"invalid-{index}",
                    "type": "tool_call",
                }
                for index, call in enumerate(invalid)
            ),
        ]
        message.invalid_tool_calls = []


def model_cost(model: str, tokens_in: int, tokens_out: int) -> float:
    """USD for these tokens from litellm's bundled price map; 0 for a model it does not price."""
    if not (tokens_in or tokens_out) or not model:
        return 0.0
    from tools.litellm_loader import load_litellm

    try:
        prompt, completion = load_litellm().cost_per_token(
            model=model, prompt_tokens=tokens_in, completion_tokens=tokens_out
        )
    except Exception:  # a model missing from the price map costs what we cannot know
        return 0.0
    return float(prompt) + float(completion)


def _usage(response: Any) -> dict[str, int]:
    """Token counts from the model's answer, when the provider reported them."""
    messages = getattr(response, "result", None) or []
    totals = {"input_tokens": 0, "output_tokens": 0}
    for message in messages:
        metadata = getattr(message, "usage_metadata", None) or {}
        totals["input_tokens"] += int(metadata.get("input_tokens", 0))
        totals["output_tokens"] += int(metadata.get("output_tokens", 0))
    return totals
