"""AKS cluster: private API server, Entra ID with Azure RBAC, Azure CNI overlay, optional GPU pool.

Renders a fixed Terraform module (`tools/blueprints/terraform/azure/tf-azure-aks/`) plus a
`terraform.tfvars`. Defaults: a private API server (a public one must name its authorised
IP ranges), Entra ID sign-in with Azure RBAC and local accounts disabled, Kubernetes RBAC,
workload identity with the OIDC issuer, Azure Policy, automatic patch upgrades and node
image updates, the Key Vault CSI driver with rotation, and Azure CNI overlay with Cilium
(eBPF) enforcing NetworkPolicy. The control plane runs as a user-assigned managed identity
that is Network Contributor on the node subnet only; the system pool autoscales across
three zones on Azure Linux; Container Insights sends logs to a Log Analytics workspace
(optional). An optional GPU user pool scales from zero with a `nvidia.com/gpu` taint.
"""

from __future__ import annotations

import re
from typing import Any

from tools.blueprints.model import Blueprint, GeneratedFile, Parameter
from tools.blueprints.tf_gcp_azure_parts import (
    azure_parameters,
    azure_values,
    bound,
    comma_list,
    first,
    number_before,
    resource_group_from,
    says_gpu,
)
from tools.blueprints.tf_templates import template_blueprint_files, template_folder

FOLDER = template_folder("azure", "tf-azure-aks")
SKU_TIERS = ("free", "standard", "premium")
GPU_SIZES = {
    "t4": "Standard_NC4as_T4_v3",
    "a10": "Standard_NV36ads_A10_v5",
    "a100": "Standard_NC24ads_A100_v4",
    "h100": "Standard_NC40ads_H100_v5",
    "v100": "Standard_NC6s_v3",
}

PARAMETERS = (
    *azure_parameters("aks-main", "cluster name (also the prefix of its VNet, identity and workspace)"),
    Parameter(
        "kubernetes_version", "str", "Kubernetes minor version, e.g. 1.31 (empty: AKS default)", default=""
    ),
    Parameter(
        "sku_tier",
        "str",
        "control plane tier (standard has the uptime SLA)",
        default="standard",
        choices=SKU_TIERS,
    ),
    Parameter("vm_size", "str", "VM size of the system pool", default="Standard_D4ds_v5"),
    Parameter("min_nodes", "int", "minimum nodes of the system pool", default=2, minimum=1),
    Parameter("max_nodes", "int", "maximum nodes of the system pool", default=5, minimum=1),
    Parameter("gpu", "bool", "add a GPU user pool (scales from zero, tainted nvidia.com/gpu)", default=False),
    Parameter("gpu_vm_size", "str", "VM size of the GPU pool", default="Standard_NC4as_T4_v3"),
    Parameter("gpu_max_nodes", "int", "maximum GPU nodes", default=2, minimum=1),
    Parameter(
        "network_policy", "str", "NetworkPolicy engine", default="cilium", choices=("cilium", "calico")
    ),
    Parameter("private_cluster", "bool", "private API server endpoint", default=True),
    Parameter(
        "authorized_ip_ranges",
        "str",
        "comma-separated CIDRs allowed to a public API server (needed when not private)",
        default="",
    ),
    Parameter("admin_group_object_ids", "str", "comma-separated Entra ID admin group object IDs", default=""),
    Parameter("monitoring", "bool", "Container Insights with a Log Analytics workspace", default=True),
)


def render(values: dict[str, Any]) -> list[GeneratedFile]:
    """The module's fixed files and its terraform.tfvars."""
    return template_blueprint_files(
        FOLDER,
        {
            **azure_values(values),
            "kubernetes_version": values["kubernetes_version"],
            "sku_tier": values["sku_tier"].capitalize(),
            "vm_size": values["vm_size"],
            "min_nodes": values["min_nodes"],
            "max_nodes": max(values["max_nodes"], values["min_nodes"]),
            "gpu_enabled": values["gpu"],
            "gpu_vm_size": values["gpu_vm_size"],
            "gpu_max_nodes": values["gpu_max_nodes"],
            "network_policy": values["network_policy"],
            "private_cluster": values["private_cluster"],
            "authorized_ip_ranges": comma_list(values["authorized_ip_ranges"]),
            "admin_group_object_ids": comma_list(values["admin_group_object_ids"]),
            "monitoring": values["monitoring"],
        },
    )


_VM = r"\b(Standard_[A-Za-z0-9_]+)\b"
_CIDR = r"\b(\d{1,3}(?:\.\d{1,3}){3}/\d{1,2})\b"
_GUID = r"\b([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b"
_NODES = r"nodes?|vms?|workers?"


def extract(text: str) -> dict[str, Any]:
    """Version, tier, VM sizes, node counts, GPU, policy engine, API exposure, admins from the words."""
    found: dict[str, Any] = resource_group_from(text)
    version = first(r"\b(?:kubernetes|k8s|version|v)\s*(1\.\d{2})\b", text)
    if version:
        found["kubernetes_version"] = version
    tier = first(r"\b(free|standard|premium)\s+(?:sku\s+)?tier\b|\btier\s+(free|standard|premium)\b", text)
    if tier:
        found["sku_tier"] = tier.lower()
    gpu = says_gpu(text)
    if gpu is not None:
        found["gpu"] = gpu
    gpu_word = first(r"\b(t4|a10|a100|h100|v100)\b", text)
    if gpu_word:
        found["gpu"] = True
        found["gpu_vm_size"] = GPU_SIZES[gpu_word.lower()]
    for size in re.findall(_VM, text):
        if re.match(r"Standard_N", size, re.IGNORECASE) and found.get("gpu"):
            found["gpu_vm_size"] = size
        else:
            found["vm_size"] = size
    gpu_nodes = first(
        r"\b(?:up\s+to|max(?:imum)?(?:\s+of)?)\s+(\d+)\s+gpu\s+nodes?\b|\b(\d+)\s+gpu\s+nodes?\b", text
    )
    if gpu_nodes:
        found["gpu"] = True
        found["gpu_max_nodes"] = int(gpu_nodes)
    general = re.sub(r"\b(?:\d+\s+)?gpu\s+nodes?\b", " ", text, flags=re.IGNORECASE)
    low, high = bound(general, "min", _NODES), bound(general, "max", _NODES)
    count = number_before(general, _NODES)
    if low is not None:
        found["min_nodes"] = low
    if high is not None:
        found["max_nodes"] = high
    if count is not None and low is None and high is None:
        found["min_nodes"] = count
        found["max_nodes"] = max(count, 5)
    policy = first(r"\b(cilium|calico)\b", text)
    if policy:
        found["network_policy"] = policy.lower()
    cidrs = re.findall(_CIDR, text)
    if (
        re.search(
            r"\bpublic\s+(?:api|cluster|endpoint|control\s+plane)|\bnot\s+private\b", text, re.IGNORECASE
        )
        or cidrs
    ):
        found["private_cluster"] = False
    if cidrs:
        found["authorized_ip_ranges"] = ",".join(cidrs)
    if re.search(r"\bprivate\s+(?:aks\s+)?(?:cluster|api|endpoint)\b", text, re.IGNORECASE):
        found["private_cluster"] = True
    groups = re.findall(_GUID, text, re.IGNORECASE)
    if groups:
        found["admin_group_object_ids"] = ",".join(groups)
    if re.search(
        r"\b(?:no|without)\s+(?:monitoring|container\s+insights|log\s+analytics)\b", text, re.IGNORECASE
    ):
        found["monitoring"] = False
    return found


AKS = Blueprint(
    name="tf-azure-aks",
    target="terraform",
    title="AKS cluster: private API, Entra ID + Azure RBAC, CNI overlay with Cilium, optional GPU pool",
    parameters=PARAMETERS,
    render=render,
    keywords=(
        r"\baks\b",
        r"\bgpus?\b|\bnvidia\b",
        r"\bentra(?:\s+id)?\b|\bazure\s+cni\b|\bcilium\b|\bcalico\b|\bprivate\s+cluster\b",
        r"\bazure\s+kubernetes(?:\s+service)?\b",
        r"\b(?:kubernetes|k8s)\b",
        r"\bazure\b",
        r"\bazure\b.*\b(?:kubernetes|k8s|cluster)\b|\b(?:kubernetes|k8s|cluster)\b.*\bazure\b",
    ),
    extract=extract,
    examples=(
        {
            "name": "aks-ml",
            "region": "westeurope",
            "gpu": True,
            "gpu_vm_size": "Standard_NC24ads_A100_v4",
            "gpu_max_nodes": 3,
            "admin_group_object_ids": "00000000-0000-0000-0000-000000000001",
        },
        {
            "name": "aks-dev",
            "region": "eastus",
            "private_cluster": False,
            "authorized_ip_ranges": "203.0.113.0/24",
            "sku_tier": "free",
            "monitoring": False,
            "network_policy": "calico",
            "min_nodes": 1,
            "max_nodes": 3,
        },
        {
            "name": "aks-prod",
            "resource_group": "rg-platform",
            "create_resource_group": False,
            "kubernetes_version": "1.31",
        },
    ),
    example_ask="aks cluster called aks-ml in westeurope with a t4 gpu pool, 2-6 nodes",
)

BLUEPRINTS = (AKS,)
