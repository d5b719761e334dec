"""A local HTTP server that speaks OpenAI `/v1/chat/completions`, serving recorded replies.

A test queues the replies the "model" gives, in order: answers, tool calls (also with
malformed arguments), OpenAI-style errors and delays. Each request takes the next reply;
a request with `"stream": true` gets the same reply as server-sent-event chunks ending
with `data: [DONE]`. Every request body is kept, so tests can check what left the process.

    with openai_chat_server() as server:
        server.queue(rate_limit(), answer("hello"))
        ... model "openai/stub", api_base=server.base_url ...
        assert len(server.requests) == 2
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Reply:
    """One recorded reply: a message (text and/or tool calls) or an error, after an optional delay."""

    text: str | None = None
    tool_calls: tuple[dict[str, Any], ...] = ()
    status: int = 200
    error: dict[str, Any] | None = None
    delay: float = 0.0  # seconds before the first byte
    prompt_tokens: int = 10
    completion_tokens: int = 5
    finish_reason: str = "stop"
    headers: tuple[tuple[str, str], ...] = ()
    chunk_delay: float = 0.0  # seconds between streamed chunks (a model's pace)


def answer(
    text: str,
    *,
    prompt_tokens: int = 10,
    completion_tokens: int = 5,
    delay: float = 0.0,
    chunk_delay: float = 0.0,
) -> Reply:
    """A plain assistant answer; streamed, `chunk_delay` seconds apart per word."""
    return Reply(
        text=text,
        prompt_tokens=prompt_tokens,
        completion_tokens=completion_tokens,
        delay=delay,
        chunk_delay=chunk_delay,
    )


def tool_call(
    name: str, arguments: dict[str, Any] | str, *, call_id: str = "call_1", text: str | None = None
) -> Reply:
    """One tool call; `arguments` given as a string is sent as is (use that for malformed JSON)."""
    raw = arguments if isinstance(arguments, str) else json.dumps(arguments)
    call = {"id": call_id, "type": "function", "function": {"name": name, "arguments": raw}}
    return Reply(text=text, tool_calls=(call,), finish_reason="tool_calls")


def tool_calls(*calls: tuple[str, dict[str, Any] | str]) -> Reply:
    """Several tool calls in one reply, ids call_1, call_2, ..."""
    made = [
        tool_call(name, arguments, call_id=f"call_{i}").tool_calls[0]
        for i, (name, arguments) in enumerate(calls, 1)
    ]
    return Reply(tool_calls=tuple(made), finish_reason="tool_calls")


def error(
    status: int,
    message: str,
    *,
    type_: str = "invalid_request_error",
    code: str | None = None,
    headers: tuple[tuple[str, str], ...] = (),
    delay: float = 0.0,
) -> Reply:
    """An OpenAI-style error body with this HTTP status."""
    body = {"message": message, "type": type_, "param": None, "code": code}
    return Reply(status=status, error=body, headers=headers, delay=delay)


def auth_error() -> Reply:
    """401 invalid_api_key, as OpenAI sends it."""
    return error(
        401,
        "Incorrect API key provided: sk-test***. You can find your API key at "
        "https://platform.openai.com/account/api-keys.",
        code="invalid_api_key",
    )


def model_not_found(model: str = "stub") -> Reply:
    """404 model_not_found."""
    return error(
        404, f"The model `{model}` does not exist or you do not have access to it.", code="model_not_found"
    )


def rate_limit(retry_after: float | None = None) -> Reply:
    """429 rate_limit_exceeded (optionally with a Retry-After header)."""
    headers = (("Retry-After", str(retry_after)),) if retry_after is not None else ()
    return error(
        429,
        "Rate limit reached for requests per min (RPM): Limit 3, Used 3, Requested 1.",
        type_="requests",
        code="rate_limit_exceeded",
        headers=headers,
    )


def server_error() -> Reply:
    """500, as OpenAI sends it when it fails."""
    return error(
        500, "The server had an error while processing your request. Sorry about that!", type_="server_error"
    )


def context_length_exceeded() -> Reply:
    """400 context_length_exceeded."""
    return error(
        400,
        "This model's maximum context length is 8192 tokens. However, your messages resulted in "
        "9001 tokens. Please reduce the length of the messages.",
        code="context_length_exceeded",
    )


def content_filter() -> Reply:
    """400 content_filter, as Azure OpenAI sends it."""
    return error(
        400,
        "The response was filtered due to the prompt triggering Azure OpenAI's content management "
        "policy. Please modify your prompt and retry.",
        code="content_filter",
    )


@dataclass
class ChatServer:
    """What the running server exposes to a test."""

    base_url: str = ""
    requests: list[dict[str, Any]] = field(default_factory=list)
    default: Reply | None = None  # served when the queue is empty (e.g. for benchmarks)
    _queue: deque[Reply] = field(default_factory=deque)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def queue(self, *replies: Reply) -> None:
        """Add replies to serve, in order, one per request."""
        with self._lock:
            self._queue.extend(replies)

    def pending(self) -> int:
        """Replies queued and not served yet."""
        with self._lock:
            return len(self._queue)

    def models(self) -> list[str]:
        """The model name of every request, in order."""
        return [str(body.get("model")) for body in self.requests]

    def bodies_text(self) -> str:
        """Every request body as JSON text, to search for what must never leave the process."""
        return "\n".join(json.dumps(body) for body in self.requests)

    def _next(self, body: dict[str, Any]) -> Reply:
        with self._lock:
            self.requests.append(body)
            if self._queue:
                return self._queue.popleft()
        if self.default is not None:
            return self.default
        return error(400, "stub server: no recorded reply queued for this request", code="stub_queue_empty")


def _message(reply: Reply) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": reply.text}
    if reply.tool_calls:
        message["tool_calls"] = list(reply.tool_calls)
    return message


def _usage(reply: Reply) -> dict[str, int]:
    total = reply.prompt_tokens + reply.completion_tokens
    return {
        "prompt_tokens": reply.prompt_tokens,
        "completion_tokens": reply.completion_tokens,
        "total_tokens": total,
    }


def _stream_chunks(reply: Reply, model: str) -> Iterator[dict[str, Any]]:
    base = {
        "id": "chatcmpl-stub",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
    }
    yield {
        **base,
        "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": None}],
    }
    for word in _pieces(reply.text or ""):
        yield {**base, "choices": [{"index": 0, "delta": {"content": word}, "finish_reason": None}]}
    for index, call in enumerate(reply.tool_calls):
        head = {
            "index": index,
            "id": call["id"],
            "type": "function",
            "function": {"name": call["function"]["name"], "arguments": ""},
        }
        yield {**base, "choices": [{"index": 0, "delta": {"tool_calls": [head]}, "finish_reason": None}]}
        for piece in _pieces(call["function"]["arguments"], size=8):
            delta = {"tool_calls": [{"index": index, "function": {"arguments": piece}}]}
            yield {**base, "choices": [{"index": 0, "delta": delta, "finish_reason": None}]}
    yield {**base, "choices": [{"index": 0, "delta": {}, "finish_reason": reply.finish_reason}]}
    yield {**base, "choices": [], "usage": _usage(reply)}


def _pieces(text: str, size: int | None = None) -> list[str]:
    """Words with their trailing space (or fixed-size slices): chunks that join back to `text`."""
    if size is not None:
        return [text[i : i + size] for i in range(0, len(text), size)]
    pieces: list[str] = []
    for word in text.split(" "):
        pieces.append(word + " ")
    if pieces:
        pieces[-1] = pieces[-1][:-1]
    return [p for p in pieces if p]


@contextmanager
def openai_chat_server() -> Iterator[ChatServer]:
    """Run the server on a free loopback port for the duration of the block."""
    state = ChatServer()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as real providers do
        # headers and body go out in separate writes: without this, Nagle's algorithm and the
        # client's delayed ACK hold every keep-alive reply back by 40 ms
        disable_nagle_algorithm = True

        def log_message(self, *_: object) -> None:
            return None

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            body = json.loads(raw or b"{}")
            if not self.path.endswith("/chat/completions"):
                self._json(
                    404, {"error": {"message": f"no route {self.path}", "type": "invalid_request_error"}}
                )
                return
            reply = state._next(body)
            if reply.delay:
                time.sleep(reply.delay)
            try:
                if reply.error is not None:
                    self._json(reply.status, {"error": reply.error}, reply.headers)
                elif body.get("stream"):
                    self._stream(reply, str(body.get("model", "")))
                else:
                    self._json(200, self._completion(reply, str(body.get("model", ""))))
            except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout test)
                self.close_connection = True

        def _completion(self, reply: Reply, model: str) -> dict[str, Any]:
            return {
                "id": "chatcmpl-stub",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": model,
                "choices": [{"index": 0, "message": _message(reply), "finish_reason": reply.finish_reason}],
                "usage": _usage(reply),
            }

        def _json(
            self, status: int, payload: dict[str, Any], headers: tuple[tuple[str, str], ...] = ()
        ) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers:
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def _stream(self, reply: Reply, model: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-cache")
            self.send_header("Connection", "close")
            self.end_headers()
            for chunk in _stream_chunks(reply, model):
                self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                self.wfile.flush()
                if reply.chunk_delay:
                    time.sleep(reply.chunk_delay)
            self.wfile.write(b"data: [DONE]\n\n")
            self.wfile.flush()
            self.close_connection = True

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.base_url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
