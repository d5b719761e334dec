"""The webhook app over ASGI: signature before parsing, size, allowlist, replay, events, queue, probes."""

from __future__ import annotations

import asyncio
import io
import json
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest

from assistant.server.app import create_app
from assistant.server.jsonlog import JsonLogger
from assistant.server.models import ReviewOutcome
from assistant.server.service import WebhookService
from assistant.server.signatures import sign
from evals.perf.webhook import CountingRunner, pull_request_payload, serve_settings, signed_request


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@asynccontextmanager
async def webhook_client(
    runner: Any = None, **settings: Any
) -> AsyncIterator[tuple[httpx.AsyncClient, WebhookService, io.StringIO]]:
    config = serve_settings(**settings)
    log = io.StringIO()
    runner = runner or CountingRunner()
    service = WebhookService(config, runner, log=JsonLogger(log))
    app = create_app(config, runner, service=service)
    service.start()  # ASGITransport does not run the lifespan
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client, service, log
    await service.shutdown()


def pr_delivery(delivery: str, pr: int = 1, **kwargs: Any) -> tuple[bytes, dict[str, str]]:
    return signed_request("pull_request", delivery, pull_request_payload(pr, "a" * 40, **kwargs))


@pytest.mark.anyio
async def test_bad_or_missing_signature_is_401_before_the_body_is_parsed() -> None:
    async with webhook_client() as (client, service, log):
        body, headers = pr_delivery("d1")
        tampered = await client.post("/webhook", content=body + b" ", headers=headers)
        assert tampered.status_code == 401
        garbage = await client.post(
            "/webhook", content=b"not json{", headers={**headers, "X-Hub-Signature-256": "sha256=00"}
        )
        assert garbage.status_code == 401  # not 400: nothing was parsed
        unsigned = {k: v for k, v in headers.items() if k != "X-Hub-Signature-256"}
        assert (await client.post("/webhook", content=body, headers=unsigned)).status_code == 401
        assert service.queue.depth == 0
        assert service.queue.running == 0
        assert "a" * 40 not in log.getvalue()
        assert "Updates the deployment" not in log.getvalue()


@pytest.mark.anyio
async def test_accepted_delivery_is_reviewed_once_and_replays_are_duplicates() -> None:
    runner = CountingRunner()
    async with webhook_client(runner) as (client, _service, _log):
        body, headers = pr_delivery("d1", pr=3)
        first = await client.post("/webhook", content=body, headers=headers)
        assert first.status_code == 202
        assert first.json() == {"status": "queued", "delivery": "d1", "pr": 3}
        replay = await client.post("/webhook", content=body, headers=headers)
        assert replay.status_code == 200
        assert replay.json()["status"] == "duplicate"
    assert runner.calls == {"d1": 1}
    assert runner.jobs[0].head_sha == "a" * 40
    assert runner.jobs[0].repository == "acme/api"


@pytest.mark.anyio
async def test_oversized_bodies_are_413_declared_or_streamed() -> None:
    async with webhook_client(max_body_bytes=2048) as (client, _service, _log):
        payload = pull_request_payload(1, "a" * 40)
        payload["pull_request"]["body"] = "x" * 5000
        body, headers = signed_request("pull_request", "big", payload)
        declared = await client.post("/webhook", content=body, headers=headers)
        assert declared.status_code == 413

        async def chunks() -> AsyncIterator[bytes]:
            for start in range(0, len(body), 512):
                yield body[start : start + 512]

        streamed = await client.post("/webhook", content=chunks(), headers=headers)
        assert "content-length" not in {k.lower() for k in streamed.request.headers}
        assert streamed.status_code == 413
        small, small_headers = pr_delivery("small")
        assert (await client.post("/webhook", content=small, headers=small_headers)).status_code == 202
        metrics = (await client.get("/metrics")).text
        assert 'shipmate_webhook_deliveries_total{result="too_large"} 2.0' in metrics


@pytest.mark.anyio
async def test_repository_outside_the_allowlist_is_403() -> None:
    runner = CountingRunner()
    async with webhook_client(runner, allowed_repos=["acme/api"]) as (client, _service, log):
        body, headers = pr_delivery("d1", repository="evil/api")
        response = await client.post("/webhook", content=body, headers=headers)
        assert response.status_code == 403
        assert "evil/api is not in the allowlist" in response.json()["message"]
        assert '"event": "repository_refused"' in log.getvalue()
    assert runner.total() == 0


@pytest.mark.anyio
async def test_ping_ignored_events_and_bad_requests() -> None:
    async with webhook_client() as (client, _service, _log):
        body, headers = signed_request("ping", "p1", {"zen": "hi", "hook_id": 1})
        assert (await client.post("/webhook", content=body, headers=headers)).json() == {"status": "pong"}
        body, headers = pr_delivery("closed", action="closed")
        ignored = await client.post("/webhook", content=body, headers=headers)
        assert ignored.status_code == 202
        assert ignored.json()["status"] == "ignored"
        assert "'closed'" in ignored.json()["message"]
        body, headers = signed_request("push", "push1", {"repository": {"full_name": "acme/api"}})
        assert (await client.post("/webhook", content=body, headers=headers)).json()["status"] == "ignored"
        body, headers = signed_request("pull_request", "nojson", {})
        headers.pop("X-GitHub-Delivery")
        assert (await client.post("/webhook", content=body, headers=headers)).status_code == 400
        raw = b"[1, 2]"
        _ignored, headers = signed_request("pull_request", "list", {})
        headers["X-Hub-Signature-256"] = sign("perf-webhook-secret", raw)
        assert (await client.post("/webhook", content=raw, headers=headers)).status_code == 400
        payload = pull_request_payload(1, "a" * 40)
        del payload["pull_request"]["head"]
        body, headers = signed_request("pull_request", "broken", payload)
        broken = await client.post("/webhook", content=body, headers=headers)
        assert broken.status_code == 400
        assert "pull_request.head" in broken.json()["message"]


@pytest.mark.anyio
async def test_full_queue_is_503_with_retry_after_and_the_delivery_can_come_again() -> None:
    gate = threading.Event()
    calls: list[str] = []

    def slow(job: Any) -> ReviewOutcome:
        calls.append(job.delivery_id)
        gate.wait(10)
        return ReviewOutcome(status="posted")

    async with webhook_client(slow, queue_size=1, concurrency=1, retry_after_seconds=7) as (
        client,
        service,
        _log,
    ):
        for n in (1, 2):
            body, headers = pr_delivery(f"d{n}", pr=n)
            assert (await client.post("/webhook", content=body, headers=headers)).status_code == 202
            if n == 1:
                while service.queue.running == 0:
                    await asyncio.sleep(0.005)
        body, headers = pr_delivery("d3", pr=3)
        full = await client.post("/webhook", content=body, headers=headers)
        assert full.status_code == 503
        assert full.headers["retry-after"] == "7"
        assert full.json()["status"] == "queue_full"
        gate.set()
        while service.queue.depth or service.queue.running:
            await asyncio.sleep(0.005)
        again = await client.post("/webhook", content=body, headers=headers)
        assert again.status_code == 202  # refused deliveries are not remembered as seen
    assert sorted(calls) == ["d1", "d2", "d3"]


@pytest.mark.anyio
async def test_probes_and_shutdown() -> None:
    async with webhook_client() as (client, service, _log):
        assert (await client.get("/healthz")).status_code == 200
        ready = await client.get("/readyz")
        assert ready.status_code == 200
        assert ready.json()["status"] == "ready"
        await service.shutdown()
        not_ready = await client.get("/readyz")
        assert not_ready.status_code == 503
        assert not_ready.json()["reason"] == "shutting down"
        assert (await client.get("/healthz")).status_code == 200
        body, headers = pr_delivery("late")
        late = await client.post("/webhook", content=body, headers=headers)
        assert late.status_code == 503
        assert "retry-after" in late.headers


@pytest.mark.anyio
async def test_metrics_text() -> None:
    runner = CountingRunner()
    async with webhook_client(runner) as (client, service, _log):
        body, headers = pr_delivery("m1")
        await client.post("/webhook", content=body, headers=headers)
        await client.post("/webhook", content=body + b"x", headers=headers)
        while runner.total() < 1 or service.queue.running:
            await asyncio.sleep(0.005)
        response = await client.get("/metrics")
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    for line in (
        'shipmate_webhook_deliveries_total{result="queued"} 1.0',
        'shipmate_webhook_deliveries_total{result="bad_signature"} 1.0',
        'shipmate_reviews_total{outcome="posted"} 1.0',
        'shipmate_review_findings_total{severity="high"} 1.0',
        "shipmate_review_duration_seconds_count 1.0",
        "shipmate_queue_depth 0.0",
        "shipmate_model_tokens_total 10.0",
        "shipmate_model_cost_usd_total 0.001",
    ):
        assert line in text, line
    assert "python_gc_objects_collected_total" not in text  # our own registry, not the global one


def test_logs_are_json_lines_without_secrets() -> None:
    stream = io.StringIO()
    log = JsonLogger(stream, known_secrets=("webhook-s3cret-value",))
    log.info(
        "review_finished",
        delivery="d1",
        repo="acme/api",
        pr=3,
        duration=0.25,
        message="token ghp_" + "a" * 36,
    )
    log.error("odd", detail=["webhook-s3cret-value"])
    lines = stream.getvalue().splitlines()
    records: list[dict[str, Any]] = [json.loads(line) for line in lines]
    assert records[0]["event"] == "review_finished"
    assert records[0]["level"] == "info"
    assert {"time", "delivery", "repo", "pr", "duration"} <= set(records[0])
    assert "ghp_" + "a" * 36 not in lines[0]
    assert "webhook-s3cret-value" not in lines[1]
