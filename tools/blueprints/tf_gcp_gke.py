"""GKE cluster: private nodes, Workload Identity, shielded nodes, Dataplane V2, autoscaled pools.

Renders a fixed Terraform module (`tools/blueprints/terraform/gcp/tf-gcp-gke/`) plus a
`terraform.tfvars`. The cluster is regional (nodes in three zones) on a dedicated VPC with
secondary ranges for pods and Services and Cloud NAT for egress, because private nodes
have no public addresses. Workload Identity (the GKE metadata server on every node) lets
pods use Google service accounts without keys; shielded nodes with secure boot;
Dataplane V2 enforces NetworkPolicy; a release channel keeps Kubernetes patched; the
control plane is reachable only from the authorised networks given (none: Google and
VPC addresses only); nodes run as a dedicated least-privilege service account; deletion
protection is on. An optional GPU pool scales from zero, with the NVIDIA driver installed
by GKE and a `nvidia.com/gpu` taint so only GPU workloads land there.
"""

from __future__ import annotations

import re
from typing import Any

from tools.blueprints.model import Blueprint, GeneratedFile, Parameter
from tools.blueprints.tf_gcp_azure_parts import (
    bound,
    comma_list,
    first,
    gcp_parameters,
    gcp_values,
    number_before,
    project_from,
    says_gpu,
)
from tools.blueprints.tf_templates import template_blueprint_files, template_folder

FOLDER = template_folder("gcp", "tf-gcp-gke")
CHANNELS = ("rapid", "regular", "stable")
# GPU word -> (accelerator type, a machine type that takes one of it)
GPUS = {
    "l4": ("nvidia-l4", "g2-standard-8"),
    "t4": ("nvidia-tesla-t4", "n1-standard-8"),
    "v100": ("nvidia-tesla-v100", "n1-standard-8"),
    "a100": ("nvidia-tesla-a100", "a2-highgpu-1g"),
    "h100": ("nvidia-h100-80gb", "a3-highgpu-1g"),
}

PARAMETERS = (
    *gcp_parameters("gke-main", "cluster name (also the prefix of its VPC, router and node service account)"),
    Parameter("release_channel", "str", "GKE release channel", default="regular", choices=CHANNELS),
    Parameter("machine_type", "str", "machine type of the general node pool", default="e2-standard-4"),
    Parameter("min_nodes", "int", "minimum nodes of the general pool (all zones)", default=1, minimum=0),
    Parameter("max_nodes", "int", "maximum nodes of the general pool (all zones)", default=3, minimum=1),
    Parameter("gpu", "bool", "add a GPU node pool (scales from zero, tainted nvidia.com/gpu)", default=False),
    Parameter("gpu_type", "str", "GPU type of the GPU pool", default="nvidia-l4"),
    Parameter("gpu_machine_type", "str", "machine type of the GPU pool", default="g2-standard-8"),
    Parameter("gpu_count", "int", "GPUs per GPU node", default=1, minimum=1),
    Parameter("gpu_max_nodes", "int", "maximum GPU nodes", default=2, minimum=1),
    Parameter(
        "authorized_networks",
        "str",
        "comma-separated CIDRs allowed to reach the control plane (empty: Google and VPC only)",
        default="",
    ),
    Parameter("private_endpoint", "bool", "control plane with a private endpoint only", default=False),
)


def render(values: dict[str, Any]) -> list[GeneratedFile]:
    """The module's fixed files and its terraform.tfvars."""
    return template_blueprint_files(
        FOLDER,
        {
            **gcp_values(values),
            "release_channel": values["release_channel"].upper(),
            "machine_type": values["machine_type"],
            "min_nodes": values["min_nodes"],
            "max_nodes": max(values["max_nodes"], values["min_nodes"], 1),
            "gpu_enabled": values["gpu"],
            "gpu_type": values["gpu_type"],
            "gpu_machine_type": values["gpu_machine_type"],
            "gpu_count": values["gpu_count"],
            "gpu_max_nodes": values["gpu_max_nodes"],
            "authorized_networks": comma_list(values["authorized_networks"]),
            "private_endpoint": values["private_endpoint"],
        },
    )


_MACHINE = r"\b((?:e2|n1|n2|n2d|n4|c2|c2d|c3|c3d|c4|t2d|t2a|g2|a2|a3|m1|m2|m3)-[a-z]+-\d+[a-z]*)\b"
_CIDR = r"\b(\d{1,3}(?:\.\d{1,3}){3}/\d{1,2})\b"
_NODES = r"nodes?|(?:vms?|machines?|workers?)"
_G2_BY_GPUS = {2: "g2-standard-24", 4: "g2-standard-48", 8: "g2-standard-96"}  # L4 machines by GPU count


def extract(text: str) -> dict[str, Any]:
    """Project, channel, machine types, node counts, GPU wishes and authorised networks from the words."""
    found: dict[str, Any] = {"project": project_from(text)}
    channel = first(
        r"\b(rapid|regular|stable)\s+(?:release\s+)?channel\b|\bchannel\s+(rapid|regular|stable)\b", text
    )
    if channel:
        found["release_channel"] = channel.lower()
    gpu = says_gpu(text)
    if gpu is not None:
        found["gpu"] = gpu
    gpu_word = first(r"\b(l4|t4|v100|a100|h100)\b", text)
    if gpu_word:
        found["gpu"] = True
        found["gpu_type"], found["gpu_machine_type"] = GPUS[gpu_word.lower()]
    machines = re.findall(_MACHINE, text, re.IGNORECASE)
    for machine in machines:
        if machine.lower().startswith(("g2-", "a2-", "a3-")) and found.get("gpu"):
            found["gpu_machine_type"] = machine.lower()
        else:
            found["machine_type"] = machine.lower()
    gpu_nodes = first(
        r"\b(?:up\s+to|max(?:imum)?(?:\s+of)?)\s+(\d+)\s+gpu\s+nodes?\b|\b(\d+)\s+gpu\s+nodes?\b", text
    )
    if gpu_nodes:
        found["gpu"] = True
        found["gpu_max_nodes"] = int(gpu_nodes)
    per_node = first(
        r"\b(\d+)\s+(?:x\s+)?(?:nvidia\s+)?(?:(?:l4|t4|v100|a100|h100)\s+)?(?:gpus?|l4|t4|v100|a100|h100)"
        r"\s+(?:per|each|a|on\s+each)\s+node\b",
        text,
    )
    if per_node:
        found["gpu"] = True
        found["gpu_count"] = int(per_node)
        machine_of_one = found.get("gpu_machine_type", "")
        if machine_of_one.endswith("highgpu-1g"):  # A2/A3 machines come with their GPUs
            found["gpu_machine_type"] = machine_of_one.replace("-1g", f"-{int(per_node)}g")
        elif machine_of_one.startswith("g2-") and int(per_node) in _G2_BY_GPUS:
            found["gpu_machine_type"] = _G2_BY_GPUS[int(per_node)]
    general = re.sub(r"\b\d+\s+gpu\s+nodes?\b|\bgpu\s+nodes?\b", " ", text, flags=re.IGNORECASE)
    low, high = bound(general, "min", _NODES), bound(general, "max", _NODES)
    count = number_before(general, _NODES)
    if low is not None:
        found["min_nodes"] = low
    if high is not None:
        found["max_nodes"] = high
    if count is not None and low is None and high is None:
        found["min_nodes"] = count
        found["max_nodes"] = max(count, 3)
    cidrs = re.findall(_CIDR, text)
    if cidrs and re.search(r"\b(?:authori[sz]ed|allow\w*|from|access)\b", text, re.IGNORECASE):
        found["authorized_networks"] = ",".join(cidrs)
    if re.search(
        r"\bprivate\s+(?:control\s+plane\s+)?endpoint\b|\bno\s+public\s+endpoint\b", text, re.IGNORECASE
    ):
        found["private_endpoint"] = True
    return found


GKE = Blueprint(
    name="tf-gcp-gke",
    target="terraform",
    title="GKE cluster: private nodes, Workload Identity, Dataplane V2, autoscaling, optional GPU pool",
    parameters=PARAMETERS,
    render=render,
    keywords=(
        r"\bgke\b",
        r"\bgpus?\b|\bnvidia\b",
        r"\b(?:rapid|regular|stable)\s+(?:release\s+)?channel\b|\brelease\s+channel\b|\bworkload\s+identity\b"
        r"|\bdataplane\s+v2\b|\bshielded\s+nodes\b|\bautopilot\b",
        r"\bgoogle\s+kubernetes(?:\s+engine)?\b",
        r"\b(?:kubernetes|k8s)\b",
        r"\b(?:gcp|google(?:\s+cloud)?)\b",
        r"\b(?:gcp|google)\b.*\b(?:kubernetes|k8s|cluster)\b|\b(?:kubernetes|k8s|cluster)\b.*\b(?:gcp|google)\b",
    ),
    extract=extract,
    examples=(
        {
            "project": "acme-prod",
            "name": "ml-cluster",
            "region": "europe-west4",
            "machine_type": "n2-standard-8",
            "min_nodes": 3,
            "max_nodes": 9,
            "gpu": True,
            "gpu_type": "nvidia-l4",
            "gpu_machine_type": "g2-standard-8",
            "gpu_max_nodes": 4,
            "authorized_networks": "203.0.113.0/24, 198.51.100.10/32",
        },
        {"project": "acme-dev", "release_channel": "rapid", "min_nodes": 1, "max_nodes": 2},
        {"project": "acme-prod", "name": "internal", "private_endpoint": True, "release_channel": "stable"},
    ),
    example_ask="gke cluster in project acme-prod, europe-west4, 3-9 nodes of n2-standard-8, L4 gpu pool",
)

BLUEPRINTS = (GKE,)
