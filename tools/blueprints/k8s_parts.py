"""Building blocks the Kubernetes blueprints share: hardened pods, probes, Service, PDB, HPA, policies.

Each function returns a plain dict for one object or part of one; `dump` joins objects
into one multi-document YAML text. Defaults are the hardened ones every blueprint
starts from: non-root, read-only root filesystem, no privilege escalation, all
capabilities dropped, the runtime's seccomp profile, no service-account token.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import yaml

NAME_LABEL = "app.kubernetes.io/name"


def name_from_image(image: str) -> str:
    """A DNS-1123 name from an image reference: `ghcr.io/acme/web-api:1.2` gives `web-api`."""
    last = image.rsplit("/", 1)[-1].split("@", 1)[0].split(":", 1)[0]
    cleaned = re.sub(r"[^a-z0-9-]+", "-", last.lower()).strip("-")
    return (cleaned or "app")[:63]


def labels_for(name: str) -> dict[str, str]:
    """The selector labels of an app."""
    return {NAME_LABEL: name}


def metadata(name: str, namespace: str, labels: dict[str, str] | None = None) -> dict[str, Any]:
    """Object metadata with the app's labels."""
    return {"name": name, "namespace": namespace, "labels": dict(labels or labels_for(name))}


def container_security(run_as_user: int | None = None) -> dict[str, Any]:
    """A container securityContext: non-root, read-only root, no escalation, no capabilities."""
    context: dict[str, Any] = {
        "allowPrivilegeEscalation": False,
        "readOnlyRootFilesystem": True,
        "runAsNonRoot": True,
        "capabilities": {"drop": ["ALL"]},
    }
    if run_as_user is not None:
        context["runAsUser"] = run_as_user
    return context


def pod_security(run_as_user: int = 10001, fs_group: int | None = None) -> dict[str, Any]:
    """A pod securityContext: a fixed non-root user and the runtime's seccomp profile."""
    context: dict[str, Any] = {
        "runAsNonRoot": True,
        "runAsUser": run_as_user,
        "seccompProfile": {"type": "RuntimeDefault"},
    }
    if fs_group is not None:
        context["fsGroup"] = fs_group
    return context


def resources(
    cpu_request: str, memory_request: str, memory_limit: str, cpu_limit: str = "1"
) -> dict[str, Any]:
    """Requests and limits."""
    return {
        "requests": {"cpu": cpu_request, "memory": memory_request},
        "limits": {"cpu": cpu_limit, "memory": memory_limit},
    }


def http_or_tcp_probe(port: str | int, path: str = "") -> dict[str, Any]:
    """An HTTP GET on `path` when given, else a TCP check, against `port` (a number or a port name)."""
    if path:
        return {"httpGet": {"path": path, "port": port}}
    return {"tcpSocket": {"port": port}}


def spread_over_nodes(labels: dict[str, str]) -> dict[str, Any]:
    """A pod affinity that prefers replicas on different nodes."""
    return {
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
    }


def service(
    meta: dict[str, Any], labels: dict[str, str], port: int, target: str | int = "http"
) -> dict[str, Any]:
    """A ClusterIP Service for the app's `http` port (port 80 outside unless the app listens on 80)."""
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": dict(meta),
        "spec": {"selector": dict(labels), "ports": [{"name": "http", "port": port, "targetPort": target}]},
    }


def disruption_budget(meta: dict[str, Any], labels: dict[str, str]) -> dict[str, Any]:
    """A PodDisruptionBudget that lets one replica go at a time."""
    return {
        "apiVersion": "policy/v1",
        "kind": "PodDisruptionBudget",
        "metadata": dict(meta),
        "spec": {"maxUnavailable": 1, "selector": {"matchLabels": dict(labels)}},
    }


def ingress_policy(meta: dict[str, Any], labels: dict[str, str], ports: Sequence[int]) -> dict[str, Any]:
    """A NetworkPolicy that admits traffic only to `ports` (none: no ingress at all)."""
    rules = [{"ports": [{"protocol": "TCP", "port": port} for port in ports]}] if ports else []
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": dict(meta),
        "spec": {"podSelector": {"matchLabels": dict(labels)}, "policyTypes": ["Ingress"], "ingress": rules},
    }


def cpu_autoscaler(
    meta: dict[str, Any], target_kind: str, name: str, minimum: int, maximum: int, utilization: int = 70
) -> dict[str, Any]:
    """An autoscaling/v2 HorizontalPodAutoscaler on CPU utilisation."""
    return {
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": dict(meta),
        "spec": {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": target_kind, "name": name},
            "minReplicas": minimum,
            "maxReplicas": maximum,
            "metrics": [
                {
                    "type": "Resource",
                    "resource": {
                        "name": "cpu",
                        "target": {"type": "Utilization", "averageUtilization": utilization},
                    },
                }
            ],
        },
    }


def tls_ingress(meta: dict[str, Any], name: str, host: str, port_name: str = "http") -> dict[str, Any]:
    """An Ingress for `host` with TLS from the Secret `<name>-tls`, to the Service `name`."""
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": dict(meta),
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
                                "backend": {"service": {"name": name, "port": {"name": port_name}}},
                            }
                        ]
                    },
                }
            ],
        },
    }


class _PlainDumper(yaml.SafeDumper):
    """A safe dumper that writes a part used twice in full, never as an anchor and alias."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def dump(objects: Sequence[dict[str, Any]]) -> str:
    """Objects as one multi-document YAML text, keys in the order given, no anchors."""
    return "---\n".join(
        yaml.dump(o, Dumper=_PlainDumper, sort_keys=False, default_flow_style=False) for o in objects
    )
