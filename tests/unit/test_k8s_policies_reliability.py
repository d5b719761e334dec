"""Reliability policies: resources, probes, images, replicas, rollouts, selectors, budgets."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.test_k8s_policies_walker import HARDENED, broken, ids, run
from tools.k8s.policies.reliability import image_tag

RESOURCES = (
    "            requests: {cpu: 100m, memory: 128Mi}\n            limits: {cpu: 500m, memory: 256Mi}\n"
)
SPREAD = """      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: kubernetes.io/hostname
          whenUnsatisfiable: ScheduleAnyway
          labelSelector: {matchLabels: {app: web}}
"""
PDB = HARDENED[HARDENED.index("---\n") :]

FAILING: dict[str, tuple[str, str]] = {
    "K8S_CPU_REQUEST": (
        RESOURCES,
        "            requests: {memory: 128Mi}\n            limits: {memory: 256Mi}\n",
    ),
    "K8S_CPU_LIMIT": (
        RESOURCES,
        "            requests: {cpu: 100m, memory: 128Mi}\n            limits: {memory: 256Mi}\n",
    ),
    "K8S_MEMORY_REQUEST": (RESOURCES, "            requests: {cpu: 100m}\n            limits: {cpu: 500m}\n"),
    "K8S_MEMORY_LIMIT": (
        RESOURCES,
        "            requests: {cpu: 100m, memory: 128Mi}\n            limits: {cpu: 500m}\n",
    ),
    "K8S_LIVENESS_PROBE": ("          livenessProbe: {httpGet: {path: /healthz, port: http}}\n", ""),
    "K8S_READINESS_PROBE": ("          readinessProbe: {httpGet: {path: /ready, port: http}}\n", ""),
    "K8S_LATEST_TAG": ("registry.example.com/web:1.2.3", "registry.example.com/web:latest"),
    "K8S_IMAGE_PULL_POLICY": ("imagePullPolicy: Always", "imagePullPolicy: IfNotPresent"),
    "K8S_NO_ANTI_AFFINITY": (SPREAD, ""),
    "K8S_UPDATE_STRATEGY": ("  replicas: 2\n", "  replicas: 2\n  strategy: {type: Recreate}\n"),
    "K8S_SELECTOR_MISMATCH": (
        "    matchLabels: {app: web}\n  template",
        "    matchLabels: {app: api}\n  template",
    ),
    "K8S_NO_PDB": (PDB, ""),
    "K8S_PDB_BLOCKS_EVICTION": ("  maxUnavailable: 1\n", "  maxUnavailable: 0\n"),
}


@pytest.mark.parametrize("policy_id", sorted(FAILING))
def test_policy_fails_on_the_broken_manifest_and_passes_on_the_baseline(
    tmp_path: Path, policy_id: str
) -> None:
    old, new = FAILING[policy_id]
    assert policy_id in ids(run(tmp_path, broken(old, new)))
    assert policy_id not in ids(run(tmp_path, HARDENED))


def test_a_limit_alone_counts_as_the_request(tmp_path: Path) -> None:
    text = broken(RESOURCES, "            limits: {cpu: 500m, memory: 256Mi}\n")
    assert not ids(run(tmp_path, text)) & {"K8S_CPU_REQUEST", "K8S_MEMORY_REQUEST"}


def test_init_containers_need_resources_but_not_probes(tmp_path: Path) -> None:
    text = broken(
        "      containers:\n",
        "      initContainers: [{name: setup, image: 'busybox:1.36', imagePullPolicy: Always}]\n      containers:\n",
    )
    findings = [f for f in run(tmp_path, text) if "initContainers" in (f.field_path or "")]
    assert {"K8S_CPU_REQUEST", "K8S_MEMORY_LIMIT"} <= ids(findings)
    assert not ids(findings) & {"K8S_LIVENESS_PROBE", "K8S_READINESS_PROBE"}


@pytest.mark.parametrize(
    "text",
    [
        "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j, namespace: shop}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: a, image: 'busybox:1.36'}]\n",
        "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c, namespace: shop}\nspec:\n  schedule: '* * * * *'\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers: [{name: a, image: 'busybox:1.36'}]\n",
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec:\n  restartPolicy: OnFailure\n  containers: [{name: a, image: 'busybox:1.36'}]\n",
    ],
)
def test_run_to_completion_pods_need_no_probes(tmp_path: Path, text: str) -> None:
    found = ids(run(tmp_path, text))
    assert "K8S_CPU_REQUEST" in found  # judged, just not on probes
    assert not found & {"K8S_LIVENESS_PROBE", "K8S_READINESS_PROBE"}


@pytest.mark.parametrize(
    ("image", "policy", "latest", "pull"),
    [
        ("nginx", None, True, False),  # no tag: latest, pulled Always by default
        ("nginx:latest", "IfNotPresent", True, True),
        ("nginx:1.25", None, False, True),  # a tag defaults to IfNotPresent
        ("nginx:1.25", "Always", False, False),
        ("registry:5000/team/nginx", None, True, False),  # the registry's port is not a tag
        ("nginx@sha256:0123abcd", None, False, False),  # a digest pins it whatever the policy
        ("nginx:1.25@sha256:0123abcd", "IfNotPresent", False, False),
    ],
)
def test_image_tags_digests_and_pull_policies(
    tmp_path: Path, image: str, policy: str | None, latest: bool, pull: bool
) -> None:
    pull_line = "          imagePullPolicy: Always\n"
    text = broken("registry.example.com/web:1.2.3", image)
    text = broken(pull_line, f"          imagePullPolicy: {policy}\n" if policy else "", text)
    found = ids(run(tmp_path, text))
    assert ("K8S_LATEST_TAG" in found) is latest
    assert ("K8S_IMAGE_PULL_POLICY" in found) is pull


def test_image_tag_parsing() -> None:
    assert image_tag("ghcr.io/a/b:1.0") == ("1.0", None)
    assert image_tag("localhost:5000/b") == (None, None)
    assert image_tag("b@sha256:ff") == (None, "sha256:ff")


@pytest.mark.parametrize(
    ("strategy", "fails"),
    [
        ("{type: RollingUpdate, rollingUpdate: {maxUnavailable: 2}}", True),
        ("{type: RollingUpdate, rollingUpdate: {maxUnavailable: '100%'}}", True),
        ("{type: RollingUpdate, rollingUpdate: {maxUnavailable: 1}}", False),
        ("{type: RollingUpdate, rollingUpdate: {maxUnavailable: '25%'}}", False),
    ],
)
def test_rolling_updates_that_may_take_every_replica_down(tmp_path: Path, strategy: str, fails: bool) -> None:
    text = broken("  replicas: 2\n", f"  replicas: 2\n  strategy: {strategy}\n")
    assert ("K8S_UPDATE_STRATEGY" in ids(run(tmp_path, text))) is fails


def test_statefulset_on_delete_never_rolls_out(tmp_path: Path) -> None:
    text = broken("kind: Deployment", "kind: StatefulSet")
    assert "K8S_UPDATE_STRATEGY" not in ids(run(tmp_path, text))
    on_delete = broken("  replicas: 2\n", "  replicas: 2\n  updateStrategy: {type: OnDelete}\n", text)
    assert "K8S_UPDATE_STRATEGY" in ids(run(tmp_path, on_delete))


def test_single_replica_needs_no_spreading_or_budget(tmp_path: Path) -> None:
    text = broken(SPREAD, "", broken("  replicas: 2\n", "  replicas: 1\n", broken(PDB, "")))
    assert not ids(run(tmp_path, text)) & {"K8S_NO_ANTI_AFFINITY", "K8S_NO_PDB"}


def test_pod_anti_affinity_counts_as_spreading(tmp_path: Path) -> None:
    affinity = """      affinity:
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
            - weight: 100
              podAffinityTerm: {topologyKey: kubernetes.io/hostname, labelSelector: {matchLabels: {app: web}}}
"""
    assert "K8S_NO_ANTI_AFFINITY" not in ids(run(tmp_path, broken(SPREAD, affinity)))


@pytest.mark.parametrize(
    ("selector", "fails"),
    [
        ("{matchLabels: {app: other}}", True),
        ("{matchExpressions: [{key: app, operator: In, values: [web, api]}]}", False),
        ("{matchExpressions: [{key: app, operator: NotIn, values: [web]}]}", True),
        ("{matchExpressions: [{key: tier, operator: Exists}]}", True),
        ("{matchExpressions: [{key: tier, operator: DoesNotExist}]}", False),
    ],
)
def test_budget_selectors_are_evaluated_like_kubernetes(tmp_path: Path, selector: str, fails: bool) -> None:
    text = HARDENED[: HARDENED.index("---\n")] + PDB.replace(
        "  selector:\n    matchLabels: {app: web}\n", f"  selector: {selector}\n"
    )
    assert ("K8S_NO_PDB" in ids(run(tmp_path, text))) is fails


def test_budget_in_another_namespace_does_not_count(tmp_path: Path) -> None:
    text = HARDENED[: HARDENED.index("---\n")] + PDB.replace("namespace: shop", "namespace: other")
    assert "K8S_NO_PDB" in ids(run(tmp_path, text))
