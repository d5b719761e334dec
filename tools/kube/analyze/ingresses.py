"""Ingresses whose backend Service is missing or has no endpoints, or whose TLS Secret is missing."""

from __future__ import annotations

from typing import Any

from tools.findings import Finding, Severity
from tools.kube.analyze.common import Context, make, status_source
from tools.kube.analyze.index import Obj, meta, name_of, ns_of


def _backends(ingress: Obj) -> dict[str, Any]:
    """Backend Service name -> its port (number or name), in the order they appear."""
    spec = ingress.get("spec") or {}
    found: dict[str, Any] = {}
    candidates = [spec.get("defaultBackend") or spec.get("backend") or {}]
    for rule in spec.get("rules") or []:
        candidates += [path.get("backend") or {} for path in (rule.get("http") or {}).get("paths") or []]
    for backend in candidates:
        service = backend.get("service") or {}
        name = service.get("name") or backend.get("serviceName")
        if name:
            port = service.get("port") or {}
            found.setdefault(str(name), port.get("number") or port.get("name") or backend.get("servicePort"))
    return found


def _port_known(service: Obj, port: Any) -> bool:
    ports = (service.get("spec") or {}).get("ports") or []
    return port is None or any(port in (p.get("port"), p.get("name")) for p in ports)


def analyze_ingresses(ctx: Context) -> None:
    """ingress.backend_error and tls.certificate_invalid findings."""
    services_known = ctx.index.snapshot.readable("services")
    for ingress in ctx.index.snapshot.items("ingresses"):
        namespace, name = ns_of(ingress), name_of(ingress)
        source = status_source("ingresses", ingress).replace(" status", " spec")
        for backend, port in _backends(ingress).items():
            causes: list[Finding] = []
            service = ctx.index.get("services", namespace, backend)
            quote = (source, f"backend service {backend} port {port}")
            if service is None and services_known:
                why, causes = f"its backend Service {backend} does not exist", []
            elif service is not None and not _port_known(service, port):
                why, causes = f"Service {backend} has no port {port}", []
            elif service is not None:
                causes = [f for f in ctx.on("services", service) if f.category == "service.no_endpoints"]
                if not causes:
                    continue
                why = f"its backend Service {backend} has no endpoints"
            else:
                continue
            finding = ctx.add(
                make(
                    id="cluster-ingress-backend",
                    category="ingress.backend_error",
                    kind="ingresses",
                    obj=ingress,
                    title=f"Ingress {namespace}/{name}: {why}",
                    severity=Severity.HIGH,
                    quotes=[quote],
                    explanation=f"Requests routed to {backend} fail (the controller answers 503): {why}.",
                    fix="Point the backend at an existing Service and port "
                    f"(`kubectl get svc -n {namespace}`), or create the Service; "
                    "if it exists, make its pods ready.",
                    confidence=0.9,
                )
            )
            ctx.link(finding, ctx.root_causes(causes) or causes)
        _tls(ctx, ingress)


def _tls(ctx: Context, ingress: Obj) -> None:
    if not ctx.index.snapshot.readable("secrets"):
        return  # cannot tell a missing Secret from one we may not see
    namespace, name = ns_of(ingress), name_of(ingress)
    managed = any("cert-manager.io" in key for key in meta(ingress).get("annotations") or {})
    for tls in (ingress.get("spec") or {}).get("tls") or []:
        secret = tls.get("secretName")
        if not secret or ctx.index.get("secrets", namespace, secret) is not None:
            continue
        hosts = ", ".join(tls.get("hosts") or []) or "(default)"
        ctx.add(
            make(
                id="cluster-ingress-tls-secret",
                category="tls.certificate_invalid",
                kind="ingresses",
                obj=ingress,
                title=f"Ingress {namespace}/{name}: TLS Secret {secret} does not exist",
                severity=Severity.HIGH,
                quotes=[
                    (
                        status_source("ingresses", ingress).replace(" status", " spec"),
                        f"tls secretName {secret} for hosts {hosts}",
                    ),
                    (f"secrets in {namespace}", f"no Secret named {secret} exists in namespace {namespace}"),
                ],
                explanation=(
                    f"The controller cannot load a certificate for {hosts} and serves its default "
                    "(self-signed) one, so clients fail TLS verification."
                    + (
                        " cert-manager should create this Secret: its Certificate is not issued."
                        if managed
                        else ""
                    )
                ),
                fix=(
                    f"`kubectl describe certificate -n {namespace}` to see why issuance fails"
                    if managed
                    else f"Create it: `kubectl create secret tls {secret} -n {namespace} --cert=F --key=F`"
                )
                + ", or fix secretName.",
                confidence=0.9,
            )
        )
