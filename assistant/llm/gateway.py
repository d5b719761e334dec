"""The one door to language models: redaction, timeouts, retries, fallbacks, caps, cache, audit.

Every call goes through the same steps:

1. every message text is redacted; the audit log gets a hash of the result, never the text;
2. the session caps are checked (a session over budget is refused before any request);
3. with the cache on, an identical earlier request is answered from disk at no cost;
4. the main model is called with an explicit timeout; rate limits, timeouts, connection
   and server errors are retried with exponential backoff and jitter, then the next
   fallback model is tried; any other error stops at once with its one user message;
5. tokens and cost are added to the session, which raises `BudgetExceeded` when a cap is passed.

litellm's own retries are switched off (num_retries=0, and max_retries=0 for the OpenAI
client underneath) so that the counts in the audit log are the real ones.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from assistant.llm.cache import ResponseCache, cache_key
from assistant.llm.completion import Completion, from_litellm
from assistant.llm.config import GatewayConfig
from assistant.llm.errors import LLMError, retry_after, to_llm_error
from assistant.llm.messages import Message, Redact, prompt_sha256, redact_messages
from assistant.llm.usage import BudgetExceeded, SessionUsage, response_cost

if TYPE_CHECKING:
    from assistant.audit import AuditLog
    from assistant.llm.streaming import CompletionStream

T = TypeVar("T")

# Parameters the gateway owns: a caller cannot override them through **kw.
_RESERVED = frozenset(
    {"model", "messages", "tools", "stream", "timeout", "num_retries", "max_retries", "api_base", "api_key"}
)
# Local OpenAI-compatible servers (vLLM, llama.cpp) need no key, but the OpenAI client insists on one.
_PLACEHOLDER_KEY = "sk-no-key-required"
_KEYLESS_PROVIDERS = ("openai", "hosted_vllm", "llamafile", "lm_studio")
_REDACTION_MEMO = 4096  # texts whose redaction is remembered per session


@dataclass(frozen=True)
class Prepared:
    """A request ready to send: redacted messages, their hash, the cache key."""

    messages: list[Message]
    tools: list[dict[str, Any]] | None
    params: dict[str, Any]
    prompt_sha256: str
    cache_key: str


class LLMGateway:
    """Model calls for one session (a CLI run, a chat, a PR review)."""

    def __init__(
        self,
        config: GatewayConfig,
        audit: AuditLog | None = None,
        redact: Redact | None = None,
        *,
        usage: SessionUsage | None = None,
        sleep: Callable[[float], None] = time.sleep,
        jitter: Callable[[], float] = random.random,
        backoff_base: float = 1.0,
        backoff_max: float = 30.0,
    ) -> None:
        self.config = config
        self.audit = audit
        if redact is None:
            from tools.redaction.placeholders import PlaceholderRedactor

            redact = PlaceholderRedactor().redact
        self.redact: Redact = redact
        self.usage = usage or SessionUsage(max_cost_usd=config.max_cost_usd, max_tokens=config.max_tokens)
        self.cache = ResponseCache(config.resolved_cache_dir) if config.cache else None
        self._sleep = sleep
        self._jitter = jitter
        self._backoff_base = backoff_base
        self._backoff_max = backoff_max
        self._redacted: dict[str, str] = {}

    def complete(
        self, messages: Sequence[Message], tools: Sequence[dict[str, Any]] | None = None, **kw: Any
    ) -> Completion:
        """One answer (text and/or tool calls); raise `LLMError` or `BudgetExceeded` with a user message.

        `kw` goes to litellm (temperature, tool_choice, response_format, max_tokens per answer, ...).
        """
        prepared = self.prepare(messages, tools, kw)
        cached = self.admit(prepared, stream=False)
        if cached is not None:
            return cached

        def attempt(model: str, started: float) -> Completion:
            response = _litellm().completion(**self.request_kwargs(model, prepared, stream=False))
            return self.priced(from_litellm(response, model, _ms_since(started)), response)

        completion = self.call_with_retries(prepared, attempt, stream=False)
        return self.finish(prepared, completion, stream=False)

    def stream(
        self, messages: Sequence[Message], tools: Sequence[dict[str, Any]] | None = None, **kw: Any
    ) -> CompletionStream:
        """Text chunks as they arrive; `.completion` holds the whole answer (and usage) once consumed.

        Errors before the first chunk are retried and fall back like `complete`; an error
        after text has been shown cannot be retried without repeating it, so it is raised.
        """
        from assistant.llm.streaming import open_stream

        return open_stream(self, self.prepare(messages, tools, kw))

    def prepare(
        self, messages: Sequence[Message], tools: Sequence[dict[str, Any]] | None, kw: dict[str, Any]
    ) -> Prepared:
        """Redact, hash and key a request."""
        reserved = sorted(_RESERVED & kw.keys())
        if reserved:
            raise TypeError(f"the gateway sets these parameters itself: {', '.join(reserved)}")
        redacted = redact_messages(messages, self._redact_once)
        tool_list = list(tools) if tools else None
        params = dict(kw)
        key = cache_key(self.config.model, redacted, tool_list, params.get("temperature"), params)
        return Prepared(redacted, tool_list, params, prompt_sha256(redacted, tool_list), key)

    def _redact_once(self, text: str) -> str:
        # An agent resends the whole conversation at every step: redacting only the texts not seen
        # before keeps a step's cost flat. A text keeps its first redaction, the form already sent.
        done = self._redacted.get(text)
        if done is None:
            if len(self._redacted) >= _REDACTION_MEMO:
                self._redacted.clear()
            done = self._redacted[text] = self.redact(text)
        return done

    def admit(self, prepared: Prepared, *, stream: bool) -> Completion | None:
        """Check the caps (raise `BudgetExceeded`), then answer from the cache when it holds the request."""
        try:
            self.usage.check_before()
        except BudgetExceeded as refused:
            self.audit_call(prepared, self.config.model, outcome="budget", stream=stream, detail=refused.cap)
            raise
        if self.cache is None:
            return None
        cached = self.cache.get(prepared.cache_key)
        if cached is None:
            return None
        self.audit_call(prepared, cached.model, outcome="ok", stream=stream, completion=cached)
        self.usage.record(cached)
        return cached

    def call_with_retries(self, prepared: Prepared, attempt: Callable[[str, float], T], *, stream: bool) -> T:
        """Run `attempt(model, started)` over the models with retries; raise the mapped `LLMError`."""
        _litellm()  # the first import takes seconds: not part of any call's latency
        last: LLMError | None = None
        for model in self.config.models:
            for retry in range(self.config.max_retries + 1):
                started = time.perf_counter()
                try:
                    return attempt(model, started)
                except Exception as exc:
                    error = to_llm_error(exc, model)
                    if error is None:
                        raise
                    self.audit_call(
                        prepared,
                        model,
                        outcome=error.kind,
                        stream=stream,
                        latency_ms=_ms_since(started),
                        attempt=retry + 1,
                    )
                    if not error.retryable:
                        raise error from exc
                    last = error
                    if retry < self.config.max_retries:
                        self._sleep(self._backoff(retry, retry_after(exc)))
        assert last is not None  # at least one model, so at least one attempt failed to get here
        if len(self.config.models) > 1:
            tried = ", ".join(self.config.models)
            raise LLMError(last.kind, f"{last.message} (tried {tried})", last.model, last.detail)
        raise last

    def finish(self, prepared: Prepared, completion: Completion, *, stream: bool) -> Completion:
        """Audit, cache and account one answer; raise `BudgetExceeded` when it passes a cap."""
        self.audit_call(prepared, completion.model, outcome="ok", stream=stream, completion=completion)
        if self.cache is not None:
            self.cache.put(prepared.cache_key, completion)
        self.usage.record(completion)
        return completion

    def request_kwargs(self, model: str, prepared: Prepared, *, stream: bool) -> dict[str, Any]:
        """The keyword arguments of `litellm.completion` for one attempt."""
        request: dict[str, Any] = {
            **prepared.params,
            "model": model,
            "messages": prepared.messages,
            "timeout": self.config.timeout_seconds,
            "num_retries": 0,
            "max_retries": 0,
        }
        if prepared.tools:
            request["tools"] = prepared.tools
        if stream:
            request["stream"] = True
            request["stream_options"] = {"include_usage": True}
        api_base, api_key = self.config.endpoint_for(model)
        if api_base:
            request["api_base"] = api_base
            if api_key is None and model.split("/", 1)[0] in _KEYLESS_PROVIDERS and not _env_key():
                api_key = _PLACEHOLDER_KEY
        if api_key:
            request["api_key"] = api_key
        return request

    def priced(self, completion: Completion, response: Any) -> Completion:
        """`completion` with its cost from litellm's price map."""
        cost, note = response_cost(response, completion.model)
        return Completion(
            text=completion.text,
            model=completion.model,
            tool_calls=completion.tool_calls,
            usage=completion.usage,
            cost_usd=cost,
            finish_reason=completion.finish_reason,
            latency_ms=completion.latency_ms,
            cost_note=note,
        )

    def _backoff(self, retry: int, asked: float | None) -> float:
        if asked is not None and asked >= 0:
            return min(asked, self._backoff_max)
        ceiling = min(self._backoff_max, self._backoff_base * 2.0**retry)
        return ceiling / 2 + self._jitter() * ceiling / 2  # "equal jitter": never zero, never in lockstep

    def audit_call(
        self,
        prepared: Prepared,
        model: str,
        *,
        outcome: str,
        stream: bool,
        completion: Completion | None = None,
        latency_ms: float | None = None,
        attempt: int | None = None,
        detail: str | None = None,
    ) -> None:
        """One `model_call` audit record: hashes, tokens, cost, latency and outcome, never the text."""
        if self.audit is None:
            return
        data: dict[str, Any] = {
            "model": model,
            "prompt_sha256": prepared.prompt_sha256,
            "input_tokens": completion.usage.input_tokens if completion and not completion.cached else 0,
            "output_tokens": completion.usage.output_tokens if completion and not completion.cached else 0,
            "cost_usd": completion.cost_usd if completion else 0.0,
            "latency_ms": round(completion.latency_ms if completion else (latency_ms or 0.0), 1),
            "outcome": outcome,
            "cached": bool(completion and completion.cached),
            "stream": stream,
        }
        if attempt is not None:
            data["attempt"] = attempt
        if detail:
            data["detail"] = detail
        if completion is not None and completion.cost_note:
            data["cost_note"] = completion.cost_note
        self.audit.append("model_call", **data)


def _litellm() -> Any:
    from tools.litellm_loader import load_litellm

    return load_litellm()


def _ms_since(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def _env_key() -> bool:
    return bool(os.environ.get("OPENAI_API_KEY"))
