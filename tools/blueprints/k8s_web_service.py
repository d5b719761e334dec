"""Kubernetes web service: Deployment, Service, PodDisruptionBudget, NetworkPolicy, HPA and Ingress.

Hardened by default: non-root with a read-only root filesystem (an emptyDir for /tmp),
no privilege escalation, all capabilities dropped, the runtime's seccomp profile, no
service-account token, requests and limits, readiness and liveness probes on the
service port, replicas spread over nodes, a budget that keeps one replica up during
drains. The image must be able to run as a non-root user (for nginx, the
`nginxinc/nginx-unprivileged` image listening on 8080).
"""

from __future__ import annotations

import re
from typing import Any

import yaml

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


def name_from_image(image: str) -> str:
    """A DNS-1123 name from an image reference: `ghcr.io/acme/web-api:1.2` gives `web-api`."""
    last = image.rsplit("/", 1)[-1].split("@", 1)[0].split(":", 1)[0]
    cleaned = re.sub(r"[^a-z0-9-]+", "-", last.lower()).strip("-")
    return (cleaned or "app")[:63]


def _probe(values: dict[str, Any]) -> dict[str, Any]:
    if values["health_path"]:
        return {"httpGet": {"path": values["health_path"], "port": "http"}}
    return {"tcpSocket": {"port": "http"}}


def render(values: dict[str, Any]) -> list[GeneratedFile]:
    """The manifests, one file with one document per object."""
    name = values["name"] or name_from_image(values["image"])
    namespace = values["namespace"]
    labels = {"app.kubernetes.io/name": name}
    metadata = {"name": name, "namespace": namespace, "labels": dict(labels)}
    replicas = values["replicas"]
    autoscale = values["autoscale_max"] > replicas
    container = {
        "name": name,
        "image": values["image"],
        "imagePullPolicy": "Always",
        "ports": [{"name": "http", "containerPort": values["port"]}],
        "resources": {
            "requests": {"cpu": values["cpu_request"], "memory": values["memory_request"]},
            "limits": {"cpu": "1", "memory": values["memory_limit"]},
        },
        "readinessProbe": {**_probe(values), "periodSeconds": 10},
        "livenessProbe": {**_probe(values), "initialDelaySeconds": 10, "periodSeconds": 20},
        "securityContext": {
            "allowPrivilegeEscalation": False,
            "readOnlyRootFilesystem": True,
            "runAsNonRoot": True,
            "capabilities": {"drop": ["ALL"]},
        },
        "volumeMounts": [{"name": "tmp", "mountPath": "/tmp"}],
    }
    deployment = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": metadata,
        "spec": {
            **({} if autoscale else {"replicas": replicas}),
            "selector": {"matchLabels": dict(labels)},
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 0, "maxSurge": 1}},
            "template": {
                "metadata": {"labels": dict(labels)},
                "spec": {
                    "automountServiceAccountToken": False,
                    "securityContext": {
                        "runAsNonRoot": True,
                        "runAsUser": 10001,
                        "seccompProfile": {"type": "RuntimeDefault"},
                    },
                    "affinity": {
                        "podAntiAffinity": {
                            "preferredDuringSchedulingIgnoredDuringExecution": [
                                {
                                    "weight": 100,
                                    "podAffinityTerm": {
                                        "topologyKey": "kubernetes.io/hostname",
                                        "labelSelector": {"matchLabels": dict(labels)},
                                    },
                                }
                            ]
                        }
                    },
                    "containers": [container],
                    "volumes": [{"name": "tmp", "emptyDir": {}}],
                },
            },
        },
    }
    objects: list[dict[str, Any]] = [deployment, _service(metadata, labels, values["port"])]
    if replicas > 1 or autoscale:
        objects.append(_budget(metadata, labels))
    objects.append(_network_policy(metadata, labels, values["port"]))
    if autoscale:
        objects.append(_autoscaler(metadata, name, replicas, values["autoscale_max"]))
    if values["host"]:
        objects.append(_ingress(metadata, name, values["host"]))
    text = "---\n".join(yaml.safe_dump(o, sort_keys=False, default_flow_style=False) for o in objects)
    return [GeneratedFile(f"{name}.yaml", text)]


def _service(metadata: dict[str, Any], labels: dict[str, str], port: int) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": dict(metadata),
        "spec": {
            "selector": dict(labels),
            "ports": [{"name": "http", "port": 80 if port != 80 else port, "targetPort": "http"}],
        },
    }


def _budget(metadata: dict[str, Any], labels: dict[str, str]) -> dict[str, Any]:
    return {
        "apiVersion": "policy/v1",
        "kind": "PodDisruptionBudget",
        "metadata": dict(metadata),
        "spec": {"maxUnavailable": 1, "selector": {"matchLabels": dict(labels)}},
    }


def _network_policy(metadata: dict[str, Any], labels: dict[str, str], port: int) -> dict[str, Any]:
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": dict(metadata),
        "spec": {
            "podSelector": {"matchLabels": dict(labels)},
            "policyTypes": ["Ingress"],
            "ingress": [{"ports": [{"protocol": "TCP", "port": port}]}],
        },
    }


def _autoscaler(metadata: dict[str, Any], name: str, minimum: int, maximum: int) -> dict[str, Any]:
    return {
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": dict(metadata),
        "spec": {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": name},
            "minReplicas": minimum,
            "maxReplicas": maximum,
            "metrics": [
                {
                    "type": "Resource",
                    "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 70}},
                }
            ],
        },
    }


def _ingress(metadata: dict[str, Any], name: str, host: str) -> dict[str, Any]:
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": dict(metadata),
        "spec": {
            "tls": [{"hosts": [host], "secretName": f"{name}-tls"}],
            "rules": [
                {
                    "host": host,
                    "http": {
                        "paths": [
                            {
                                "path": "/",
                                "pathType": "Prefix",
                                "backend": {"service": {"name": name, "port": {"name": "http"}}},
                            }
                        ]
                    },
                }
            ],
        },
    }


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
