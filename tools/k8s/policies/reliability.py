"""Reliability policies on a pod spec and its workload: resources, probes, images, replicas, rollouts."""

from __future__ import annotations

from typing import Any

from tools.k8s.manifests import Manifest
from tools.k8s.policies.emit import Report
from tools.k8s.policies.pods import RUN_TO_COMPLETION_KINDS, PodSpec, as_int, mapping, sequence
from tools.k8s.policies.selectors import map_matches, selector_matches

REPLICATED_KINDS = frozenset(
    {"Deployment", "StatefulSet", "ReplicaSet", "ReplicationController", "DeploymentConfig"}
)
LABEL_SELECTOR_KINDS = frozenset({"Deployment", "StatefulSet", "ReplicaSet", "DaemonSet"})
MAP_SELECTOR_KINDS = frozenset({"ReplicationController", "DeploymentConfig"})
_RESOURCES = (
    ("cpu", "requests", "K8S_CPU_REQUEST", "CPU request"),
    ("cpu", "limits", "K8S_CPU_LIMIT", "CPU limit"),
    ("memory", "requests", "K8S_MEMORY_REQUEST", "memory request"),
    ("memory", "limits", "K8S_MEMORY_LIMIT", "memory limit"),
)


def check_pod_reliability(manifest: Manifest, pod: PodSpec, report: Report) -> None:
    """Resources, probes and images of every container."""
    for container in pod.runnable():
        resources = mapping(container.spec.get("resources"))
        where = (*container.path, "resources")
        for resource, side, policy_id, what in _RESOURCES:
            present = mapping(resources.get(side)).get(resource) is not None
            if side == "requests" and not present:  # a limit alone sets the request to the same value
                present = mapping(resources.get("limits")).get(resource) is not None
            if not present:
                report.add(policy_id, (*where, side, resource), f"{container.describe()} has no {what}")
    restart = pod.spec.get("restartPolicy")
    if manifest.kind not in RUN_TO_COMPLETION_KINDS and restart not in ("Never", "OnFailure"):
        for container in pod.regular():
            for key, policy_id in (
                ("livenessProbe", "K8S_LIVENESS_PROBE"),
                ("readinessProbe", "K8S_READINESS_PROBE"),
            ):
                if not isinstance(container.spec.get(key), dict):
                    report.add(policy_id, (*container.path, key), f"{container.describe()} has no {key}")
    for container in pod.containers:
        image = container.spec.get("image")
        if not isinstance(image, str) or not image.strip():
            continue  # a missing image is the schema's finding
        tag, digest = image_tag(image)
        if digest:
            continue
        who = container.describe()
        if tag is None or tag == "latest":
            shown = f"{who}: image {image} has no tag" if tag is None else f"{who}: image {image}"
            report.add("K8S_LATEST_TAG", (*container.path, "image"), shown)
        policy = container.spec.get("imagePullPolicy")
        effective = (
            policy if isinstance(policy, str) else ("Always" if tag in (None, "latest") else "IfNotPresent")
        )
        if effective != "Always":
            shown = (
                f"imagePullPolicy: {policy}"
                if isinstance(policy, str)
                else "imagePullPolicy defaults to IfNotPresent"
            )
            where = (*container.path, "imagePullPolicy" if isinstance(policy, str) else "image")
            report.add("K8S_IMAGE_PULL_POLICY", where, f"{who}: {shown}")


def image_tag(image: str) -> tuple[str | None, str | None]:
    """(tag, digest) of an image reference; a registry's port is not a tag."""
    name, _, digest = image.partition("@")
    slash = name.rfind("/")
    colon = name.rfind(":")
    tag = name[colon + 1 :] if colon > slash else None
    return tag or None, digest or None


def check_workload(manifest: Manifest, pod: PodSpec, report: Report) -> None:
    """Selector, spreading of replicas and update strategy of a workload object."""
    spec = mapping(mapping(manifest.obj).get("spec"))
    kind = manifest.kind
    _selector(kind, spec, pod, report)
    replicas = replica_count(kind, spec)
    if replicas > 1:
        affinity = mapping(pod.spec.get("affinity"))
        if not mapping(affinity.get("podAntiAffinity")) and not sequence(
            pod.spec.get("topologySpreadConstraints")
        ):
            report.add(
                "K8S_NO_ANTI_AFFINITY",
                (*pod.path, "affinity"),
                f"{replicas} replicas, no podAntiAffinity or topologySpreadConstraints",
            )
    if kind in ("Deployment", "DeploymentConfig"):
        strategy = mapping(spec.get("strategy"))
        if strategy.get("type") == "Recreate":
            report.add("K8S_UPDATE_STRATEGY", ("spec", "strategy", "type"), "strategy type Recreate")
        unavailable = mapping(strategy.get("rollingUpdate")).get("maxUnavailable")
        most = as_int(unavailable)
        if unavailable == "100%" or (most is not None and replicas <= most):
            report.add(
                "K8S_UPDATE_STRATEGY",
                ("spec", "strategy", "rollingUpdate", "maxUnavailable"),
                f"maxUnavailable {unavailable} with {replicas} replica(s)",
            )
    elif (
        kind in ("StatefulSet", "DaemonSet") and mapping(spec.get("updateStrategy")).get("type") == "OnDelete"
    ):
        report.add("K8S_UPDATE_STRATEGY", ("spec", "updateStrategy", "type"), "updateStrategy type OnDelete")


def replica_count(kind: str, spec: dict[str, Any]) -> int:
    """Replicas a replicated kind asks for (1 when unset, as the API defaults it); 0 for other kinds."""
    if kind not in REPLICATED_KINDS:
        return 0
    if "replicas" not in spec:
        return 1
    return as_int(spec.get("replicas")) or 0


def _selector(kind: str, spec: dict[str, Any], pod: PodSpec, report: Report) -> None:
    selector = spec.get("selector")
    if not isinstance(selector, dict) or not selector:
        return  # absent: older API versions default it to the template's labels
    labels = pod.labels
    if kind in LABEL_SELECTOR_KINDS:
        uses_label_selector = "matchLabels" in selector or "matchExpressions" in selector
        matches = selector_matches(selector, labels) if uses_label_selector else map_matches(selector, labels)
    elif kind in MAP_SELECTOR_KINDS:
        matches = map_matches(selector, labels)
    else:
        return
    if not matches:
        report.add(
            "K8S_SELECTOR_MISMATCH", ("spec", "selector"), "the selector does not match the template's labels"
        )


def check_disruption_budget(manifest: Manifest, report: Report) -> None:
    """A PodDisruptionBudget that forbids every voluntary eviction."""
    spec = mapping(mapping(manifest.obj).get("spec"))
    unavailable = spec.get("maxUnavailable")
    if as_int(unavailable) == 0 or unavailable == "0%":
        report.add("K8S_PDB_BLOCKS_EVICTION", ("spec", "maxUnavailable"), f"maxUnavailable: {unavailable}")
    if spec.get("minAvailable") == "100%":
        report.add("K8S_PDB_BLOCKS_EVICTION", ("spec", "minAvailable"), "minAvailable: 100%")
