"""Cloud Functions (2nd gen) HTTP function: internal ingress by default, its own identities.

Renders a fixed Terraform module (`tools/blueprints/terraform/gcp/tf-gcp-cloud-function/`)
plus a `terraform.tfvars`. The function accepts requests from the VPC only unless another
ingress is asked for, and every caller needs `roles/run.invoker` (given to the `invokers`
listed, never to allUsers). It is built by a dedicated build service account (logs,
Artifact Registry, read access to the source bucket) and runs as a separate runtime
account with no roles; secrets come from Secret Manager. The source is an archive in an
existing bucket, or (no bucket given) a zip uploaded from the module's folder into a
private, versioned bucket created here.
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

FOLDER = template_folder("gcp", "tf-gcp-cloud-function")
RUNTIMES = (
    "python313",
    "python312",
    "python311",
    "nodejs22",
    "nodejs20",
    "go123",
    "go122",
    "java21",
    "java17",
    "dotnet8",
    "ruby33",
    "php83",
)
INGRESS = {
    "internal": "ALLOW_INTERNAL_ONLY",
    "internal-and-gclb": "ALLOW_INTERNAL_AND_GCLB",
    "all": "ALLOW_ALL",
}
# words in an ask -> runtime ID
_RUNTIME_WORDS = {
    "python": "python312",
    "node": "nodejs22",
    "nodejs": "nodejs22",
    "javascript": "nodejs22",
    "typescript": "nodejs22",
    "go": "go123",
    "golang": "go123",
    "java": "java21",
    "dotnet": "dotnet8",
    ".net": "dotnet8",
    "c#": "dotnet8",
    "ruby": "ruby33",
    "php": "php83",
}

PARAMETERS = (
    *gcp_parameters("handler", "function name (its service accounts are <name>-fn and <name>-build)"),
    Parameter("runtime", "str", "Cloud Functions runtime", default="python312", choices=RUNTIMES),
    Parameter("entry_point", "str", "function in the source that handles requests", default="handler"),
    Parameter(
        "source_bucket",
        "str",
        "existing bucket with the source zip (empty: create one and upload)",
        default="",
    ),
    Parameter("source_object", "str", "source zip object in source_bucket", default="function-source.zip"),
    Parameter("memory", "str", "memory per instance (256M, 512M, 1G)", default="256M"),
    Parameter("timeout_seconds", "int", "request timeout in seconds", default=60, minimum=1),
    Parameter("max_instances", "int", "upper bound of autoscaling", default=10, minimum=1),
    Parameter(
        "ingress",
        "str",
        "where requests may come from (internal: VPC only; internal-and-gclb: also an external LB)",
        default="internal",
        choices=tuple(INGRESS),
    ),
)


def render(values: dict[str, Any]) -> list[GeneratedFile]:
    """The module's fixed files and its terraform.tfvars."""
    return template_blueprint_files(
        FOLDER,
        {
            **gcp_values(values),
            "runtime": values["runtime"],
            "entry_point": values["entry_point"],
            "source_bucket": values["source_bucket"],
            "source_object": values["source_object"],
            "memory": values["memory"],
            "timeout_seconds": values["timeout_seconds"],
            "max_instances": values["max_instances"],
            "ingress": INGRESS[values["ingress"]],
        },
    )


def extract(text: str) -> dict[str, Any]:
    """Project, runtime, entry point, source location, memory, limits and ingress from the words."""
    found: dict[str, Any] = {"project": project_from(text)}
    runtime = first(r"\b((?:python3|nodejs|go1|java|dotnet|ruby|php)\d+)\b", text)
    if runtime and runtime.lower() in RUNTIMES:
        found["runtime"] = runtime.lower()
    else:
        word = first(
            r"(?<![\w.])(python|nodejs|node|javascript|typescript|golang|go|java|dotnet|\.net|c#|ruby|php)\b",
            text,
        )
        if word:
            found["runtime"] = _RUNTIME_WORDS[word.lower()]
    found["entry_point"] = first(r"\bentry[\s-]?point\s*(?:=|:|is|of)?\s*([A-Za-z_][\w.]*)", text)
    source = re.search(r"\bgs://([a-z0-9][a-z0-9._-]+)/(\S+\.zip)\b", text)
    if source:
        found["source_bucket"], found["source_object"] = source.group(1), source.group(2)
    else:
        found["source_bucket"] = first(
            r"\b(?:source\s+)?bucket\s+(?:gs://)?([a-z0-9][a-z0-9._-]{2,62})\b", text
        )
    memory = first(r"\b(\d+(?:M|Mi|G|Gi))\b|\b(\d+)\s*mb\b", text, 0) or first(r"\b(\d+)\s*mb\b", text)
    if memory:
        found["memory"] = memory if memory[-1] in "MGi" else f"{memory}M"
    timeout = first(r"\btimeout\s+(?:of\s+)?(\d+)\s*(?:s|sec|seconds)\b", text)
    if timeout:
        found["timeout_seconds"] = int(timeout)
    high = bound(text, "max", r"instances?")
    if high is not None:
        found["max_instances"] = high
    if says_public(text):
        found["ingress"] = "all"
    elif re.search(r"\b(?:load[\s-]?balancer|gclb)\b", text, re.IGNORECASE):
        found["ingress"] = "internal-and-gclb"
    return found


CLOUD_FUNCTION = Blueprint(
    name="tf-gcp-cloud-function",
    target="terraform",
    title="Cloud Functions 2nd gen: HTTP function, internal ingress, dedicated build and runtime identities",
    parameters=PARAMETERS,
    render=render,
    keywords=(
        r"\bcloud\s+functions?\b",
        r"\bgcf\b|\bcloudfunctions\b",
        r"\b(?:serverless\s+)?functions?\b",
        r"\b(?:gcp|google(?:\s+cloud)?)\b",
        r"\b(?:gcp|google)\b.*\b(?:functions?|serverless)\b|\b(?:functions?|serverless)\b.*\b(?:gcp|google)\b",
    ),
    extract=extract,
    examples=(
        {
            "project": "acme-prod",
            "name": "resize-images",
            "runtime": "python312",
            "entry_point": "resize",
            "source_bucket": "acme-prod-fn-sources",
            "source_object": "resize-images/v3.zip",
            "memory": "512M",
        },
        {"project": "acme-dev", "runtime": "nodejs22", "ingress": "all", "max_instances": 3},
        {"project": "acme-prod", "name": "webhook", "runtime": "go123", "ingress": "internal-and-gclb"},
    ),
    example_ask="python cloud function called resize-images in project acme-prod, entry point resize",
)

BLUEPRINTS = (CLOUD_FUNCTION,)
