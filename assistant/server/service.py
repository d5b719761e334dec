"""The webhook's decisions, free of any web framework: verify, parse, filter, deduplicate, enqueue.

`WebhookService.handle` takes the headers and the raw body (already size-checked) and returns the
reply; it runs on the event loop and never awaits, so checking and remembering a delivery id
cannot interleave with another delivery.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from assistant.server.deliveries import DeliveryStore
from assistant.server.events import Ignored, PayloadError, parse_event, repository_of
from assistant.server.jobqueue import JobQueue, Runner
from assistant.server.jsonlog import JsonLogger
from assistant.server.metrics import ServerMetrics
from assistant.server.settings import ServeSettings, repo_allowed
from assistant.server.signatures import signature_valid

_MAX_DELIVERY_ID = 200


@dataclass
class Reply:
    """An HTTP answer: status, JSON body, extra headers."""

    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


class WebhookService:
    """State of one server: settings, queue and workers, remembered deliveries, metrics, logs."""

    def __init__(self, settings: ServeSettings, runner: Runner, *, log: JsonLogger | None = None) -> None:
        self.settings = settings
        self.metrics = ServerMetrics()
        known = tuple(s.get_secret_value() for s in (settings.secret, settings.github_token) if s)
        self.log = log or JsonLogger(known_secrets=known)
        self.deliveries = DeliveryStore(settings.remembered_deliveries)
        self.queue = JobQueue(
            runner,
            concurrency=settings.concurrency,
            capacity=settings.queue_size,
            metrics=self.metrics,
            log=self.log,
        )
        self.draining = False
        self.unfinished = 0

    def start(self) -> None:
        """Start the workers (on the running event loop)."""
        self.queue.start()
        self.log.info(
            "server_started",
            concurrency=self.settings.concurrency,
            queue_size=self.settings.queue_size,
            allowed=",".join(self.settings.allowed_repos),
        )

    async def shutdown(self) -> None:
        """Refuse new deliveries (503), finish queued and running jobs up to the drain timeout."""
        if self.draining:
            return
        self.draining = True
        self.log.info("shutdown_started", queued=self.queue.depth, running=self.queue.running)
        left = self.unfinished = await self.queue.drain(self.settings.drain_seconds)
        self.log.log("warning" if left else "info", "shutdown_finished", unfinished=left)

    def ready(self) -> bool:
        """Workers running and not shutting down."""
        return not self.draining and self.queue.healthy()

    def refuse(self, result: str, status: int, message: str, **extra: Any) -> Reply:
        """Count a refused delivery and build its reply."""
        self.metrics.deliveries.labels(result).inc()
        headers = {"Retry-After": str(self.settings.retry_after_seconds)} if status in (429, 503) else {}
        return Reply(status, {"status": result, "message": message, **extra}, headers)

    def unavailable(self) -> Reply | None:
        """The 503 to send before reading a body while shutting down, or None."""
        if self.draining:
            return self.refuse("shutting_down", 503, "the server is shutting down; retry later")
        return None

    def handle(self, headers: Mapping[str, str], body: bytes) -> Reply:
        """Decide what to do with one delivery (headers with lower-case names, the raw body)."""
        if (reply := self.unavailable()) is not None:
            return reply
        delivery = headers.get("x-github-delivery", "")
        if not signature_valid(
            self.settings.secret.get_secret_value(), body, headers.get("x-hub-signature-256")
        ):
            self.log.warning("signature_rejected", delivery=delivery[:_MAX_DELIVERY_ID])
            return self.refuse("bad_signature", 401, "missing or invalid X-Hub-Signature-256")
        event = headers.get("x-github-event", "")
        if not event or not delivery or len(delivery) > _MAX_DELIVERY_ID:
            return self.refuse("bad_request", 400, "X-GitHub-Event and X-GitHub-Delivery are required")
        try:
            payload = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            return self.refuse("bad_request", 400, "the body is not JSON")
        if not isinstance(payload, dict):
            return self.refuse("bad_request", 400, "the body is not a JSON object")
        if event == "ping":
            self.metrics.deliveries.labels("ping").inc()
            return Reply(200, {"status": "pong"})
        return self._route(event, delivery, payload)

    def _route(self, event: str, delivery: str, payload: dict[str, Any]) -> Reply:
        repository = repository_of(payload)
        if repository is None:
            return self.refuse("ignored", 202, "the delivery names no repository")
        if not repo_allowed(repository, self.settings.allowed_repos):
            self.log.warning("repository_refused", delivery=delivery, repo=repository, gh_event=event)
            return self.refuse("forbidden", 403, f"repository {repository} is not in the allowlist")
        if self.deliveries.seen(delivery):
            return self.refuse("duplicate", 200, "delivery already accepted; not processed again")
        try:
            parsed = parse_event(event, delivery, payload)
        except PayloadError as err:
            return self.refuse("bad_request", 400, str(err))
        if isinstance(parsed, Ignored):
            self.log.info(
                "delivery_ignored", delivery=delivery, repo=repository, gh_event=event, reason=parsed.reason
            )
            return self.refuse("ignored", 202, parsed.reason)
        offered = self.queue.offer(parsed)
        if offered == "full":
            self.log.warning("queue_full", delivery=delivery, repo=repository, pr=parsed.pr_number)
            return self.refuse("queue_full", 503, "the review queue is full; retry later")
        if offered == "closed":
            return self.refuse("shutting_down", 503, "the server is shutting down; retry later")
        self.deliveries.remember(delivery)
        self.metrics.deliveries.labels(offered).inc()
        self.log.info(
            "delivery_accepted",
            delivery=delivery,
            repo=repository,
            pr=parsed.pr_number,
            gh_event=event,
            head=parsed.head_sha,
            queued=offered,
        )
        return Reply(202, {"status": offered, "delivery": delivery, "pr": parsed.pr_number})
