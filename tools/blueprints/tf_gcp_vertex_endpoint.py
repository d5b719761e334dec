"""Vertex AI online prediction endpoint, a serving identity, and the command that deploys a model.

Renders a fixed Terraform module (`tools/blueprints/terraform/gcp/tf-gcp-vertex-endpoint/`)
plus a `terraform.tfvars`. What the google provider offers: `google_vertex_ai_endpoint`
creates the endpoint, but deploying an uploaded model to it is not a resource (the
endpoint's `deployed_models` is output-only; `google_vertex_ai_endpoint_with_model_garden_deployment`
covers only Model Garden models, creates its own endpoint and cannot be updated or
deleted). So the module creates the endpoint (optionally peered with a VPC, optionally
CMEK-encrypted, with the service agent's key grant), a dedicated service account for
the deployed model's container, and outputs the `gcloud ai endpoints deploy-model`
command for `model_id` with the machine type, GPUs and replica bounds asked for. The
endpoint is never public without IAM: prediction calls need `aiplatform.endpoints.predict`.
"""

from __future__ import annotations

import re
from typing import Any

from tools.blueprints.model import Blueprint, GeneratedFile, Parameter
from tools.blueprints.tf_gcp_azure_parts import bound, first, gcp_parameters, gcp_values, project_from
from tools.blueprints.tf_templates import template_blueprint_files, template_folder

FOLDER = template_folder("gcp", "tf-gcp-vertex-endpoint")
# GPU word -> gcloud accelerator type, and a machine type that takes one of it
GPUS = {
    "t4": ("nvidia-tesla-t4", "n1-standard-8"),
    "l4": ("nvidia-l4", "g2-standard-8"),
    "v100": ("nvidia-tesla-v100", "n1-standard-8"),
    "a100": ("nvidia-tesla-a100", "a2-highgpu-1g"),
    "h100": ("nvidia-h100-80gb", "a3-highgpu-1g"),
}

PARAMETERS = (
    *gcp_parameters(
        "model-endpoint", "endpoint display name (6-22 characters; serving account <name>-serving)"
    ),
    Parameter("model_id", "str", "uploaded Vertex AI model to deploy (empty: endpoint only)", default=""),
    Parameter("machine_type", "str", "machine type of the model's replicas", default="n1-standard-4"),
    Parameter(
        "accelerator_type", "str", "GPU type per replica, e.g. nvidia-tesla-t4 (empty: CPU)", default=""
    ),
    Parameter("accelerator_count", "int", "GPUs per replica", default=1, minimum=1),
    Parameter("min_replicas", "int", "replicas always running", default=1, minimum=1),
    Parameter("max_replicas", "int", "upper bound of autoscaling", default=2, minimum=1),
    Parameter(
        "network", "str", "VPC to peer a private endpoint with (projects/N/global/networks/X)", default=""
    ),
    Parameter("kms_key", "str", "Cloud KMS key for CMEK (empty: Google-managed keys)", default=""),
)


def render(values: dict[str, Any]) -> list[GeneratedFile]:
    """The module's fixed files and its terraform.tfvars."""
    return template_blueprint_files(
        FOLDER,
        {
            **gcp_values(values),
            "model_id": values["model_id"],
            "machine_type": values["machine_type"],
            "accelerator_type": values["accelerator_type"],
            "accelerator_count": values["accelerator_count"],
            "min_replicas": values["min_replicas"],
            "max_replicas": max(values["max_replicas"], values["min_replicas"]),
            "network": values["network"],
            "kms_key": values["kms_key"],
        },
    )


_MACHINE = r"\b((?:e2|n1|n2|n2d|c2|c3|g2|a2|a3)-[a-z]+-\d+[a-z]*)\b"
_KMS = r"\b(projects/[a-z0-9-]+/locations/[a-z0-9-]+/keyRings/[\w-]+/cryptoKeys/[\w-]+)\b"


def extract(text: str) -> dict[str, Any]:
    """Project, model, machine, GPU, replica bounds, network and key from the words."""
    found: dict[str, Any] = {"project": project_from(text)}
    found["model_id"] = first(
        r"\bmodel(?:\s+id)?\s*(?:=|:)?\s*(projects/\S+/models/[\w@-]+|\d{6,})\b|\bmodel\s+(?:id\s+)?([\w-]*\d[\w-]*)\b",
        text,
    )
    gpu = first(r"\b(t4|l4|v100|a100|h100)\b", text)
    if gpu:
        found["accelerator_type"], found["machine_type"] = GPUS[gpu.lower()]
    machine = first(_MACHINE, text)
    if machine:
        found["machine_type"] = machine.lower()
    gpus = first(r"\b(\d+)\s+(?:x\s+)?(?:nvidia\s+)?(?:t4|l4|v100|a100|h100|gpus?)\b", text)
    if gpus:
        found["accelerator_count"] = int(gpus)
        found.setdefault("accelerator_type", "nvidia-tesla-t4")
        machine_of_one = found.get("machine_type", "")
        if not machine and machine_of_one.endswith("highgpu-1g"):  # A2/A3 machines come with their GPUs
            found["machine_type"] = machine_of_one.replace("-1g", f"-{int(gpus)}g")
    words = r"replicas?|instances?|nodes?"
    low, high = bound(text, "min", words), bound(text, "max", words)
    if low is not None:
        found["min_replicas"] = low
    if high is not None:
        found["max_replicas"] = high
    network = first(r"\b(projects/\d+/global/networks/[a-z0-9-]+)\b", text)
    if network:
        found["network"] = network
    found["kms_key"] = first(_KMS, text, 0)
    if re.search(r"\bno\s+gpus?\b|\bcpu[\s-]only\b", text, re.IGNORECASE):
        found["accelerator_type"] = ""
    return found


VERTEX_ENDPOINT = Blueprint(
    name="tf-gcp-vertex-endpoint",
    target="terraform",
    title="Vertex AI endpoint with a serving identity, optional VPC peering and CMEK; model deploy command",
    parameters=PARAMETERS,
    render=render,
    keywords=(
        r"\bvertex(?:\s+ai)?\b",
        r"\b(?:model|prediction|inference|online)\s+endpoints?\b",
        r"\bvertex\s+(?:ai\s+)?endpoints?\b|\bendpoints?\b.*\bvertex\b",
        r"\b(?:gcp|google(?:\s+cloud)?)\b",
        r"\b(?:gcp|google)\b.*\b(?:endpoint|model|inference)\b|\b(?:endpoint|model|inference)\b.*\b(?:gcp|google)\b",
    ),
    extract=extract,
    examples=(
        {
            "project": "acme-ml",
            "name": "fraud-scoring",
            "region": "europe-west4",
            "model_id": "1234567890123456789",
            "accelerator_type": "nvidia-tesla-t4",
            "machine_type": "n1-standard-8",
            "min_replicas": 1,
            "max_replicas": 4,
        },
        {"project": "acme-dev"},
        {
            "project": "acme-ml",
            "name": "private-llm",
            "network": "projects/123456789012/global/networks/ml-vpc",
            "kms_key": "projects/acme-ml/locations/europe-west1/keyRings/ml/cryptoKeys/vertex",
        },
    ),
    example_ask="vertex ai endpoint fraud-scoring in project acme-ml, europe-west4, t4 gpu, up to 4 replicas",
)

BLUEPRINTS = (VERTEX_ENDPOINT,)
