"""Cloud Run (v2) service: one container image, autoscaled, private by default, its own identity.

Renders a fixed Terraform module (`tools/blueprints/terraform/gcp/tf-gcp-cloud-run/`) plus
a `terraform.tfvars`. Callers must be authenticated unless `public` is asked for (then
`allUsers` gets `roles/run.invoker`); the ingress setting can further limit requests to
the VPC or an internal load balancer. The service runs as a dedicated service account
with no roles (not the Compute default account, which is an editor of the project);
secrets come from Secret Manager as environment variables, with the accessor role on
each secret only. It scales to zero by default, with CPU throttled between requests and
a startup CPU boost; deletion protection is on.
"""

from __future__ import annotations

import re
from typing import Any

from tools.blueprints.model import Blueprint, GeneratedFile, Parameter
from tools.blueprints.tf_gcp_azure_parts import (
    bound,
    first,
    gcp_parameters,
    gcp_values,
    project_from,
    says_public,
)
from tools.blueprints.tf_templates import template_blueprint_files, template_folder

FOLDER = template_folder("gcp", "tf-gcp-cloud-run")
INGRESS = {
    "all": "INGRESS_TRAFFIC_ALL",
    "internal": "INGRESS_TRAFFIC_INTERNAL_ONLY",
    "internal-and-load-balancer": "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER",
}

PARAMETERS = (
    *gcp_parameters("api", "service name (its service account is <name>-run)"),
    Parameter(
        "image",
        "str",
        "container image, pinned, e.g. europe-docker.pkg.dev/acme/apps/api:1.4.2",
        required=True,
    ),
    Parameter("port", "int", "port the container listens on", default=8080, minimum=1),
    Parameter(
        "ingress",
        "str",
        "where requests may come from (internal: VPC only; internal-and-load-balancer: also an external LB)",
        default="all",
        choices=tuple(INGRESS),
    ),
    Parameter("min_instances", "int", "instances kept warm (0: scale to zero)", default=0, minimum=0),
    Parameter("max_instances", "int", "upper bound of autoscaling", default=10, minimum=1),
    Parameter("cpu", "str", "CPU limit per instance (1, 2, 4 or 1000m)", default="1"),
    Parameter("memory", "str", "memory limit per instance (512Mi, 2Gi)", default="512Mi"),
    Parameter("concurrency", "int", "maximum concurrent requests per instance", default=80, minimum=1),
    Parameter("public", "bool", "allow unauthenticated invocations (allUsers)", default=False),
)


def render(values: dict[str, Any]) -> list[GeneratedFile]:
    """The module's fixed files and its terraform.tfvars."""
    return template_blueprint_files(
        FOLDER,
        {
            **gcp_values(values),
            "image": values["image"],
            "port": values["port"],
            "ingress": INGRESS[values["ingress"]],
            "min_instances": values["min_instances"],
            "max_instances": max(values["max_instances"], values["min_instances"], 1),
            "cpu": values["cpu"],
            "memory": values["memory"],
            "concurrency": values["concurrency"],
            "public": values["public"],
        },
    )


_INSTANCES = r"instances?|replicas?|containers?|copies"


def extract(text: str) -> dict[str, Any]:
    """Project, ingress, instance bounds, CPU, memory and public access from the words."""
    found: dict[str, Any] = {"project": project_from(text), "public": says_public(text)}
    if re.search(r"\binternal(?:[\s-]only)?\b", text, re.IGNORECASE):
        found["ingress"] = (
            "internal-and-load-balancer"
            if re.search(r"\bload[\s-]?balanc", text, re.IGNORECASE)
            else "internal"
        )
    if re.search(r"\bscale\s+to\s+zero\b", text, re.IGNORECASE):
        found["min_instances"] = 0
    low, high = bound(text, "min", _INSTANCES), bound(text, "max", _INSTANCES)
    if low is not None:
        found["min_instances"] = low
    if high is not None:
        found["max_instances"] = high
    warm = first(rf"\b(\d+)\s+(?:warm|always[\s-]on)\s+(?:{_INSTANCES})\b", text)
    if warm:
        found["min_instances"] = int(warm)
    cpu = first(r"\b(\d+(?:\.\d+)?|\d+m)\s*v?cpus?\b|\bcpu\s*(?:=|:|of)?\s*(\d+(?:\.\d+)?|\d+m)\b", text)
    if cpu:
        found["cpu"] = cpu
    memory = first(r"\b(\d+(?:Mi|Gi))\b|\b(\d+)\s*(?:gb|gib)\s+(?:of\s+)?(?:memory|ram)\b", text)
    if memory:
        found["memory"] = memory if memory.endswith(("Mi", "Gi")) else f"{memory}Gi"
    concurrency = first(r"\bconcurrency\s*(?:of|=|:)?\s*(\d+)\b|\b(\d+)\s+concurrent\s+requests\b", text)
    if concurrency:
        found["concurrency"] = int(concurrency)
    return found


CLOUD_RUN = Blueprint(
    name="tf-gcp-cloud-run",
    target="terraform",
    title="Cloud Run v2 service: private by default, dedicated service account, autoscaling",
    parameters=PARAMETERS,
    render=render,
    keywords=(
        r"\bcloud[\s-]?run\b",
        r"\b(?:gcp|google(?:\s+cloud)?)\b",
        r"\b(?:serverless\s+)?containers?\b.*\b(?:gcp|google)\b|\b(?:gcp|google)\b.*\bcontainers?\b",
    ),
    extract=extract,
    examples=(
        {
            "project": "acme-prod",
            "name": "orders-api",
            "image": "europe-docker.pkg.dev/acme-prod/apps/orders-api:2.3.1",
            "min_instances": 1,
            "max_instances": 20,
            "cpu": "2",
            "memory": "1Gi",
        },
        {"project": "acme-dev", "image": "us-docker.pkg.dev/cloudrun/container/hello:latest", "public": True},
        {
            "project": "acme-prod",
            "name": "billing",
            "image": "europe-docker.pkg.dev/acme-prod/apps/billing:1.0.0",
            "ingress": "internal",
            "port": 9000,
        },
    ),
    example_ask="cloud run service for europe-docker.pkg.dev/acme/apps/api:1.4.2, project acme-prod",
)

BLUEPRINTS = (CLOUD_RUN,)
