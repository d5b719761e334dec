"""Kubernetes web service: Deployment, Service, PodDisruptionBudget, NetworkPolicy, HPA and Ingress.

Hardened by default: non-root with a read-only root filesystem (an emptyDir for /tmp),
no privilege escalation, all capabilities dropped, the runtime's seccomp profile, no
service-account token, requests and limits, readiness and liveness probes on the
service port, replicas spread over nodes, a budget that keeps one replica up during
drains. The image must be able to run as a non-root user (for nginx, the
`nginxinc/nginx-unprivileged` image listening on 8080).
"""

from __future__ import annotations

from typing import Any

from tools.blueprints.k8s_parts import (
    container_security,
    cpu_autoscaler,
    disruption_budget,
    dump,
    http_or_tcp_probe,
    ingress_policy,
    labels_for,
    metadata,
    name_from_image,
    pod_security,
    resources,
    service,
    spread_over_nodes,
    tls_ingress,
)
from tools.blueprints.model import Blueprint, GeneratedFile, Parameter

PARAMETERS = (
    Parameter(
        "image", "str", "container image with a pinned tag, e.g. ghcr.io/acme/web:1.4.2", required=True
    ),
    Parameter("name", "str", "name of the service and its objects (default: from the image)"),
    Parameter("namespace", "str", "namespace to deploy into", default="apps"),
    Parameter(
        "port", "int", "port the container listens on and the Service exposes", default=8080, minimum=1
    ),
    Parameter("replicas", "int", "replicas (the minimum when autoscaling)", default=2, minimum=1),
    Parameter(
        "autoscale_max", "int", "autoscale on CPU up to this many replicas (0: no autoscaling)", default=0
    ),
    Parameter("cpu_request", "str", "CPU request per replica", default="100m"),
    Parameter("memory_request", "str", "memory request per replica", default="128Mi"),
    Parameter("memory_limit", "str", "memory limit per replica", default="256Mi"),
    Parameter("host", "str", "public host name: adds an Ingress with TLS (empty: no Ingress)", default=""),
    Parameter("health_path", "str", "HTTP path for the probes (empty: a TCP check on the port)", default=""),
)


def render(values: dict[str, Any]) -> list[GeneratedFile]:
    """The manifests, one file with one document per object."""
    name = values["name"] or name_from_image(values["image"])
    labels = labels_for(name)
    meta = metadata(name, values["namespace"], labels)
    replicas = values["replicas"]
    autoscale = values["autoscale_max"] > replicas
    probe = http_or_tcp_probe("http", values["health_path"])
    container = {
        "name": name,
        "image": values["image"],
        "imagePullPolicy": "Always",
        "ports": [{"name": "http", "containerPort": values["port"]}],
        "resources": resources(values["cpu_request"], values["memory_request"], values["memory_limit"]),
        "readinessProbe": {**probe, "periodSeconds": 10},
        "livenessProbe": {**probe, "initialDelaySeconds": 10, "periodSeconds": 20},
        "securityContext": container_security(),
        "volumeMounts": [{"name": "tmp", "mountPath": "/tmp"}],
    }
    deployment = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": meta,
        "spec": {
            **({} if autoscale else {"replicas": replicas}),
            "selector": {"matchLabels": dict(labels)},
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 0, "maxSurge": 1}},
            "template": {
                "metadata": {"labels": dict(labels)},
                "spec": {
                    "automountServiceAccountToken": False,
                    "securityContext": pod_security(),
                    "affinity": spread_over_nodes(labels),
                    "containers": [container],
                    "volumes": [{"name": "tmp", "emptyDir": {}}],
                },
            },
        },
    }
    port = values["port"]
    objects: list[dict[str, Any]] = [deployment, service(meta, labels, 80 if port != 80 else port)]
    if replicas > 1 or autoscale:
        objects.append(disruption_budget(meta, labels))
    objects.append(ingress_policy(meta, labels, [port]))
    if autoscale:
        objects.append(cpu_autoscaler(meta, "Deployment", name, replicas, values["autoscale_max"]))
    if values["host"]:
        objects.append(tls_ingress(meta, name, values["host"]))
    return [GeneratedFile(f"{name}.yaml", dump(objects))]


WEB_SERVICE = Blueprint(
    name="k8s-web-service",
    target="kubernetes",
    title="Web service: Deployment, Service, PDB, NetworkPolicy, optional HPA and Ingress with TLS",
    parameters=PARAMETERS,
    render=render,
    keywords=(r"\bweb\s*(?:service|app|server|site)\b", r"\bnginx\b", r"\bfrontend\b", r"\bwebsite\b"),
    examples=(
        {
            "image": "ghcr.io/acme/api:1.4.2",
            "replicas": 3,
            "autoscale_max": 10,
            "port": 8000,
            "host": "api.example.com",
            "health_path": "/healthz",
        },
        {"image": "nginxinc/nginx-unprivileged:1.27", "replicas": 1},
    ),
    example_ask="deploy ghcr.io/acme/api:1.4.2 with 3 replicas on port 8000, autoscale to 10",
)

BLUEPRINTS = (WEB_SERVICE,)
