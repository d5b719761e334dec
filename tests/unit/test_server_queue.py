"""The bounded queue: coalescing per pull request, refusal when full, one review per PR at a time, drain."""

from __future__ import annotations

import asyncio
import io
import threading
import time

import pytest

from assistant.server.deliveries import DeliveryStore
from assistant.server.jobqueue import JobQueue
from assistant.server.jsonlog import JsonLogger
from assistant.server.metrics import ServerMetrics
from assistant.server.models import ReviewJob, ReviewOutcome


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def job(delivery: str, pr: int = 1, head: str = "a" * 40, repo: str = "acme/api") -> ReviewJob:
    return ReviewJob(delivery_id=delivery, event="pull_request", repository=repo, pr_number=pr, head_sha=head)


class GatedRunner:
    """Blocks every review until released; records which jobs ran and how many ran at once."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.ran: list[str] = []
        self.active = 0
        self.most_active = 0
        self._lock = threading.Lock()

    def __call__(self, item: ReviewJob) -> ReviewOutcome:
        with self._lock:
            self.active += 1
            self.most_active = max(self.most_active, self.active)
        self.release.wait(10)
        with self._lock:
            self.active -= 1
            self.ran.append(item.delivery_id)
        return ReviewOutcome(status="posted", findings={"high": 2, "low": 1})


def make_queue(
    runner: GatedRunner, *, concurrency: int = 1, capacity: int = 2
) -> tuple[JobQueue, io.StringIO]:
    log = io.StringIO()
    return JobQueue(
        runner, concurrency=concurrency, capacity=capacity, metrics=ServerMetrics(), log=JsonLogger(log)
    ), log


async def until(condition: object, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "condition not reached"
        await asyncio.sleep(0.005)


def test_delivery_store_is_bounded() -> None:
    store = DeliveryStore(capacity=3)
    for n in range(5):
        store.remember(f"d{n}")
    assert len(store) == 3
    assert not store.seen("d0")
    assert not store.seen("d1")
    assert all(store.seen(f"d{n}") for n in (2, 3, 4))
    store.remember("d2")  # seen again: now the newest, so d3 goes first
    store.remember("d5")
    assert store.seen("d2")
    assert not store.seen("d3")


@pytest.mark.anyio
async def test_waiting_job_of_the_same_pr_is_replaced_by_the_newest_head() -> None:
    runner = GatedRunner()
    queue, log = make_queue(runner, capacity=2)
    queue.start()
    assert queue.offer(job("first", pr=1)) == "queued"
    await until(lambda: queue.running == 1)
    assert queue.offer(job("second", pr=1, head="b" * 40)) == "queued"
    assert queue.offer(job("third", pr=1, head="c" * 40)) == "coalesced"
    assert queue.offer(job("other", pr=2)) == "queued"
    assert queue.offer(job("fourth", pr=1, head="d" * 40)) == "coalesced"  # even when full: no growth
    assert queue.offer(job("refused", pr=3)) == "full"
    assert queue.depth == 2
    runner.release.set()
    await until(lambda: len(runner.ran) == 3)
    assert runner.ran == ["first", "fourth", "other"]
    assert '"replaced": "second"' in log.getvalue()
    assert '"replaced": "third"' in log.getvalue()
    assert await queue.drain(5) == 0


@pytest.mark.anyio
async def test_same_pull_request_never_reviewed_twice_at_once() -> None:
    runner = GatedRunner()
    queue, _log = make_queue(runner, concurrency=3, capacity=5)
    queue.start()
    queue.offer(job("a1", pr=1))
    await until(lambda: queue.running == 1)
    queue.offer(job("a2", pr=1))
    queue.offer(job("b1", pr=2))
    await until(lambda: queue.running == 2)
    await asyncio.sleep(0.05)
    assert queue.running == 2
    assert queue.depth == 1
    runner.release.set()
    await until(lambda: len(runner.ran) == 3)
    assert runner.ran.index("a1") < runner.ran.index("a2")
    await queue.drain(5)


@pytest.mark.anyio
async def test_a_failing_runner_does_not_kill_its_worker() -> None:
    calls: list[str] = []

    def runner(item: ReviewJob) -> ReviewOutcome:
        calls.append(item.delivery_id)
        if item.delivery_id == "boom":
            raise RuntimeError("clone exploded\nwith a second line")
        return ReviewOutcome(status="posted")

    log = io.StringIO()
    metrics = ServerMetrics()
    queue = JobQueue(runner, concurrency=1, capacity=5, metrics=metrics, log=JsonLogger(log))
    queue.start()
    queue.offer(job("boom", pr=1))
    queue.offer(job("fine", pr=2))
    await until(lambda: len(calls) == 2 and queue.running == 0)
    assert queue.healthy()
    text = metrics.exposition().decode()
    assert 'shipmate_reviews_total{outcome="failed"} 1.0' in text
    assert 'shipmate_reviews_total{outcome="posted"} 1.0' in text
    assert '"message": "RuntimeError: clone exploded"' in log.getvalue()
    await queue.drain(5)


@pytest.mark.anyio
async def test_drain_finishes_queued_jobs_then_refuses() -> None:
    runner = GatedRunner()
    queue, _log = make_queue(runner, concurrency=1, capacity=5)
    queue.start()
    for n in range(3):
        queue.offer(job(f"d{n}", pr=n + 1))
    threading.Timer(0.1, runner.release.set).start()
    assert await queue.drain(5) == 0
    assert runner.ran == ["d0", "d1", "d2"]
    assert queue.offer(job("late", pr=9)) == "closed"
    assert not queue.healthy()


@pytest.mark.anyio
async def test_drain_timeout_reports_what_was_left() -> None:
    runner = GatedRunner()
    queue, log = make_queue(runner, concurrency=1, capacity=5)
    queue.start()
    queue.offer(job("running", pr=1))
    queue.offer(job("waiting", pr=2))
    await until(lambda: queue.running == 1)
    assert await queue.drain(0.1) == 2
    assert '"event": "job_dropped"' in log.getvalue()
    assert '"delivery": "waiting"' in log.getvalue()
    runner.release.set()
