"""`shipmate serve` under real uvicorn on a loopback port: load without loss, and a graceful drain."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from assistant.server.models import ReviewJob, ReviewOutcome
from evals.perf.webhook import (
    CountingRunner,
    deliver_all,
    pull_request_payload,
    running_server,
    serve_settings,
    signed_request,
    wait_for_calls,
)


def test_200_deliveries_20_at_a_time_each_reviewed_exactly_once() -> None:
    runner = CountingRunner(pause=0.01)
    settings = serve_settings(queue_size=5, concurrency=2, retry_after_seconds=1)
    requests = [
        (f"load-{n}", *signed_request("pull_request", f"load-{n}", pull_request_payload(n + 1, f"{n:040x}")))
        for n in range(200)
    ]
    with running_server(settings, runner) as live:
        result = asyncio.run(deliver_all(live.url, requests, parallel=20))
        wait_for_calls(runner, 200)
        replays = asyncio.run(deliver_all(live.url, requests[:20], parallel=20))
        metrics = httpx.get(f"{live.url}/metrics").text
    assert not result.gave_up
    assert set(result.statuses) <= {202, 503}
    assert result.statuses[202] == 200
    assert result.statuses[503] > 0  # the queue did overflow: the retry path was exercised
    assert len(result.accepted) == 200
    assert runner.calls == {f"load-{n}": 1 for n in range(200)}
    assert replays.statuses == {200: 20}  # duplicates, not reviewed again
    assert runner.total() == 200
    assert 'shipmate_reviews_total{outcome="posted"} 200.0' in metrics
    assert (
        f'shipmate_webhook_deliveries_total{{result="queue_full"}} {float(result.statuses[503])}' in metrics
    )


class Gate:
    """A runner that holds every review until released."""

    def __init__(self) -> None:
        self.open = threading.Event()
        self.started: list[str] = []
        self.finished: list[str] = []

    def __call__(self, job: ReviewJob) -> ReviewOutcome:
        self.started.append(job.delivery_id)
        self.open.wait(20)
        self.finished.append(job.delivery_id)
        return ReviewOutcome(status="posted")


def post(url: str, delivery: str, pr: int) -> httpx.Response:
    body, headers = signed_request("pull_request", delivery, pull_request_payload(pr, "c" * 40))
    return httpx.post(f"{url}/webhook", content=body, headers=headers)


def wait_until(condition: object, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.01)


def test_sigterm_refuses_new_work_and_finishes_queued_jobs() -> None:
    gate = Gate()
    with running_server(serve_settings(concurrency=1, drain_seconds=15, retry_after_seconds=3), gate) as live:
        for n in range(3):
            assert post(live.url, f"q{n}", n + 1).status_code == 202
        wait_until(lambda: gate.started == ["q0"])
        live.server.handle_exit(signal.SIGTERM, None)
        wait_until(lambda: live.service.draining)
        ready = httpx.get(f"{live.url}/readyz")  # still listening while it drains
        assert ready.status_code == 503
        late = post(live.url, "late", 9)
        assert late.status_code == 503
        assert late.headers["retry-after"] == "3"
        assert httpx.get(f"{live.url}/healthz").status_code == 200
        gate.open.set()
        live.thread.join(15)
        assert not live.thread.is_alive()
        assert gate.finished == ["q0", "q1", "q2"]
        assert live.service.unfinished == 0


def test_drain_timeout_gives_up_on_stuck_reviews() -> None:
    gate = Gate()
    try:
        with running_server(serve_settings(concurrency=1, drain_seconds=0.3), gate) as live:
            assert post(live.url, "stuck", 1).status_code == 202
            assert post(live.url, "waiting", 2).status_code == 202
            wait_until(lambda: gate.started == ["stuck"])
            started = time.monotonic()
            live.stop(timeout=10)
            assert not live.thread.is_alive()
            assert time.monotonic() - started < 5
            assert live.service.unfinished == 2
            assert gate.started == ["stuck"]
    finally:
        gate.open.set()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_the_command_serves_and_exits_cleanly_on_sigterm(tmp_path: Path) -> None:
    port = free_port()
    code = (
        "import typer\nfrom assistant.cli import serve_cmd\napp = typer.Typer()\napp.callback()(lambda: None)\n"
        "app.command('serve')(serve_cmd.serve)\napp()"
    )
    env = {
        **os.environ,
        "SHIPMATE_WEBHOOK_SECRET": "perf-webhook-secret",
        "SHIPMATE_ALLOWED_REPOS": "acme/*",
        "GITHUB_TOKEN": "ghs_" + "t" * 36,
        "GITHUB_API_URL": "http://127.0.0.1:9/api/v3",
    }
    argv = [sys.executable, "-c", code, "serve", "--port", str(port), "--work-dir", str(tmp_path / "work")]
    process = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 15
        while True:
            try:
                if httpx.get(f"{url}/readyz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "the server did not become ready"
            time.sleep(0.05)
        body, headers = signed_request(
            "ping", "ping-1", {"zen": "hi", "repository": {"full_name": "acme/api"}}
        )
        assert httpx.post(f"{url}/webhook", content=body, headers=headers).json() == {"status": "pong"}
        process.send_signal(signal.SIGTERM)
        _out, err = process.communicate(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    events = [json.loads(line)["event"] for line in err.splitlines() if line.startswith("{")]
    assert events[0] == "listening"
    assert "server_started" in events
    assert events[-1] == "shutdown_finished"
    assert "t" * 36 not in err
    assert "perf-webhook-secret" not in err
