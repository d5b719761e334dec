"""The bounded review queue and its workers: jobs wait in order, N run at once in threads.

A job for a pull request that is already waiting replaces the waiting one in place (the newest
head wins, the queue does not grow). Two jobs for the same pull request never run at once, so
two reviews cannot race on the same sticky comment. Everything but the runner itself runs on
the event loop, so offer() is atomic without locks.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Literal

from assistant.server.jsonlog import JsonLogger
from assistant.server.metrics import ServerMetrics
from assistant.server.models import ReviewJob, ReviewOutcome

Runner = Callable[[ReviewJob], ReviewOutcome]
Offer = Literal["queued", "coalesced", "full", "closed"]


class JobQueue:
    """Waiting jobs keyed by (repository, pull request), and the workers that run them."""

    def __init__(
        self, runner: Runner, *, concurrency: int, capacity: int, metrics: ServerMetrics, log: JsonLogger
    ) -> None:
        self._runner = runner
        self._concurrency = concurrency
        self._capacity = capacity
        self._metrics = metrics
        self._log = log
        self._pending: OrderedDict[tuple[str, int], ReviewJob] = OrderedDict()
        self._running: set[tuple[str, int]] = set()
        self._closed = False
        self._changed: asyncio.Event | None = None
        self._workers: list[asyncio.Task[None]] = []
        self._executor: ThreadPoolExecutor | None = None

    @property
    def depth(self) -> int:
        """Jobs waiting for a worker."""
        return len(self._pending)

    @property
    def running(self) -> int:
        """Jobs being reviewed now."""
        return len(self._running)

    def healthy(self) -> bool:
        """True while accepting jobs with every worker alive."""
        return not self._closed and bool(self._workers) and not any(w.done() for w in self._workers)

    def start(self) -> None:
        """Start the workers on the running event loop."""
        self._changed = asyncio.Event()
        self._executor = ThreadPoolExecutor(self._concurrency, thread_name_prefix="shipmate-review")
        self._workers = [asyncio.create_task(self._worker()) for _ in range(self._concurrency)]

    def offer(self, job: ReviewJob) -> Offer:
        """Queue `job`, or replace the waiting job of the same pull request; "full" when no room."""
        if self._closed or self._changed is None:
            return "closed"
        waiting = self._pending.get(job.key)
        if waiting is not None:
            self._pending[job.key] = job
            self._log.info(
                "job_coalesced",
                delivery=job.delivery_id,
                replaced=waiting.delivery_id,
                repo=job.repository,
                pr=job.pr_number,
            )
            return "coalesced"
        if len(self._pending) >= self._capacity:
            return "full"
        self._pending[job.key] = job
        self._metrics.queue_depth.set(len(self._pending))
        self._changed.set()
        return "queued"

    async def drain(self, timeout: float) -> int:
        """Stop accepting; let waiting and running jobs finish for up to `timeout` s; jobs left undone."""
        self._closed = True
        if self._changed is not None:
            self._changed.set()
        if self._workers:
            _done, pending = await asyncio.wait(self._workers, timeout=timeout)
            for task in pending:
                task.cancel()
        left = len(self._pending) + len(self._running)
        for job in self._pending.values():
            self._log.warning("job_dropped", delivery=job.delivery_id, repo=job.repository, pr=job.pr_number)
        self._pending.clear()
        self._metrics.queue_depth.set(0)
        if self._executor is not None:
            # Threads cannot be stopped: a review still running past the drain timeout is abandoned.
            self._executor.shutdown(wait=False, cancel_futures=True)
        return left

    def _take(self) -> ReviewJob | None:
        for key, job in self._pending.items():
            if key not in self._running:
                del self._pending[key]
                self._running.add(key)
                self._metrics.queue_depth.set(len(self._pending))
                return job
        return None

    async def _worker(self) -> None:
        assert self._changed is not None
        loop = asyncio.get_running_loop()
        while True:
            job = self._take()
            if job is None:
                if self._closed and not self._pending:
                    return
                self._changed.clear()
                await self._changed.wait()
                continue
            self._metrics.running.inc()
            try:
                await loop.run_in_executor(self._executor, self._run, job)
            finally:
                self._metrics.running.dec()
                self._running.discard(job.key)
                self._changed.set()

    def _run(self, job: ReviewJob) -> None:
        """Run one job in a worker thread; a runner's exception becomes a failed outcome, never a crash."""
        self._log.info("review_started", delivery=job.delivery_id, repo=job.repository, pr=job.pr_number)
        started = time.perf_counter()
        try:
            outcome = self._runner(job)
        except Exception as err:  # the worker must survive whatever one review does
            outcome = ReviewOutcome(status="failed", message=f"{type(err).__name__}: {err}".splitlines()[0])
        if outcome.seconds <= 0:
            outcome = outcome.model_copy(update={"seconds": time.perf_counter() - started})
        self._metrics.record_outcome(outcome)
        level = "error" if outcome.status == "failed" else "info"
        self._log.log(
            level,
            "review_finished",
            delivery=job.delivery_id,
            repo=job.repository,
            pr=job.pr_number,
            head=job.head_sha,
            status=outcome.status,
            duration=round(outcome.seconds, 3),
            findings=sum(outcome.findings.values()),
            message=outcome.message,
        )
