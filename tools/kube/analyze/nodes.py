"""Nodes: NotReady or unreachable, and disk, memory or PID pressure."""

from __future__ import annotations

from collections import defaultdict

from tools.findings import Severity
from tools.kube.analyze.common import Context, make, status_source
from tools.kube.analyze.index import Obj, name_of, ns_of

_PRESSURE = {
    "DiskPressure": (
        "storage.disk_full",
        "is low on disk",
        "The kubelet reports DiskPressure: it evicts pods and refuses new ones until disk is freed.",
        "Free disk on the node (images: `crictl rmi --prune`; logs; emptyDir volumes) or grow its disk; "
        "set ephemeral-storage requests and limits so one pod cannot fill it.",
    ),
    "MemoryPressure": (
        "scheduling.insufficient_resources",
        "is low on memory",
        "The kubelet reports MemoryPressure: it evicts pods (BestEffort first) and refuses new ones.",
        "Set memory requests that match real use, move pods elsewhere or add capacity.",
    ),
    "PIDPressure": (
        "scheduling.insufficient_resources",
        "is running out of process ids",
        "The kubelet reports PIDPressure: a pod is probably forking without bound.",
        "Find the pod with the most processes on the node and fix it; set a pod PID limit in the kubelet.",
    ),
}


def _conditions(node: Obj) -> dict[str, Obj]:
    return {str(c.get("type")): c for c in (node.get("status") or {}).get("conditions") or []}


def _condition_text(condition: Obj) -> str:
    since = condition.get("lastTransitionTime") or condition.get("lastHeartbeatTime") or ""
    text = f"condition {condition.get('type')}={condition.get('status')} reason={condition.get('reason', '')}"
    if condition.get("message"):
        text += f": {condition['message']}"
    return f"{text} (since {since})" if since else text


def not_ready_nodes(ctx: Context) -> set[str]:
    """Names of nodes that are NotReady or unreachable."""
    bad: set[str] = set()
    for node in ctx.index.snapshot.items("nodes"):
        ready = _conditions(node).get("Ready")
        if ready is not None and ready.get("status") != "True":
            bad.add(name_of(node))
    return bad


def analyze_nodes(ctx: Context) -> None:
    """Findings for NotReady nodes and nodes under pressure."""
    nodes = ctx.index.snapshot.items("nodes")
    bad = not_ready_nodes(ctx)
    pods_on: dict[str, list[str]] = defaultdict(list)
    if bad:
        for pod in ctx.index.snapshot.items("pods"):
            node_name = (pod.get("spec") or {}).get("nodeName")
            if node_name in bad:
                pods_on[node_name].append(f"{ns_of(pod)}/{name_of(pod)}")
    for node in nodes:
        name = name_of(node)
        conditions = _conditions(node)
        source = status_source("nodes", node)
        if name in bad:
            _not_ready(ctx, node, conditions["Ready"], pods_on.get(name, []), all_bad=len(bad) == len(nodes))
            continue
        for kind, (category, what, explanation, fix) in _PRESSURE.items():
            condition = conditions.get(kind)
            if condition is None or condition.get("status") != "True":
                continue
            ctx.add(
                make(
                    id=f"cluster-node-{kind.lower().replace('pressure', '-pressure')}",
                    category=category,
                    kind="nodes",
                    obj=node,
                    title=f"Node {name} {what} ({kind})",
                    severity=Severity.HIGH if kind == "DiskPressure" else Severity.MEDIUM,
                    quotes=[(source, _condition_text(condition))],
                    explanation=explanation,
                    fix=f"{fix} Inspect with `kubectl describe node {name}`.",
                    confidence=0.9,
                )
            )


def _not_ready(ctx: Context, node: Obj, ready: Obj, pods: list[str], all_bad: bool) -> None:
    name = name_of(node)
    source = status_source("nodes", node)
    quotes = [(source, _condition_text(ready))]
    for taint in (node.get("spec") or {}).get("taints") or []:
        if str(taint.get("key", "")).startswith("node.kubernetes.io/"):
            quotes.append((source, f"taint {taint.get('key')}:{taint.get('effect')}"))
    network = _conditions(node).get("NetworkUnavailable")
    if network is not None and network.get("status") == "True":
        quotes.append((source, _condition_text(network)))
    state = "unreachable" if ready.get("status") == "Unknown" else "NotReady"
    shown = ", ".join(pods[:5]) + (f" and {len(pods) - 5} more" if len(pods) > 5 else "")
    explanation = (
        f"The node is {state}: "
        + (
            "the kubelet stopped posting status, so the control plane cannot tell what runs there. "
            if state == "unreachable"
            else "the kubelet reports it cannot run pods. "
        )
        + (
            f"{len(pods)} pod(s) were scheduled on it: {shown}."
            if pods
            else "No pod read is scheduled on it."
        )
    )
    ctx.add(
        make(
            id="cluster-node-not-ready",
            category="node.not_ready",
            kind="nodes",
            obj=node,
            title=f"Node {name} is {state}",
            severity=Severity.CRITICAL if all_bad else Severity.HIGH,
            quotes=quotes,
            explanation=explanation,
            fix=(
                f"`kubectl describe node {name}`; on the node: `systemctl status kubelet` and "
                "`journalctl -u kubelet --since -1h`; check the machine in the cloud console (stopped, "
                "out of memory, network). Move workloads off with "
                f"`kubectl drain {name} --ignore-daemonsets`."
            ),
            confidence=0.95,
        )
    )
