"""Deployments, StatefulSets and DaemonSets short of ready replicas; controllers that cannot create pods."""

from __future__ import annotations

from typing import Any

from tools.findings import Finding, Severity
from tools.kube.analyze.common import Context, event_quotes, make, status_source
from tools.kube.analyze.index import Obj, name_of, ns_of
from tools.kube.analyze.messages import Reading
from tools.kube.snapshot import KIND_NAMES, resource_label

_CONTROLLERS = ("replicasets", "statefulsets", "daemonsets", "jobs")


def create_failure(message: str) -> Reading:
    """FailedCreate / ReplicaFailure text -> quota, admission or manifest category."""
    lowered = message.lower()
    if "exceeded quota" in lowered or "must specify" in lowered or "limitrange" in lowered:
        return Reading("quota.exceeded", 0.95, "a ResourceQuota or LimitRange rejects its pods")
    if "admission webhook" in lowered or "podsecurity" in lowered or "denied the request" in lowered:
        return Reading("admission.webhook_denied", 0.9, "admission rejects its pods")
    if "serviceaccount" in lowered or "service account" in lowered:
        return Reading("manifest.invalid", 0.7, "its ServiceAccount does not exist")
    return Reading("manifest.invalid", 0.5, "the API server rejects its pods")


def analyze_controllers(ctx: Context) -> None:
    """Findings for ReplicaSets, StatefulSets, DaemonSets and Jobs whose pods cannot be created."""
    for kind in _CONTROLLERS:
        for obj in ctx.index.snapshot.items(kind):
            if kind == "replicasets" and not (obj.get("spec") or {}).get("replicas"):
                continue  # an old ReplicaSet scaled to zero
            groups = [g for g in ctx.index.events_of(kind, obj) if g.reason == "FailedCreate"]
            condition = _conditions(obj).get("ReplicaFailure") or {}
            messages = [g.message for g in groups]
            if condition.get("status") == "True":
                messages.append(str(condition.get("message") or ""))
            if not messages:
                continue
            reading = create_failure(" ".join(messages))
            quotes = event_quotes(kind, obj, groups, limit=2)
            if condition.get("status") == "True":
                quotes.insert(0, (status_source(kind, obj), _condition_text(condition)))
            ctx.add(
                make(
                    id=f"cluster-{KIND_NAMES[kind].lower()}-create-failed",
                    category=reading.category,
                    kind=kind,
                    obj=obj,
                    title=f"{_label(kind, obj)} cannot create pods: {reading.detail}",
                    severity=Severity.HIGH,
                    quotes=quotes,
                    groups=groups,
                    explanation=f"The controller's pod creations are refused: {messages[-1]}",
                    fix=_create_fix(reading.category, ns_of(obj)),
                    confidence=reading.confidence,
                )
            )


def _label(kind: str, obj: Obj) -> str:
    return f"{KIND_NAMES[kind]} {ns_of(obj)}/{name_of(obj)}"


def _create_fix(category: str, namespace: str) -> str:
    if category == "quota.exceeded":
        return (
            f"`kubectl describe resourcequota -n {namespace}` shows used and hard limits: raise the quota, "
            "lower the pods' requests/limits, or scale something else down; LimitRange errors need "
            "requests/limits on every container."
        )
    if category == "admission.webhook_denied":
        return "Change the pod template to satisfy the policy named in the message, or fix the webhook."
    return "Fix the pod template as the message says (`kubectl describe` the controller for its events)."


def _conditions(obj: Obj) -> dict[str, Obj]:
    return {str(c.get("type")): c for c in (obj.get("status") or {}).get("conditions") or []}


def _condition_text(condition: Obj) -> str:
    text = f"condition {condition.get('type')}={condition.get('status')} reason={condition.get('reason', '')}"
    return f"{text}: {condition['message']}" if condition.get("message") else text


def _counts(kind: str, obj: Obj) -> tuple[int, int]:
    """(wanted, ready-or-available) replicas."""
    spec: dict[str, Any] = obj.get("spec") or {}
    status: dict[str, Any] = obj.get("status") or {}
    if kind == "daemonsets":
        return int(status.get("desiredNumberScheduled") or 0), int(status.get("numberReady") or 0)
    wanted = int(spec["replicas"]) if spec.get("replicas") is not None else 1
    if kind == "deployments":
        return wanted, int(status.get("availableReplicas") or 0)
    return wanted, int(status.get("readyReplicas") or 0)


def _causes(ctx: Context, kind: str, obj: Obj) -> list[Finding]:
    behind: list[Finding] = []
    pods = ctx.index.workload_pods(kind, obj)
    for pod in pods:
        behind.extend(ctx.on("pods", pod))
        node = (pod.get("spec") or {}).get("nodeName")
        if node:
            behind.extend(
                f for f in ctx.by_resource.get(f"Node/{node}", []) if f.category == "node.not_ready"
            )
    owners = ctx.index.children("replicasets", "Deployment", obj) if kind == "deployments" else [obj]
    for owner in owners:
        behind.extend(
            ctx.by_resource.get(resource_label("replicasets" if kind == "deployments" else kind, owner), [])
        )
    return ctx.root_causes(behind)


def analyze_workloads(ctx: Context) -> None:
    """Findings for Deployments, StatefulSets and DaemonSets that lack ready pods or stopped progressing."""
    for kind in ("deployments", "statefulsets", "daemonsets"):
        for obj in ctx.index.snapshot.items(kind):
            wanted, ready = _counts(kind, obj)
            conditions = _conditions(obj)
            progressing = conditions.get("Progressing") or {}
            stuck = progressing.get("reason") == "ProgressDeadlineExceeded"
            if wanted == 0 or (ready >= wanted and not stuck):
                continue
            causes = _causes(ctx, kind, obj)
            available = conditions.get("Available") or {}
            if not causes and not stuck and available.get("status") != "False":
                continue  # still rolling out, nothing known to be wrong
            _report(ctx, kind, obj, wanted, ready, stuck, causes, [progressing, available])


def _report(
    ctx: Context,
    kind: str,
    obj: Obj,
    wanted: int,
    ready: int,
    stuck: bool,
    causes: list[Finding],
    conditions: list[Obj],
) -> None:
    label = _label(kind, obj)
    word = "available" if kind == "deployments" else "ready"
    counts = f"{ready}/{wanted} replicas {word}"
    title = f"{label}: rollout stuck (ProgressDeadlineExceeded), {counts}" if stuck else f"{label}: {counts}"
    quotes = [(status_source(kind, obj), counts)]
    quotes += [
        (status_source(kind, obj), _condition_text(c)) for c in conditions if c and c.get("status") != "True"
    ]
    if stuck:
        quotes += [(status_source(kind, obj), _condition_text(c)) for c in conditions[:1]]
    behind = "; ".join(sorted({f"{c.resource}: {c.category}" for c in causes})[:3])
    finding = make(
        id=f"cluster-{KIND_NAMES[kind].lower()}-{'rollout-stuck' if stuck else 'unavailable'}",
        category="rollout.stuck",
        kind=kind,
        obj=obj,
        title=title,
        severity=Severity.CRITICAL if ready == 0 else (Severity.HIGH if stuck else Severity.MEDIUM),
        quotes=list(dict.fromkeys(quotes)),
        explanation=(
            f"{label} does not reach its wanted replicas"
            + (f" because of: {behind}." if causes else "; no pod-level cause was found in the snapshot.")
        ),
        fix=(
            f"Fix the cause on its pods first; then `kubectl rollout status {KIND_NAMES[kind].lower()}/"
            f"{name_of(obj)} -n {ns_of(obj)}`; `kubectl rollout undo` returns to the last working version."
        ),
        confidence=0.9 if causes or stuck else 0.6,
    )
    ctx.link(ctx.add(finding), causes)
