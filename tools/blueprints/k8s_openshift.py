"""OpenShift web service: a Deployment or DeploymentConfig, Service, Route with edge TLS, NetworkPolicy, PDB.

The Route (route.openshift.io/v1) ends TLS at the router (edge termination, the router's
certificate unless one is added) and redirects plain HTTP to HTTPS; without `host` the
router generates `<name>-<namespace>.<apps domain>`. The NetworkPolicy admits traffic on
the service port only from the router (namespaces labelled
`policy-group.network.openshift.io/ingress`) and from pods of the same namespace.

OpenShift's restricted security context constraint runs every pod with a UID picked from
the namespace's range, so the pod sets `runAsNonRoot: true` and no `runAsUser` (a fixed
UID outside the range is refused); the image must run as an arbitrary non-root UID in
the root group (files group-writable by GID 0). Otherwise hardened as the web-service
blueprint: read-only root filesystem with a writable /tmp, no privilege escalation, all
capabilities dropped, the runtime's seccomp profile, no service-account token, requests
and limits, probes, replicas spread over nodes.

`workload: deploymentconfig` renders an apps.openshift.io/v1 DeploymentConfig (rolled out
again on every change of its template, Rolling strategy) for clusters that still use
them; OpenShift deprecated DeploymentConfig in 4.14, so Deployment is the default.
Route and DeploymentConfig are checked against the bundled CRD schemas
(`crds/openshift-route.yaml`, `crds/openshift-deploymentconfig.yaml`); shipmate's pod
policies read a DeploymentConfig's pod template at spec.template like a Deployment's.
"""

from __future__ import annotations

import re
from typing import Any

from tools.blueprints.k8s_parts import (
    container_security,
    cpu_autoscaler,
    disruption_budget,
    dump,
    http_or_tcp_probe,
    labels_for,
    metadata,
    name_from_image,
    resources,
    service,
    spread_over_nodes,
)
from tools.blueprints.model import Blueprint, GeneratedFile, Parameter

WORKLOADS = ("deployment", "deploymentconfig")
ROUTER_NAMESPACES = {"policy-group.network.openshift.io/ingress": ""}

PARAMETERS = (
    Parameter(
        "image",
        "str",
        "container image with a pinned tag that runs as an arbitrary non-root UID, e.g. "
        "quay.io/acme/web:1.4.2",
        required=True,
    ),
    Parameter("name", "str", "name of the service and its objects (default: from the image)"),
    Parameter("namespace", "str", "project (namespace) to deploy into", default="apps"),
    Parameter(
        "workload",
        "str",
        "Deployment, or the deprecated OpenShift DeploymentConfig",
        default="deployment",
        choices=WORKLOADS,
    ),
    Parameter(
        "port", "int", "port the container listens on (not below 1024: no root)", default=8080, minimum=1024
    ),
    Parameter("replicas", "int", "replicas (the minimum when autoscaling)", default=2, minimum=1),
    Parameter(
        "autoscale_max", "int", "autoscale on CPU up to this many replicas (0: no autoscaling)", default=0
    ),
    Parameter("host", "str", "public host name of the Route (empty: the router generates one)", default=""),
    Parameter("health_path", "str", "HTTP path for the probes (empty: a TCP check on the port)", default=""),
    Parameter("cpu_request", "str", "CPU request per replica", default="100m"),
    Parameter("memory_request", "str", "memory request per replica", default="128Mi"),
    Parameter("memory_limit", "str", "memory limit per replica", default="256Mi"),
)


def render(values: dict[str, Any]) -> list[GeneratedFile]:
    """The manifests, one file with one document per object."""
    name = values["name"] or name_from_image(values["image"])
    labels = labels_for(name)
    meta = metadata(name, values["namespace"], labels)
    replicas = values["replicas"]
    autoscale = values["autoscale_max"] > replicas
    port = values["port"]
    probe = http_or_tcp_probe("http", values["health_path"])
    container = {
        "name": name,
        "image": values["image"],
        "imagePullPolicy": "Always",
        "ports": [{"name": "http", "containerPort": port}],
        "resources": resources(values["cpu_request"], values["memory_request"], values["memory_limit"]),
        "readinessProbe": {**probe, "periodSeconds": 10},
        "livenessProbe": {**probe, "initialDelaySeconds": 10, "periodSeconds": 20},
        "securityContext": container_security(),
        "volumeMounts": [{"name": "tmp", "mountPath": "/tmp"}],
    }
    template = {
        "metadata": {"labels": dict(labels)},
        "spec": {
            "automountServiceAccountToken": False,
            # no runAsUser: the restricted SCC assigns one from the namespace's range
            "securityContext": {"runAsNonRoot": True, "seccompProfile": {"type": "RuntimeDefault"}},
            "affinity": spread_over_nodes(labels),
            "containers": [container],
            "volumes": [{"name": "tmp", "emptyDir": {}}],
        },
    }
    scale = {} if autoscale else {"replicas": replicas}
    workload: dict[str, Any]
    if values["workload"] == "deploymentconfig":
        workload = {
            "apiVersion": "apps.openshift.io/v1",
            "kind": "DeploymentConfig",
            "metadata": meta,
            "spec": {
                **scale,
                "selector": dict(labels),
                "strategy": {
                    "type": "Rolling",
                    "rollingParams": {"maxUnavailable": 0, "maxSurge": 1, "timeoutSeconds": 600},
                },
                "triggers": [{"type": "ConfigChange"}],
                "revisionHistoryLimit": 5,
                "template": template,
            },
        }
    else:
        workload = {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": meta,
            "spec": {
                **scale,
                "selector": {"matchLabels": dict(labels)},
                "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 0, "maxSurge": 1}},
                "template": template,
            },
        }
    objects: list[dict[str, Any]] = [
        workload,
        service(meta, labels, port),
        _route(meta, name, values["host"]),
    ]
    if replicas > 1 or autoscale:
        objects.append(disruption_budget(meta, labels))
    objects.append(_router_policy(meta, labels, port))
    if autoscale:
        autoscaler = cpu_autoscaler(meta, workload["kind"], name, replicas, values["autoscale_max"])
        autoscaler["spec"]["scaleTargetRef"]["apiVersion"] = workload["apiVersion"]
        objects.append(autoscaler)
    return [GeneratedFile(f"{name}.yaml", dump(objects))]


def _route(meta: dict[str, Any], name: str, host: str) -> dict[str, Any]:
    spec: dict[str, Any] = {}
    if host:
        spec["host"] = host
    spec.update(
        {
            "to": {"kind": "Service", "name": name, "weight": 100},
            "port": {"targetPort": "http"},
            "tls": {"termination": "edge", "insecureEdgeTerminationPolicy": "Redirect"},
            "wildcardPolicy": "None",
        }
    )
    return {"apiVersion": "route.openshift.io/v1", "kind": "Route", "metadata": dict(meta), "spec": spec}


def _router_policy(meta: dict[str, Any], labels: dict[str, str], port: int) -> dict[str, Any]:
    """Traffic on `port` from the OpenShift router and from the same namespace; nothing else."""
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": dict(meta),
        "spec": {
            "podSelector": {"matchLabels": dict(labels)},
            "policyTypes": ["Ingress"],
            "ingress": [
                {
                    "from": [
                        {"namespaceSelector": {"matchLabels": dict(ROUTER_NAMESPACES)}},
                        {"podSelector": {}},
                    ],
                    "ports": [{"protocol": "TCP", "port": port}],
                }
            ],
        },
    }


def extract(text: str) -> dict[str, Any]:
    """The workload kind from the ask's words."""
    if re.search(r"\bdeployment\s*configs?\b|\bdc\b", text, re.IGNORECASE):
        return {"workload": "deploymentconfig"}
    return {}


OPENSHIFT = Blueprint(
    name="k8s-openshift",
    target="kubernetes",
    title="OpenShift service: Deployment or DeploymentConfig, Service, Route with edge TLS, "
    "NetworkPolicy, PDB",
    parameters=PARAMETERS,
    render=render,
    keywords=(r"\bopenshift\b", r"\bocp\b", r"\broutes?\b", r"\bdeployment\s*configs?\b"),
    extract=extract,
    examples=(
        {
            "image": "quay.io/acme/shop:2.3.0",
            "replicas": 3,
            "autoscale_max": 6,
            "host": "shop.apps.example.com",
            "health_path": "/healthz",
        },
        {
            "image": "quay.io/acme/legacy:1.0.4",
            "workload": "deploymentconfig",
            "replicas": 2,
            "port": 8443,
            "namespace": "legacy",
        },
        {
            "image": "quay.io/acme/tool:0.9.1",
            "workload": "deploymentconfig",
            "replicas": 1,
            "autoscale_max": 3,
        },
    ),
    example_ask="deploy quay.io/acme/shop:2.3.0 on openshift with 3 replicas, route at shop.apps.example.com",
)

BLUEPRINTS = (OPENSHIFT,)
