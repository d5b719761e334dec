"""Streamed answers: text chunks as they arrive, the whole answer and its usage at the end.

The request is opened eagerly and read up to the first chunk inside the gateway's
retry loop, so a rate limit or a timeout before any text arrives is retried and falls
back exactly like `complete`. Once text has reached the caller an error is raised as
is: retrying would show the beginning of the answer twice.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from assistant.llm.completion import Completion, from_litellm
from assistant.llm.errors import to_llm_error

if TYPE_CHECKING:
    from assistant.llm.gateway import LLMGateway, Prepared


class CompletionStream:
    """Iterate for text chunks; `completion` is set once the stream has been read to the end."""

    def __init__(self) -> None:
        self.completion: Completion | None = None
        self._chunks: Iterator[str] = iter(())

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        return next(self._chunks)

    def read(self) -> str:
        """The rest of the text, all at once."""
        return "".join(self)

    def close(self) -> None:
        """Stop reading early (the call is audited as cancelled)."""
        close = getattr(self._chunks, "close", None)
        if close is not None:
            close()


@dataclass
class _Opened:
    model: str
    started: float
    chunks: Iterator[Any]
    buffered: list[Any] = field(default_factory=list)


def open_stream(gateway: LLMGateway, prepared: Prepared) -> CompletionStream:
    """Start a streamed call; raise `LLMError` / `BudgetExceeded` now if it cannot start."""
    stream = CompletionStream()
    cached = gateway.admit(prepared, stream=True)
    if cached is not None:
        stream.completion = cached
        stream._chunks = iter([cached.text] if cached.text else [])
        return stream

    def attempt(model: str, started: float) -> _Opened:
        from tools.litellm_loader import load_litellm

        response = load_litellm().completion(**gateway.request_kwargs(model, prepared, stream=True))
        opened = _Opened(model, started, iter(response))
        for chunk in opened.chunks:  # up to the first text, or the end of a text-less answer
            opened.buffered.append(chunk)
            if _text(chunk):
                break
        return opened

    opened = gateway.call_with_retries(prepared, attempt, stream=True)
    stream._chunks = _relay(gateway, prepared, opened, stream)
    return stream


def _relay(
    gateway: LLMGateway, prepared: Prepared, opened: _Opened, stream: CompletionStream
) -> Iterator[str]:
    from tools.litellm_loader import load_litellm

    received = list(opened.buffered)
    finished = False
    try:
        for chunk in opened.buffered:
            if text := _text(chunk):
                yield text
        while True:
            try:
                chunk = next(opened.chunks)
            except StopIteration:
                break
            except Exception as exc:
                error = to_llm_error(exc, opened.model)
                if error is None:
                    raise
                finished = True
                _audit_end(gateway, prepared, opened, error.kind)
                raise error from exc
            received.append(chunk)
            if text := _text(chunk):
                yield text
        finished = True
        whole = load_litellm().stream_chunk_builder(received, messages=prepared.messages)
        latency = (time.perf_counter() - opened.started) * 1000
        completion = gateway.priced(from_litellm(whole, opened.model, latency), whole)
        stream.completion = completion
        gateway.finish(prepared, completion, stream=True)
    finally:
        if not finished:  # the caller stopped reading: the provider may still bill the tokens
            _audit_end(gateway, prepared, opened, "cancelled")


def _audit_end(gateway: LLMGateway, prepared: Prepared, opened: _Opened, outcome: str) -> None:
    latency = (time.perf_counter() - opened.started) * 1000
    gateway.audit_call(prepared, opened.model, outcome=outcome, stream=True, latency_ms=latency)


def _text(chunk: Any) -> str:
    choices = getattr(chunk, "choices", None) or ()
    if not choices:
        return ""
    delta = getattr(choices[0], "delta", None)
    content = getattr(delta, "content", None)
    return content if isinstance(content, str) else ""
