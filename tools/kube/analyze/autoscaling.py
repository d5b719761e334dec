"""HorizontalPodAutoscalers that cannot read their metrics."""

from __future__ import annotations

from typing import Any

from tools.findings import Severity
from tools.kube.analyze.common import Context, event_quotes, make, status_source
from tools.kube.analyze.index import Obj, name_of, ns_of

_METRIC_REASONS = (
    "FailedGetResourceMetric",
    "FailedGetPodsMetric",
    "FailedGetObjectMetric",
    "FailedGetExternalMetric",
    "FailedGetContainerResourceMetric",
    "FailedComputeMetricsReplicas",
    "InvalidMetricSourceType",
)
_KIND_KEYS = {"Deployment": "deployments", "StatefulSet": "statefulsets", "ReplicaSet": "replicasets"}


def _resource_metrics(hpa: Obj) -> list[str]:
    spec = hpa.get("spec") or {}
    names = [
        str((m.get("resource") or m.get("containerResource") or {}).get("name"))
        for m in spec.get("metrics") or []
        if m.get("type") in ("Resource", "ContainerResource")
    ]
    if not spec.get("metrics") and spec.get("targetCPUUtilizationPercentage"):
        names.append("cpu")  # autoscaling/v1
    return names


def _without_requests(ctx: Context, hpa: Obj, resources: list[str]) -> list[str]:
    """`container api has no cpu request` lines for the scale target's pod template."""
    ref: dict[str, Any] = (hpa.get("spec") or {}).get("scaleTargetRef") or {}
    key = _KIND_KEYS.get(str(ref.get("kind")))
    target = ctx.index.get(key, ns_of(hpa), str(ref.get("name"))) if key else None
    if target is None:
        return []
    template = ((target.get("spec") or {}).get("template") or {}).get("spec") or {}
    missing = []
    for container in template.get("containers") or []:
        requests = (container.get("resources") or {}).get("requests") or {}
        missing += [
            f"container {container.get('name')} has no {r} request" for r in resources if r not in requests
        ]
    return missing


def analyze_autoscalers(ctx: Context) -> None:
    """hpa.metrics_unavailable findings from ScalingActive=False, metric events and missing requests."""
    for hpa in ctx.index.snapshot.items("horizontalpodautoscalers"):
        conditions = {c.get("type"): c for c in (hpa.get("status") or {}).get("conditions") or []}
        active = conditions.get("ScalingActive") or {}
        failing_condition = active.get("status") == "False" and active.get("reason") in _METRIC_REASONS
        groups = [
            g for g in ctx.index.events_of("horizontalpodautoscalers", hpa) if g.reason in _METRIC_REASONS
        ]
        if not failing_condition and not groups:
            continue
        source = status_source("horizontalpodautoscalers", hpa)
        quotes: list[tuple[str, str]] = []
        if failing_condition:
            quotes.append(
                (
                    source,
                    f"condition ScalingActive=False reason={active.get('reason')}: "
                    f"{active.get('message', '')}",
                )
            )
        quotes += event_quotes("horizontalpodautoscalers", hpa, groups, limit=2)
        missing = _without_requests(ctx, hpa, _resource_metrics(hpa))
        target = (hpa.get("spec") or {}).get("scaleTargetRef") or {}
        quotes += [(f"{target.get('kind')}/{ns_of(hpa)}/{target.get('name')} spec", line) for line in missing]
        text = " ".join([str(active.get("message") or ""), *(g.message for g in groups)]).lower()
        no_server = "metrics.k8s.io" in text or "metrics api" in text
        why = (
            "its target's containers have no resource requests"
            if missing or "missing request" in text
            else "the metrics API is not available"
            if no_server
            else "it cannot read its metrics"
        )
        ctx.add(
            make(
                id="cluster-hpa-metrics",
                category="hpa.metrics_unavailable",
                kind="horizontalpodautoscalers",
                obj=hpa,
                title=f"HorizontalPodAutoscaler {ns_of(hpa)}/{name_of(hpa)} cannot scale: {why}",
                severity=Severity.MEDIUM,
                quotes=quotes,
                groups=groups,
                explanation=(
                    f"The autoscaler does not act because {why}; the workload stays at its current replicas."
                ),
                fix=(
                    "Set resources.requests for every metric the HPA uses on all containers of the target"
                    if missing or "missing request" in text
                    else "Install or repair metrics-server (`kubectl get apiservice v1beta1.metrics.k8s.io`, "
                    "`kubectl top pods`)"
                )
                + f"; then `kubectl describe hpa {name_of(hpa)} -n {ns_of(hpa)}`.",
                confidence=0.9,
            )
        )
