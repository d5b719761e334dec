"""Services whose selector matches no pod, or whose pods are none of them ready."""

from __future__ import annotations

from tools.findings import Finding, Severity
from tools.kube.analyze.common import Context, make, status_source
from tools.kube.analyze.index import Obj, meta, name_of, ns_of

_DONE = ("Succeeded", "Failed")


def _ready(pod: Obj) -> bool:
    for condition in (pod.get("status") or {}).get("conditions") or []:
        if condition.get("type") == "Ready":
            return bool(condition.get("status") == "True")
    return False


def _ready_addresses(endpoints: Obj) -> int:
    return sum(len(subset.get("addresses") or []) for subset in endpoints.get("subsets") or [])


def _near_misses(ctx: Context, namespace: str, selector: dict[str, str]) -> list[str]:
    """Labels that pods in the namespace carry under the selector's keys, with other values."""
    seen: dict[str, str] = {}
    for pod in ctx.index.pods_by_ns.get(namespace, []):
        labels = meta(pod).get("labels") or {}
        for key, value in selector.items():
            if key in labels and str(labels[key]) != str(value):
                seen.setdefault(f"{key}={labels[key]}", name_of(pod))
        if len(seen) >= 5:
            break
    return [f"pod {pod} carries {label}" for label, pod in seen.items()]


def analyze_services(ctx: Context) -> None:
    """service.no_endpoints findings: as causes (selector matches nothing) or symptoms of pod findings."""
    for service in ctx.index.snapshot.items("services"):
        spec = service.get("spec") or {}
        selector = {str(k): str(v) for k, v in (spec.get("selector") or {}).items()}
        if not selector or spec.get("type") == "ExternalName":
            continue  # endpoints managed by hand, or a DNS alias
        namespace, name = ns_of(service), name_of(service)
        pods = [
            p
            for p in ctx.index.pods_matching(namespace, selector)
            if p.get("status", {}).get("phase") not in _DONE
        ]
        endpoints = ctx.index.get("endpoints", namespace, name)
        shown = ",".join(f"{k}={v}" for k, v in sorted(selector.items()))
        source = status_source("services", service)
        quotes = [(source, f"spec.selector: {shown}")]
        if endpoints is not None:
            quotes.append(
                (f"Endpoints/{namespace}/{name}", f"ready addresses: {_ready_addresses(endpoints)}")
            )
        if not pods:
            quotes += [(f"pods in {namespace}", miss) for miss in _near_misses(ctx, namespace, selector)]
            ctx.add(
                _finding(
                    service,
                    quotes,
                    f"its selector {shown} matches no pod",
                    0.9,
                    "No running pod carries all the selector's labels, so the Service has no "
                    "endpoints and every connection to it fails.",
                )
            )
            continue
        ready = _ready_addresses(endpoints) if endpoints is not None else sum(_ready(p) for p in pods)
        if ready:
            continue
        behind: list[Finding] = [f for pod in pods for f in ctx.on("pods", pod)]
        for pod in pods:
            node = (pod.get("spec") or {}).get("nodeName")
            behind += [f for f in ctx.by_resource.get(f"Node/{node}", []) if f.category == "node.not_ready"]
        causes = ctx.root_causes(behind)
        finding = ctx.add(
            _finding(
                service,
                quotes,
                f"none of its {len(pods)} pod(s) is ready",
                0.9 if causes else 0.7,
                f"The selector matches {len(pods)} pod(s) but none is ready, so the "
                "Service has no endpoints.",
            )
        )
        ctx.link(finding, causes)


def _finding(
    service: Obj, quotes: list[tuple[str, str]], why: str, confidence: float, explanation: str
) -> Finding:
    namespace, name = ns_of(service), name_of(service)
    return make(
        id="cluster-service-no-endpoints",
        category="service.no_endpoints",
        kind="services",
        obj=service,
        title=f"Service {namespace}/{name} has no endpoints: {why}",
        severity=Severity.HIGH,
        quotes=quotes,
        explanation=explanation,
        fix=(
            f"Compare `kubectl get svc {name} -n {namespace} -o jsonpath='{{.spec.selector}}'` with "
            f"`kubectl get pods -n {namespace} --show-labels`; fix the selector or the pod template labels, "
            "or fix why the pods are not ready."
        ),
        confidence=confidence,
    )
