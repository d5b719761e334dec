"""The pod-spec walker finds every workload kind's containers; helpers the other policy tests share."""

from __future__ import annotations

import itertools
import textwrap
from collections.abc import Iterable
from pathlib import Path

import pytest

from tools.findings import Finding
from tools.k8s.manifests import Manifest, read_manifests
from tools.k8s.policies import PolicyOptions, SetChecks, object_findings
from tools.k8s.policies.pods import dotted, pod_spec

_files = itertools.count()

# A Deployment that passes every policy (with its PodDisruptionBudget); tests break one line of it.
HARDENED = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
        seccompProfile: {type: RuntimeDefault}
      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: kubernetes.io/hostname
          whenUnsatisfiable: ScheduleAnyway
          labelSelector: {matchLabels: {app: web}}
      containers:
        - name: web
          image: registry.example.com/web:1.2.3
          imagePullPolicy: Always
          ports:
            - {name: http, containerPort: 8080}
          resources:
            requests: {cpu: 100m, memory: 128Mi}
            limits: {cpu: 500m, memory: 256Mi}
          livenessProbe: {httpGet: {path: /healthz, port: http}}
          readinessProbe: {httpGet: {path: /ready, port: http}}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: {drop: [ALL]}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
  namespace: shop
spec:
  maxUnavailable: 1
  selector:
    matchLabels: {app: web}
"""


def manifests(tmp_path: Path, text: str) -> list[Manifest]:
    """The objects of `text`, written to a file and read back through the real reader."""
    path = tmp_path / f"manifest-{next(_files)}.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return list(read_manifests(str(path)))


def run(tmp_path: Path, text: str, version: str = "1.30", ignored: Iterable[str] = ()) -> list[Finding]:
    """Findings of every policy (per object, then across the set) for the manifests in `text`."""
    options = PolicyOptions(kubernetes_version=version, ignored=frozenset(ignored))
    checks = SetChecks()
    found: list[Finding] = []
    for manifest in manifests(tmp_path, text):
        found.extend(object_findings(manifest, options))
        checks.add(manifest)
    return found + checks.findings(options)


def ids(findings: Iterable[Finding]) -> set[str]:
    """The policy ids among the findings."""
    return {f.id for f in findings}


def broken(old: str, new: str, base: str = HARDENED) -> str:
    """The baseline with one piece replaced (the piece must be there, so a test cannot go stale)."""
    assert old in base, old
    return base.replace(old, new, 1)


def test_the_hardened_baseline_passes_every_policy(tmp_path: Path) -> None:
    assert run(tmp_path, HARDENED) == []


CONTAINERS = """
      initContainers: [{name: setup, image: busybox:1.36}]
      containers: [{name: app, image: nginx:1.25}]
      ephemeralContainers: [{name: debug, image: busybox:1.36}]
"""
KINDS = {
    "Pod": ("v1", "spec:" + CONTAINERS.replace("\n      ", "\n  "), "spec"),
    "Deployment": ("apps/v1", "spec:\n  template:\n    spec:" + CONTAINERS, "spec.template.spec"),
    "StatefulSet": ("apps/v1", "spec:\n  template:\n    spec:" + CONTAINERS, "spec.template.spec"),
    "DaemonSet": ("apps/v1", "spec:\n  template:\n    spec:" + CONTAINERS, "spec.template.spec"),
    "ReplicaSet": ("apps/v1", "spec:\n  template:\n    spec:" + CONTAINERS, "spec.template.spec"),
    "ReplicationController": ("v1", "spec:\n  template:\n    spec:" + CONTAINERS, "spec.template.spec"),
    "Job": ("batch/v1", "spec:\n  template:\n    spec:" + CONTAINERS, "spec.template.spec"),
    "DeploymentConfig": (
        "apps.openshift.io/v1",
        "spec:\n  template:\n    spec:" + CONTAINERS,
        "spec.template.spec",
    ),
    "CronJob": (
        "batch/v1",
        "spec:\n  jobTemplate:\n    spec:\n      template:\n        spec:"
        + CONTAINERS.replace("\n      ", "\n          "),
        "spec.jobTemplate.spec.template.spec",
    ),
}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_workload_kind_yields_its_pod_spec_and_all_container_groups(tmp_path: Path, kind: str) -> None:
    api_version, body, spec_path = KINDS[kind]
    [manifest] = manifests(
        tmp_path, f"apiVersion: {api_version}\nkind: {kind}\nmetadata: {{name: x}}\n{body}"
    )
    pod = pod_spec(manifest)
    assert pod is not None
    assert dotted(pod.path) == spec_path
    assert [(c.group, c.name) for c in pod.containers] == [
        ("initContainers", "setup"),
        ("containers", "app"),
        ("ephemeralContainers", "debug"),
    ]
    assert [dotted(c.path) for c in pod.regular()] == [f"{spec_path}.containers[0]"]
    assert [c.name for c in pod.runnable()] == ["setup", "app"]


@pytest.mark.parametrize(
    "text",
    [
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: b}",
        "apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec: [1, 2]",
        "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: x}\nspec:\n  jobTemplate:\n    spec: null",
    ],
)
def test_objects_without_a_readable_pod_spec_yield_none(tmp_path: Path, text: str) -> None:
    [manifest] = manifests(tmp_path, text)
    assert pod_spec(manifest) is None


def test_malformed_container_entries_are_skipped_not_fatal(tmp_path: Path) -> None:
    [manifest] = manifests(
        tmp_path,
        "apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec:\n  containers: [oops, {image: a:1}]\n",
    )
    pod = pod_spec(manifest)
    assert pod is not None
    assert [(dotted(c.path), c.name) for c in pod.containers] == [("spec.containers[1]", "#1")]


def test_dotted_paths() -> None:
    assert dotted(("spec", "containers", 0, "securityContext", "privileged")) == (
        "spec.containers[0].securityContext.privileged"
    )
    assert dotted(()) == ""
