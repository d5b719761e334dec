"""Throughput and latency of `shipmate serve`'s webhook under load, beside a /healthz baseline.

Starts the real app under uvicorn on a loopback port with a stand-in runner (a fixed pause
per review, no git and no GitHub), then sends N signed pull_request deliveries, P at a time,
retrying the ones refused with 503/429 (queue full) until accepted. Prints deliveries/s and
p50/p95 latency of each request, the same for N GET /healthz round trips on the same server
(the floor: HTTP and uvicorn alone), their ratio, and how many deliveries were lost (accepted
but never reviewed, or never accepted) or reviewed twice. Both must be 0. The client runs in
the same process as the server (one GIL), so both rows are lower than a remote client would
see; the ratio is the figure to watch.

    python -m evals.perf.webhook [--deliveries 200] [--parallel 20] [--review-ms 5] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import signal
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
from pydantic import SecretStr

from assistant.server.jobqueue import Runner
from assistant.server.jsonlog import JsonLogger
from assistant.server.models import ReviewJob, ReviewOutcome
from assistant.server.service import WebhookService
from assistant.server.settings import ServeSettings
from assistant.server.signatures import sign

SECRET = "perf-webhook-secret"
REPOSITORY = "acme/api"


def pull_request_payload(
    pr: int, head_sha: str, *, repository: str = REPOSITORY, action: str = "synchronize"
) -> dict[str, Any]:
    """A pull_request delivery's payload, trimmed to what the server reads plus some bulk."""
    return {
        "action": action,
        "number": pr,
        "pull_request": {
            "number": pr,
            "draft": False,
            "title": f"Change {pr}",
            "body": "Updates the deployment. " * 20,
            "base": {"ref": "main", "sha": "b" * 40},
            "head": {"ref": f"feature-{pr}", "sha": head_sha},
        },
        "repository": {"full_name": repository, "clone_url": f"https://github.com/{repository}.git"},
        "installation": {"id": 42},
        "sender": {"login": "dev"},
    }


def signed_request(
    event: str, delivery: str, payload: dict[str, Any], secret: str = SECRET
) -> tuple[bytes, dict[str, str]]:
    """The body and headers GitHub would send for this delivery."""
    body = json.dumps(payload).encode()
    headers = {
        "Content-Type": "application/json",
        "X-GitHub-Event": event,
        "X-GitHub-Delivery": delivery,
        "X-Hub-Signature-256": sign(secret, body),
    }
    return body, headers


class CountingRunner:
    """A stand-in runner: counts calls per delivery id, pauses like a review would."""

    def __init__(self, pause: float = 0.0) -> None:
        self.pause = pause
        self.calls: Counter[str] = Counter()
        self.jobs: list[ReviewJob] = []
        self._lock = threading.Lock()

    def __call__(self, job: ReviewJob) -> ReviewOutcome:
        with self._lock:
            self.calls[job.delivery_id] += 1
            self.jobs.append(job)
        if self.pause:
            time.sleep(self.pause)
        return ReviewOutcome(status="posted", findings={"high": 1}, tokens=10, cost=0.001)

    def total(self) -> int:
        """Calls so far."""
        with self._lock:
            return sum(self.calls.values())


@dataclass
class LiveServer:
    """A server running in a thread: its URL, the uvicorn server and the service behind it."""

    url: str
    server: Any
    service: WebhookService
    thread: threading.Thread

    def stop(self, timeout: float = 30.0) -> None:
        """Send it SIGTERM's handling (drain, then exit) and wait for the thread."""
        self.server.handle_exit(signal.SIGTERM, None)
        self.thread.join(timeout)


def serve_settings(**overrides: Any) -> ServeSettings:
    """Settings for a loopback test server (allowlist acme/*, the perf secret)."""
    values: dict[str, Any] = {"allowed_repos": ["acme/*"], "secret": SecretStr(SECRET), "drain_seconds": 10.0}
    values.update(overrides)
    return ServeSettings(**values)


@contextmanager
def running_server(
    settings: ServeSettings, runner: Runner, log: io.StringIO | None = None
) -> Iterator[LiveServer]:
    """uvicorn serving the app on 127.0.0.1 (a free port) in a thread, stopped (drained) at the end."""
    from assistant.server.serving import build_server

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server, service = build_server(
        settings, runner, log=JsonLogger(log if log is not None else io.StringIO())
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the webhook server did not start")
        time.sleep(0.01)
    live = LiveServer(f"http://127.0.0.1:{port}", server, service, thread)
    try:
        yield live
    finally:
        if thread.is_alive():
            live.stop()
        sock.close()


@dataclass
class LoadResult:
    """What the client saw."""

    seconds: float
    latencies: list[float]
    statuses: Counter[int] = field(default_factory=Counter)
    accepted: set[str] = field(default_factory=set)
    gave_up: set[str] = field(default_factory=set)


async def deliver_all(
    url: str, requests: list[tuple[str, bytes, dict[str, str]]], parallel: int, *, max_attempts: int = 500
) -> LoadResult:
    """POST every (delivery, body, headers) to /webhook, `parallel` at a time; retry 429/503 until 202."""
    pending = list(reversed(requests))
    result = LoadResult(seconds=0.0, latencies=[])
    limits = httpx.Limits(max_connections=parallel, max_keepalive_connections=parallel)

    async def worker(client: httpx.AsyncClient) -> None:
        while pending:
            delivery, body, headers = pending.pop()
            for _attempt in range(max_attempts):
                started = time.perf_counter()
                response = await client.post(f"{url}/webhook", content=body, headers=headers)
                result.latencies.append(time.perf_counter() - started)
                result.statuses[response.status_code] += 1
                if response.status_code not in (429, 503):
                    if response.status_code == 202:
                        result.accepted.add(delivery)
                    break
                await asyncio.sleep(0.005)  # Retry-After says seconds; a load test only backs off a little
            else:
                result.gave_up.add(delivery)

    started = time.perf_counter()
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        await asyncio.gather(*(worker(client) for _ in range(parallel)))
    result.seconds = time.perf_counter() - started
    return result


async def round_trips(url: str, count: int, parallel: int) -> LoadResult:
    """GET `url` `count` times, `parallel` at a time (the baseline)."""
    result = LoadResult(seconds=0.0, latencies=[])
    left = [count]
    limits = httpx.Limits(max_connections=parallel, max_keepalive_connections=parallel)

    async def worker(client: httpx.AsyncClient) -> None:
        while left[0] > 0:
            left[0] -= 1
            started = time.perf_counter()
            response = await client.get(url)
            result.latencies.append(time.perf_counter() - started)
            result.statuses[response.status_code] += 1

    started = time.perf_counter()
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        await asyncio.gather(*(worker(client) for _ in range(parallel)))
    result.seconds = time.perf_counter() - started
    return result


def wait_for_calls(runner: CountingRunner, expected: int, timeout: float = 30.0) -> None:
    """Wait until the runner was called `expected` times (or the timeout)."""
    deadline = time.monotonic() + timeout
    while runner.total() < expected and time.monotonic() < deadline:
        time.sleep(0.01)


def percentile(values: list[float], fraction: float) -> float:
    """The value below which `fraction` of `values` lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))] if ordered else 0.0


def measure(
    deliveries: int, parallel: int, review_ms: float, queue_size: int, concurrency: int
) -> dict[str, Any]:
    """Run the load and the baseline on one server; the figures."""
    runner = CountingRunner(pause=review_ms / 1000)
    settings = serve_settings(queue_size=queue_size, concurrency=concurrency, retry_after_seconds=1)
    requests = [
        (f"d-{n}", *signed_request("pull_request", f"d-{n}", pull_request_payload(n + 1, f"{n:040x}")))
        for n in range(deliveries)
    ]
    with running_server(settings, runner) as live:
        asyncio.run(
            round_trips(f"{live.url}/healthz", parallel * 2, parallel)
        )  # warm-up: connections, imports
        baseline = asyncio.run(round_trips(f"{live.url}/healthz", deliveries, parallel))
        load = asyncio.run(deliver_all(live.url, requests, parallel))
        wait_for_calls(runner, len(load.accepted))
        drained_started = time.perf_counter()
        live.stop()
        drain_seconds = time.perf_counter() - drained_started
    ids = {delivery for delivery, _body, _headers in requests}
    lost = sorted(ids - set(runner.calls))
    twice = sorted(d for d, n in runner.calls.items() if n > 1)
    return {
        "deliveries": deliveries,
        "parallel": parallel,
        "review_ms": review_ms,
        "workers": concurrency,
        "queue_size": queue_size,
        "webhook_deliveries_per_s": round(deliveries / load.seconds, 1),
        "webhook_p50_ms": round(percentile(load.latencies, 0.5) * 1000, 2),
        "webhook_p95_ms": round(percentile(load.latencies, 0.95) * 1000, 2),
        "webhook_requests": len(load.latencies),
        "refused_retryable": load.statuses[503] + load.statuses[429],
        "healthz_per_s": round(deliveries / baseline.seconds, 1),
        "healthz_p50_ms": round(percentile(baseline.latencies, 0.5) * 1000, 2),
        "healthz_p95_ms": round(percentile(baseline.latencies, 0.95) * 1000, 2),
        "lost": len(lost),
        "processed_twice": len(twice),
        "shutdown_seconds": round(drain_seconds, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--deliveries", type=int, default=200)
    parser.add_argument("--parallel", type=int, default=20)
    parser.add_argument("--review-ms", type=float, default=5.0, help="The stand-in review's pause.")
    parser.add_argument("--queue-size", type=int, default=10)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    figures = measure(args.deliveries, args.parallel, args.review_ms, args.queue_size, args.concurrency)
    if args.json:
        print(json.dumps(figures))
        return
    print(
        f"{figures['deliveries']} deliveries, {figures['parallel']} at a time; {figures['workers']} workers, "
        f"queue {figures['queue_size']}, stand-in review {figures['review_ms']} ms"
    )
    print(f"{'':<22}{'per s':>10}{'p50 ms':>10}{'p95 ms':>10}")
    print(
        f"{'GET /healthz (floor)':<22}{figures['healthz_per_s']:>10}{figures['healthz_p50_ms']:>10}"
        f"{figures['healthz_p95_ms']:>10}"
    )
    print(
        f"{'POST /webhook':<22}{figures['webhook_deliveries_per_s']:>10}{figures['webhook_p50_ms']:>10}"
        f"{figures['webhook_p95_ms']:>10}"
    )
    ratio = figures["webhook_p50_ms"] / figures["healthz_p50_ms"] if figures["healthz_p50_ms"] else 0.0
    print(f"webhook p50 / healthz p50   {ratio:.1f}x")
    print(
        f"requests sent {figures['webhook_requests']} (refused 503/429 and retried: {figures['refused_retryable']})"
    )
    print(f"lost deliveries {figures['lost']}   reviewed twice {figures['processed_twice']}")
    print(f"shutdown (drain) {figures['shutdown_seconds']} s")


if __name__ == "__main__":
    main()
