"""Deprecated and removed API versions, judged against the target Kubernetes version."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.test_k8s_policies_walker import ids, run
from tools.k8s.policies.apis import API_CHANGES, api_change, minor

API_POLICIES = {"K8S_REMOVED_API", "K8S_DEPRECATED_API"}


def obj(api_version: str, kind: str) -> str:
    return f"apiVersion: {api_version}\nkind: {kind}\nmetadata: {{name: x, namespace: shop}}\n"


@pytest.mark.parametrize(
    ("api_version", "kind", "version", "expected"),
    [
        ("extensions/v1beta1", "Ingress", "1.21", "K8S_DEPRECATED_API"),
        ("extensions/v1beta1", "Ingress", "1.22", "K8S_REMOVED_API"),
        ("extensions/v1beta1", "Ingress", "1.13", None),
        ("policy/v1beta1", "PodSecurityPolicy", "1.24", "K8S_DEPRECATED_API"),
        ("policy/v1beta1", "PodSecurityPolicy", "1.25", "K8S_REMOVED_API"),
        ("batch/v1beta1", "CronJob", "1.25", "K8S_REMOVED_API"),
        ("batch/v1beta1", "CronJob", "1.20", None),
        ("autoscaling/v2beta2", "HorizontalPodAutoscaler", "1.25", "K8S_DEPRECATED_API"),
        ("autoscaling/v2beta2", "HorizontalPodAutoscaler", "1.26", "K8S_REMOVED_API"),
        ("flowcontrol.apiserver.k8s.io/v1beta2", "FlowSchema", "1.28", "K8S_DEPRECATED_API"),
        ("flowcontrol.apiserver.k8s.io/v1beta2", "PriorityLevelConfiguration", "1.29", "K8S_REMOVED_API"),
        ("apps/v1beta2", "Deployment", "1.16", "K8S_REMOVED_API"),
        ("v1", "Endpoints", "1.33", "K8S_DEPRECATED_API"),
        ("v1", "Endpoints", "1.32", None),
        ("networking.k8s.io/v1", "Ingress", "1.37", None),
        ("autoscaling/v2", "HorizontalPodAutoscaler", "1.37", None),
    ],
)
def test_api_versions_by_target_version(
    tmp_path: Path, api_version: str, kind: str, version: str, expected: str | None
) -> None:
    found = ids(run(tmp_path, obj(api_version, kind), version=version)) & API_POLICIES
    assert found == ({expected} if expected else set())


def test_the_finding_names_the_replacement_and_points_at_api_version(tmp_path: Path) -> None:
    text = "metadata: {name: x, namespace: shop}\napiVersion: batch/v1beta1\nkind: CronJob\n"
    [finding] = [f for f in run(tmp_path, text, version="1.30") if f.id == "K8S_REMOVED_API"]
    assert "batch/v1" in finding.evidence[0].text
    assert "1.25" in finding.evidence[0].text
    assert finding.evidence[0].line == 2
    assert finding.severity.value == "high"


def test_deprecated_is_low_and_removed_is_high() -> None:
    from tools.k8s.policies.registry import policy

    assert policy("K8S_DEPRECATED_API").severity.value == "low"
    assert policy("K8S_REMOVED_API").severity.value == "high"


@pytest.mark.parametrize(("text", "parsed"), [("1.29", (1, 29)), ("v1.30.2", (1, 30)), ("1.31+", (1, 31))])
def test_versions_are_read_leniently(text: str, parsed: tuple[int, int]) -> None:
    assert minor(text) == parsed


def test_the_table_is_consistent() -> None:
    for (api_version, kind), change in API_CHANGES.items():
        assert api_version
        assert kind
        assert change.removed is None or change.deprecated <= change.removed, (api_version, kind)
        assert change.replacement
    assert api_change("apps/v1beta1", "StatefulSet") is not None  # group-wide rows apply to every kind
