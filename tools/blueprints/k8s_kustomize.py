"""Kustomize base and dev/prod overlays for a web service, built from the web-service blueprint's objects.

Files:

- `base/kustomization.yaml` and `base/<name>.yaml`: the k8s-web-service blueprint's
  Deployment (2 replicas), Service, PodDisruptionBudget and NetworkPolicy, unchanged, so
  the base is exactly what that blueprint validates.
- `overlays/dev/kustomization.yaml`: namespace `<namespace>-dev`, one replica, smaller
  requests and limits (50m CPU, 64Mi/128Mi memory), an `environment: dev` label.
- `overlays/prod/kustomization.yaml`: namespace `<namespace>-prod`, an `environment: prod`
  label, and either `replicas` replicas, or with `autoscale_max` above that a CPU
  HorizontalPodAutoscaler from `replicas` to `autoscale_max` (`overlays/prod/hpa.yaml`)
  and the Deployment's own count removed, so an apply does not undo the autoscaler's
  scaling; with `host`, an Ingress with TLS (`overlays/prod/ingress.yaml`).

Every patch is written inline in its kustomization.yaml (`patches:` with `patch: |-`), so
each other YAML file is a complete object that validates on its own, and `kubectl
kustomize overlays/<env>` builds each environment. The pods are hardened as the web
service's are: non-root, read-only root filesystem, no privilege escalation, all
capabilities dropped, the runtime's seccomp profile, no service-account token, probes,
requests and limits, replicas spread over nodes.
"""

from __future__ import annotations

from typing import Any

import yaml

from tools.blueprints.k8s_parts import cpu_autoscaler, dump, labels_for, metadata, resources, tls_ingress
from tools.blueprints.k8s_web_service import WEB_SERVICE
from tools.blueprints.k8s_workload_parts import app_name, dns_name
from tools.blueprints.model import Blueprint, GeneratedFile, Parameter

BASE_REPLICAS = 2
DEV_RESOURCES = resources("50m", "64Mi", "128Mi", "500m")

PARAMETERS = (
    Parameter(
        "image", "str", "container image with a pinned tag, e.g. ghcr.io/acme/web:1.4.2", required=True
    ),
    Parameter("name", "str", "name of the service and its objects (default: from the image)"),
    Parameter(
        "namespace",
        "str",
        "namespace of the base; the overlays deploy to <namespace>-dev and <namespace>-prod "
        "(default: the name)",
        default="",
    ),
    Parameter(
        "port", "int", "port the container listens on and the Service exposes", default=8080, minimum=1
    ),
    Parameter("health_path", "str", "HTTP path for the probes (empty: a TCP check on the port)", default=""),
    Parameter("replicas", "int", "prod replicas (the minimum when autoscaling)", default=3, minimum=1),
    Parameter(
        "autoscale_max",
        "int",
        "prod autoscales on CPU up to this many replicas (0 or not above replicas: no autoscaling)",
        default=10,
    ),
    Parameter("cpu_request", "str", "CPU request per replica (base and prod)", default="100m"),
    Parameter("memory_request", "str", "memory request per replica (base and prod)", default="128Mi"),
    Parameter("memory_limit", "str", "memory limit per replica (base and prod)", default="256Mi"),
    Parameter(
        "host", "str", "public host name of prod: adds an Ingress with TLS there (empty: none)", default=""
    ),
)


def _json_patch(name: str, operations: list[dict[str, Any]]) -> dict[str, Any]:
    """An inline JSON 6902 patch of the Deployment `name`."""
    return {
        "target": {"group": "apps", "version": "v1", "kind": "Deployment", "name": name},
        "patch": yaml.safe_dump(operations, sort_keys=False, default_flow_style=False).rstrip("\n"),
    }


class _BlockDumper(yaml.SafeDumper):
    """Writes multi-line strings (the inline patches) as `|-` blocks."""


def _block_strings(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_BlockDumper.add_representer(str, _block_strings)


def _kustomization(body: dict[str, Any]) -> str:
    """A kustomization.yaml with `body`, inline patches written as blocks."""
    document = {"apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization", **body}
    return yaml.dump(document, Dumper=_BlockDumper, sort_keys=False, default_flow_style=False)


def render(values: dict[str, Any]) -> list[GeneratedFile]:
    """The base and the two overlays."""
    name = app_name(values)
    namespace = dns_name(values["namespace"] or name, "namespace")
    dns_name(f"{namespace}-prod", "namespace")
    web = {
        "image": values["image"],
        "name": name,
        "namespace": namespace,
        "port": values["port"],
        "replicas": BASE_REPLICAS,
        "health_path": values["health_path"],
        "cpu_request": values["cpu_request"],
        "memory_request": values["memory_request"],
        "memory_limit": values["memory_limit"],
    }
    (base_file,) = WEB_SERVICE.render(WEB_SERVICE.resolve(web))
    files = [
        GeneratedFile("base/kustomization.yaml", _kustomization({"resources": [f"{name}.yaml"]})),
        GeneratedFile(f"base/{name}.yaml", base_file.text),
    ]
    dev = {
        "namespace": f"{namespace}-dev",
        "resources": ["../../base"],
        "labels": [{"pairs": {"environment": "dev"}, "includeSelectors": False, "includeTemplates": True}],
        "replicas": [{"name": name, "count": 1}],
        "patches": [
            _json_patch(
                name,
                [
                    {
                        "op": "replace",
                        "path": "/spec/template/spec/containers/0/resources",
                        "value": DEV_RESOURCES,
                    }
                ],
            )
        ],
    }
    files.append(GeneratedFile("overlays/dev/kustomization.yaml", _kustomization(dev)))
    replicas, most = values["replicas"], values["autoscale_max"]
    prod_namespace = f"{namespace}-prod"
    prod: dict[str, Any] = {
        "namespace": prod_namespace,
        "resources": ["../../base"],
        "labels": [{"pairs": {"environment": "prod"}, "includeSelectors": False, "includeTemplates": True}],
    }
    prod_files: list[GeneratedFile] = []
    meta = metadata(name, prod_namespace, labels_for(name))
    if most > replicas:
        prod["resources"].append("hpa.yaml")
        prod["patches"] = [_json_patch(name, [{"op": "remove", "path": "/spec/replicas"}])]
        hpa = cpu_autoscaler(meta, "Deployment", name, replicas, most)
        prod_files.append(GeneratedFile("overlays/prod/hpa.yaml", dump([hpa])))
    else:
        prod["replicas"] = [{"name": name, "count": replicas}]
    if values["host"]:
        prod["resources"].append("ingress.yaml")
        prod_files.append(
            GeneratedFile("overlays/prod/ingress.yaml", dump([tls_ingress(meta, name, values["host"])]))
        )
    files.append(GeneratedFile("overlays/prod/kustomization.yaml", _kustomization(prod)))
    return files + prod_files


KUSTOMIZE = Blueprint(
    name="k8s-kustomize",
    target="kubernetes",
    title="Kustomize base and dev/prod overlays of a web service (prod with HPA and optional Ingress)",
    parameters=PARAMETERS,
    render=render,
    keywords=(
        r"\bkustomiz(?:e|ation)\b",
        r"\boverlays?\b",
        r"\b(?:dev(?:elopment)?|staging)\s+and\s+prod(?:uction)?\b|\bprod(?:uction)?\s+and\s+dev(?:elopment)?\b",
        r"\bper[\s-]+environment\b",
    ),
    examples=(
        {
            "image": "ghcr.io/acme/shop:3.2.0",
            "name": "shop",
            "port": 8000,
            "health_path": "/healthz",
            "replicas": 3,
            "autoscale_max": 12,
            "host": "shop.example.com",
        },
        {"image": "ghcr.io/acme/admin:1.0.4", "autoscale_max": 0, "replicas": 4, "namespace": "backoffice"},
    ),
    example_ask="kustomize base with dev and prod overlays for ghcr.io/acme/shop:3.2.0, prod autoscale to 12",
)

BLUEPRINTS = (KUSTOMIZE,)
