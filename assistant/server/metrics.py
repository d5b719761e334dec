"""Prometheus metrics of the server, on a registry of its own (never the process-global one)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from assistant.server.models import ReviewOutcome

CONTENT_TYPE = CONTENT_TYPE_LATEST
_DURATION_BUCKETS = (0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600)


class ServerMetrics:
    """The counters, gauges and histogram `/metrics` exposes."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.deliveries = Counter(
            "shipmate_webhook_deliveries",
            "Webhook deliveries by result (accepted, coalesced, duplicate, ignored, bad_signature, ...).",
            ["result"],
            registry=self.registry,
        )
        self.reviews = Counter(
            "shipmate_reviews",
            "Reviews run, by outcome (posted, failed, skipped).",
            ["outcome"],
            registry=self.registry,
        )
        self.findings = Counter(
            "shipmate_review_findings",
            "New findings reported by reviews, by severity.",
            ["severity"],
            registry=self.registry,
        )
        self.duration = Histogram(
            "shipmate_review_duration_seconds",
            "Time one review took (fetch, review, post).",
            buckets=_DURATION_BUCKETS,
            registry=self.registry,
        )
        self.queue_depth = Gauge("shipmate_queue_depth", "Jobs waiting for a worker.", registry=self.registry)
        self.running = Gauge("shipmate_reviews_running", "Jobs being reviewed now.", registry=self.registry)
        self.tokens = Counter(
            "shipmate_model_tokens", "Model tokens used by reviews.", registry=self.registry
        )
        self.cost = Counter(
            "shipmate_model_cost_usd", "Model cost of reviews in USD.", registry=self.registry
        )

    def record_outcome(self, outcome: ReviewOutcome) -> None:
        """Count one finished review."""
        self.reviews.labels(outcome.status).inc()
        for severity, count in outcome.findings.items():
            if count > 0:
                self.findings.labels(severity).inc(count)
        self.duration.observe(max(outcome.seconds, 0.0))
        if outcome.tokens > 0:
            self.tokens.inc(outcome.tokens)
        if outcome.cost > 0:
            self.cost.inc(outcome.cost)

    def exposition(self) -> bytes:
        """The text format Prometheus scrapes."""
        return generate_latest(self.registry)
