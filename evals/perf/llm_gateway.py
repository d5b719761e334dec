"""Overhead of the LLM gateway per call, against a zero-latency local OpenAI-compatible server.

In one run, against the same server (tests/servers/openai_chat.py) and the same prompt:

- raw `httpx.post` (a new connection per call) and a raw keep-alive `httpx.Client`;
- `litellm.completion` called directly;
- the gateway with redaction and audit switched off (what it adds around litellm);
- the gateway as shipmate runs it: the default secret redactor and a hash-chained audit log,
  with the same prompt every call (an agent resending its history: redaction is remembered)
  and with a new text every call (redaction runs in full);
- the redactor and one audit append alone, to see where the gateway's time goes;
- time to the first streamed text chunk: a raw httpx stream, and through the gateway.

    python -m evals.perf.llm_gateway [--calls 200] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from assistant.audit import AuditLog
from assistant.llm import GatewayConfig, LLMGateway
from tests.servers.openai_chat import answer, openai_chat_server
from tools.litellm_loader import load_litellm
from tools.redaction.secrets import Redactor

LOG_EXCERPT = "\n".join(
    f"2024-05-01T10:00:{i:02d}Z pod/checkout-7d9f ERROR dial tcp 10.0.3.{i}:5432: connect: connection refused"
    for i in range(20)
)
MESSAGES = [
    {"role": "system", "content": "You are shipmate, a DevOps assistant. Cite evidence lines."},
    {"role": "user", "content": f"Why does checkout fail in staging?\n<log>\n{LOG_EXCERPT}\n</log>"},
]


def _times_ms(call: Callable[[], object], calls: int, warmup: int = 5) -> list[float]:
    for _ in range(warmup):
        call()
    times: list[float] = []
    for _ in range(calls):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return times


def _summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {
        "median_ms": round(statistics.median(ordered), 3),
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 3),
    }


def _first_chunk_ms(open_stream: Callable[[], Any], runs: int) -> list[float]:
    times: list[float] = []
    for index in range(runs + 3):
        started = time.perf_counter()
        stream = open_stream()
        next(iter(stream))
        elapsed = (time.perf_counter() - started) * 1000
        for _ in stream:  # read to the end, as a caller would
            pass
        if index >= 3:  # warm-up
            times.append(elapsed)
    return times


def measure(calls: int, stream_runs: int) -> dict[str, Any]:
    """All figures of one run."""
    litellm = load_litellm()
    with openai_chat_server() as server, tempfile.TemporaryDirectory() as scratch:
        server.default = answer("The database refuses connections: check the Service of postgres.")
        url = f"{server.base_url}/chat/completions"
        body = {"model": "stub", "messages": MESSAGES}
        headers = {"Authorization": "Bearer sk-bench"}
        config = GatewayConfig(model="openai/stub", api_base=server.base_url, api_key="sk-bench")
        bare = LLMGateway(config, audit=None, redact=lambda text: text)
        full = LLMGateway(config, audit=AuditLog(Path(scratch) / "audit.jsonl"))

        with httpx.Client() as client:
            raw_post = _times_ms(lambda: httpx.post(url, json=body, headers=headers).json(), calls)
            raw_client = _times_ms(lambda: client.post(url, json=body, headers=headers).json(), calls)

            def raw_stream() -> Any:
                return _RawStream(client, url, {**body, "stream": True}, headers)

            raw_ttft = _first_chunk_ms(raw_stream, stream_runs)

        direct = _times_ms(
            lambda: litellm.completion(
                model="openai/stub", messages=MESSAGES, api_base=server.base_url, api_key="sk-bench",
                timeout=60, num_retries=0, max_retries=0,
            ),
            calls,
        )  # fmt: skip
        gateway_bare = _times_ms(lambda: bare.complete(MESSAGES), calls)
        gateway_full = _times_ms(lambda: full.complete(MESSAGES), calls)
        fresh = iter(range(10**9))
        gateway_fresh = _times_ms(lambda: full.complete(_with_new_question(next(fresh))), calls)
        gateway_ttft = _first_chunk_ms(lambda: full.stream(MESSAGES), stream_runs)
        audit_ok = full.audit.verify().ok if full.audit else False

    raw = statistics.median(raw_client)
    redactor = Redactor()
    redaction = _times_ms(lambda: [redactor.redact(m["content"]) for m in MESSAGES], calls)
    with tempfile.TemporaryDirectory() as scratch:
        log = AuditLog(Path(scratch) / "audit.jsonl")
        audit_append = _times_ms(lambda: log.append("model_call", model="m", outcome="ok"), calls)
    return {
        "calls": calls,
        "raw_httpx_post": _summary(raw_post),
        "raw_httpx_keepalive": _summary(raw_client),
        "litellm_direct": _summary(direct),
        "gateway_no_redaction_no_audit": _summary(gateway_bare),
        "gateway_full": _summary(gateway_full),
        "gateway_full_new_text_each_call": _summary(gateway_fresh),
        "redaction_of_the_prompt": _summary(redaction),
        "audit_append": _summary(audit_append),
        "gateway_overhead_vs_keepalive_ms": round(statistics.median(gateway_full) - raw, 3),
        "gateway_overhead_vs_litellm_ms": round(
            statistics.median(gateway_full) - statistics.median(direct), 3
        ),
        "litellm_overhead_vs_keepalive_ms": round(statistics.median(direct) - raw, 3),
        "first_chunk_raw_httpx": _summary(raw_ttft),
        "first_chunk_gateway": _summary(gateway_ttft),
        "audit_chain_ok": audit_ok,
    }


def _with_new_question(number: int) -> list[dict[str, str]]:
    """The benchmark prompt with a question never seen before, so redaction runs in full."""
    return [MESSAGES[0], {"role": "user", "content": f"Call {number}: {MESSAGES[1]['content']}"}]


class _RawStream:
    """A raw SSE stream over httpx, iterated by text delta, for the baseline time to first chunk."""

    def __init__(self, client: httpx.Client, url: str, body: dict[str, Any], headers: dict[str, str]) -> None:
        self._context = client.stream("POST", url, json=body, headers=headers)
        self._response = self._context.__enter__()
        self._lines = self._response.iter_lines()

    def __iter__(self) -> _RawStream:
        return self

    def __next__(self) -> str:
        for line in self._lines:
            if not line.startswith("data: ") or line == "data: [DONE]":
                continue
            choices = json.loads(line[6:]).get("choices") or [{}]
            text = choices[0].get("delta", {}).get("content")
            if text:
                return str(text)
        self._context.__exit__(None, None, None)
        raise StopIteration


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--stream-runs", type=int, default=50)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    figures = measure(args.calls, args.stream_runs)
    if args.json:
        print(json.dumps(figures))
        return
    for key, value in figures.items():
        print(f"{key:<36} {value}")


if __name__ == "__main__":
    main()
