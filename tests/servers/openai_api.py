"""A local HTTP server that speaks the OpenAI embeddings API, for tests that must not leave the machine.

Embeddings are real: the offline MiniLM computes them, so search quality through
this server is the same as through the built-in embedder. Every request body is
kept, so tests can check what would have left the process.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tools.retrieval.minilm import default_embedder


@dataclass
class OpenAIServer:
    """What the running server exposes to a test."""

    base_url: str
    requests: list[dict[str, Any]] = field(default_factory=list)
    fail_with: int | None = None  # answer every request with this HTTP status

    def texts_sent(self) -> list[str]:
        """Every input text the server received."""
        return [t for body in self.requests for t in body.get("input", [])]


@contextmanager
def openai_server() -> Iterator[OpenAIServer]:
    """Run the server on a free loopback port for the duration of the block."""
    state = OpenAIServer(base_url="")

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_: object) -> None:
            return None

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))) or b"{}")
            state.requests.append(body)
            if state.fail_with is not None:
                self._reply(state.fail_with, {"error": {"message": "refused by the test", "type": "test"}})
                return
            if not self.path.endswith("/embeddings"):
                self._reply(404, {"error": {"message": f"no route {self.path}", "type": "invalid_request"}})
                return
            texts = body["input"] if isinstance(body["input"], list) else [body["input"]]
            vectors = default_embedder().embed(texts)
            self._reply(
                200,
                {
                    "object": "list",
                    "model": body.get("model", ""),
                    "data": [
                        {"object": "embedding", "index": i, "embedding": vector.tolist()}
                        for i, vector in enumerate(vectors)
                    ],
                    "usage": {"prompt_tokens": len(texts), "total_tokens": len(texts)},
                },
            )

        def _reply(self, status: int, payload: dict[str, Any]) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.base_url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
