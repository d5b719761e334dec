"""Pods: unschedulable, volumes that do not mount, evicted, and their containers' states."""

from __future__ import annotations

from tools.findings import Finding, Severity
from tools.kube.analyze import messages
from tools.kube.analyze.common import Context, event_quotes, make, status_source
from tools.kube.analyze.containers import PodContainers
from tools.kube.analyze.events import EventGroup, with_reason
from tools.kube.analyze.index import Obj, controller_of, meta, name_of, ns_of

_MOUNT_REASONS = ("FailedMount", "FailedAttachVolume", "FailedMapVolume")


def _older_job_attempts(ctx: Context) -> set[int]:
    """Failed pods of a Job other than its newest failed one: repeats of the same failure."""
    newest: dict[tuple[str, str], Obj] = {}
    older: set[int] = set()
    for pod in ctx.index.snapshot.items("pods"):
        owner = controller_of(pod)
        if owner is None or owner[0] != "Job" or (pod.get("status") or {}).get("phase") != "Failed":
            continue
        key = (ns_of(pod), owner[1])
        kept = newest.get(key)
        if kept is None:
            newest[key] = pod
        elif _started(pod) >= _started(kept):
            older.add(id(kept))
            newest[key] = pod
        else:
            older.add(id(pod))
    return older


def _started(pod: Obj) -> str:
    return str((pod.get("status") or {}).get("startTime") or meta(pod).get("creationTimestamp") or "")


def analyze_pods(ctx: Context, bad_nodes: set[str]) -> None:
    """Findings for every pod that is not running as it should."""
    older = _older_job_attempts(ctx)
    for pod in ctx.index.snapshot.items("pods"):
        status = pod.get("status") or {}
        phase = status.get("phase")
        if phase == "Succeeded" or id(pod) in older:
            continue
        groups = ctx.index.events_of("pods", pod)
        if status.get("reason") == "Evicted":
            _evicted(ctx, pod)
            continue
        node = (pod.get("spec") or {}).get("nodeName")
        if node in bad_nodes:
            for finding in ctx.on("nodes", {"metadata": {"name": node}}):
                if finding.category == "node.not_ready":
                    finding.notes.append(f"affects Pod/{ns_of(pod)}/{name_of(pod)}")
            continue  # its status is stale; the node finding explains it
        if not node:
            _unscheduled(ctx, pod, groups)
            continue
        found = PodContainers(ctx, pod, groups).analyze()
        if not found and phase == "Pending":
            found = _mount_failures(ctx, pod, groups)
        if not found and phase == "Running":
            _not_ready(ctx, pod, groups)


def _condition(pod: Obj, kind: str) -> Obj | None:
    for condition in (pod.get("status") or {}).get("conditions") or []:
        if condition.get("type") == kind:
            return dict(condition)
    return None


def _claims(pod: Obj) -> list[str]:
    volumes = (pod.get("spec") or {}).get("volumes") or []
    return [
        str(v["persistentVolumeClaim"].get("claimName")) for v in volumes if v.get("persistentVolumeClaim")
    ]


def _unscheduled(ctx: Context, pod: Obj, groups: list[EventGroup]) -> None:
    scheduled = _condition(pod, "PodScheduled") or {}
    failed = with_reason(groups, "FailedScheduling")
    message = failed[-1].message if failed else str(scheduled.get("message") or "")
    if not message and scheduled.get("status") != "False":
        return  # not yet looked at by the scheduler
    reading = messages.scheduling(message)
    quotes = [
        (
            status_source("pods", pod),
            f"condition PodScheduled={scheduled.get('status', '?')} reason={scheduled.get('reason', '')}"
            + (f": {scheduled['message']}" if scheduled.get("message") else ""),
        )
    ]
    finding = ctx.add(
        make(
            id="cluster-pod-unschedulable",
            category=reading.category,
            kind="pods",
            obj=pod,
            title=f"Pod {ns_of(pod)}/{name_of(pod)} cannot be scheduled: {reading.detail}",
            severity=Severity.HIGH,
            quotes=quotes + event_quotes("pods", pod, failed, limit=1),
            groups=failed,
            explanation=f"The scheduler finds no node for the pod: {message}",
            fix=_scheduling_fix(reading.category),
            confidence=reading.confidence,
        )
    )
    if reading.category == "scheduling.pvc_unbound":
        causes = [f for claim in _claims(pod) for f in ctx.by_resource.get(_claim_label(pod, claim), [])]
        ctx.link(finding, causes)


def _claim_label(pod: Obj, claim: str) -> str:
    return f"PersistentVolumeClaim/{ns_of(pod)}/{claim}"


_SCHEDULING_FIXES = {
    "scheduling.insufficient_resources": (
        "Lower the pod's resources.requests to what it uses, free capacity (scale down other workloads) "
        "or add nodes (cluster autoscaler); `kubectl describe nodes` shows what is allocated."
    ),
    "scheduling.taint_toleration": (
        "Add a toleration for the nodes' taint to the pod spec, or schedule on other nodes; "
        "`kubectl get nodes -o custom-columns=NAME:.metadata.name,TAINTS:.spec.taints`."
    ),
    "scheduling.affinity_selector": (
        "Fix nodeSelector/affinity to match real node labels (`kubectl get nodes --show-labels`), "
        "or label a node."
    ),
    "scheduling.pvc_unbound": (
        "Make the PersistentVolumeClaim bind (an existing StorageClass or a default one, or a matching "
        "PersistentVolume); `kubectl describe pvc`."
    ),
}


def _scheduling_fix(category: str) -> str:
    return _SCHEDULING_FIXES.get(category, "Read `kubectl describe pod` for the scheduler's message.")


def _mount_failures(ctx: Context, pod: Obj, groups: list[EventGroup]) -> list[Finding]:
    failed = with_reason(groups, *_MOUNT_REASONS)
    if not failed:
        return []
    text = failed[-1].message
    reference = messages.missing_reference(text)
    reading = reference or messages.Reading("storage.mount_failed", 0.85, "a volume cannot be mounted")
    return [
        ctx.add(
            make(
                id="cluster-pod-mount-failed",
                category=reading.category,
                kind="pods",
                obj=pod,
                title=f"Pod {ns_of(pod)}/{name_of(pod)} is stuck: {reading.detail}"
                + (" (volume)" if reference else f" ({failed[-1].reason})"),
                severity=Severity.HIGH,
                quotes=event_quotes("pods", pod, failed, limit=2),
                groups=failed,
                explanation=f"The kubelet cannot set up the pod's volumes, so no container starts: {text}",
                fix="Create the missing object or fix the volume in the pod spec; for attach errors "
                "(Multi-Attach) make sure the old pod released the volume: `kubectl describe pod`.",
                confidence=reading.confidence,
            )
        )
    ]


def _not_ready(ctx: Context, pod: Obj, groups: list[EventGroup]) -> None:
    ready = _condition(pod, "Ready") or {}
    if ready.get("status") != "False":
        return
    probes = [g for g in groups if g.reason == "Unhealthy" and messages.probe_kind(g.message) == "readiness"]
    if not probes:
        return
    ctx.add(
        make(
            id="cluster-pod-readiness-probe",
            category="probe.readiness_failed",
            kind="pods",
            obj=pod,
            title=f"Pod {ns_of(pod)}/{name_of(pod)} is not ready: its readiness probe fails",
            severity=Severity.MEDIUM,
            quotes=[
                (status_source("pods", pod), f"condition Ready=False reason={ready.get('reason', '')}"),
                *event_quotes("pods", pod, probes, limit=2),
            ],
            groups=probes,
            explanation="The pod runs but fails its readiness probe, so Services send it no traffic.",
            fix="Check the probe's path and port against the application and what it waits for "
            "(a dependency down?); `kubectl describe pod` and the pod's log.",
            confidence=0.85,
        )
    )


def _evicted(ctx: Context, pod: Obj) -> None:
    message = str((pod.get("status") or {}).get("message") or "")
    disk = "ephemeral-storage" in message or "nodefs" in message or "imagefs" in message
    category = "storage.disk_full" if disk else "scheduling.insufficient_resources"
    node = str((pod.get("spec") or {}).get("nodeName") or "")
    pressure = [f for f in ctx.by_resource.get(f"Node/{node}", []) if f.category == category]
    finding = ctx.add(
        make(
            id="cluster-pod-evicted",
            category=category,
            kind="pods",
            obj=pod,
            title=f"Pod {ns_of(pod)}/{name_of(pod)} was evicted",
            severity=Severity.LOW,
            quotes=[(status_source("pods", pod), f"phase=Failed reason=Evicted: {message}")],
            explanation="The kubelet evicted the pod because its node ran short of a resource; its "
            "controller usually replaced it.",
            fix="Set requests/limits (memory, ephemeral-storage) that match real use; delete old "
            "evicted pods with `kubectl delete pod --field-selector=status.phase=Failed`.",
            confidence=0.8,
            role="context",
        )
    )
    ctx.link(finding, pressure)  # the node still under pressure explains it
