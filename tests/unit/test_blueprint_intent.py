"""Offline intent parsing: plain words to the web-service blueprint's parameters."""

from __future__ import annotations

from typing import Any

import pytest

from tools.blueprints.intent import parse_intent
from tools.errors import InputError

CASES: list[tuple[str, dict[str, Any]]] = [
    (
        "deploy nginx:1.27 with 3 replicas on port 80, autoscale to 10",
        {"image": "nginx:1.27", "replicas": "3", "port": "80", "autoscale_max": "10"},
    ),
    (
        "run ghcr.io/acme/api:1.4.2 in the shop namespace at api.example.com",
        {"image": "ghcr.io/acme/api:1.4.2", "namespace": "shop", "host": "api.example.com"},
    ),
    (
        "web service called billing listening on 9000 health check /healthz",
        {"name": "billing", "port": "9000", "health_path": "/healthz"},
    ),
    (
        "deploy registry.local:5000/team/web:2.0 2 replicas",
        {"image": "registry.local:5000/team/web:2.0", "replicas": "2"},
    ),
    ("deploy caddy:2.8 with 1 replica", {"image": "caddy:2.8", "replicas": "1"}),
    ("expose my app on port 3000", {"port": "3000"}),
    ("run 5 instances of ghcr.io/acme/worker:0.9", {"image": "ghcr.io/acme/worker:0.9", "replicas": "5"}),
    ("deploy api:2.3.1 and scale up to 20", {"image": "api:2.3.1", "autoscale_max": "20"}),
    ("deploy api:2.3.1, autoscaling max 8", {"image": "api:2.3.1", "autoscale_max": "8"}),
    ("service for web:1.0 in namespace payments", {"image": "web:1.0", "namespace": "payments"}),
    ("deploy web:1.0 on domain shop.acme.io", {"image": "web:1.0", "host": "shop.acme.io"}),
    ("deploy web:1.0 readiness /ready", {"image": "web:1.0", "health_path": "/ready"}),
    (
        "deploy docker.io/library/httpd:2.4 named frontend",
        {"image": "docker.io/library/httpd:2.4", "name": "frontend"},
    ),
    ("an http server from caddy:2.8 on port 443", {"image": "caddy:2.8", "port": "443"}),
    ("deploy 4 pods of grafana/grafana:11.0.0", {"image": "grafana/grafana:11.0.0", "replicas": "4"}),
    ("run api:1.2 listening on 8000", {"image": "api:1.2", "port": "8000"}),
    ("deploy ghcr.io/acme/api@sha256:" + "a" * 64, {"image": "ghcr.io/acme/api@sha256:" + "a" * 64}),
    ("web app at app.example.org with 2 replicas", {"host": "app.example.org", "replicas": "2"}),
    ("deploy quay.io/prometheus/node-exporter:v1.8.1", {"image": "quay.io/prometheus/node-exporter:v1.8.1"}),
    ("deploy nginx:1.27 with 3 copies", {"image": "nginx:1.27", "replicas": "3"}),
]


@pytest.mark.parametrize(("ask", "expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_asks_map_to_parameters(ask: str, expected: dict[str, Any]) -> None:
    intent = parse_intent("k8s", ask)
    assert intent.blueprint == "k8s-web-service"
    assert intent.parameters == expected


@pytest.mark.parametrize("ask", ["", "make me a sandwich", "what is the weather"])
def test_asks_no_blueprint_covers_list_what_is_supported(ask: str) -> None:
    with pytest.raises(
        InputError, match=r"supported kubernetes blueprints: .*k8s-web-service \(e.g. 'deploy"
    ):
        parse_intent("k8s", ask)


def test_an_unknown_target_is_refused() -> None:
    with pytest.raises(InputError, match="is not a target: use k8s, terraform or compose"):
        parse_intent("helm", "a chart")


def test_blueprint_named_explicitly_must_match_the_target() -> None:
    assert parse_intent("k8s", "anything at all", "k8s-web-service").blueprint == "k8s-web-service"
    with pytest.raises(InputError, match="is not one of"):
        parse_intent("k8s", "x", "k8s-nothing")


@pytest.mark.parametrize(
    "ask",
    [
        "a DaemonSet running quay.io/prometheus/node-exporter:v1.8.1 on every node",
        "a one-off Job that runs migrations with ghcr.io/acme/migrate:3.0",
        "a ResourceQuota for the team-a namespace",
        "a ClusterRole that can read pods",
    ],
)
def test_asks_for_kinds_no_blueprint_renders_are_not_forced_into_a_web_service(ask: str) -> None:
    with pytest.raises(InputError, match="not understood"):
        parse_intent("k8s", ask)


@pytest.mark.parametrize(
    ("ask", "absent"),
    [
        ("deploy ghcr.io/acme/api:1.4 that calls https://api.example.com:8443/v1", "port"),
        ("deploy ghcr.io/acme/api:1.4 backed by s3://bucket:9000/models", "port"),
        ("web service daily report at 02:30", "image"),
        ("web service for models:/fraud/3", "image"),
    ],
)
def test_urls_and_clock_times_give_no_shared_parameter(ask: str, absent: str) -> None:
    from tools.blueprints.intent import shared_parameters

    assert absent not in shared_parameters(ask)
