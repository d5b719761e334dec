"""Azure Machine Learning workspace with its dependencies and a managed online endpoint.

Renders a fixed Terraform module (`tools/blueprints/terraform/azure/tf-azure-ml-endpoint/`)
plus a `terraform.tfvars`. What azurerm offers: `azurerm_machine_learning_workspace` (and
compute, datastores, outbound rules), but no managed online endpoint or deployment
resource. So the workspace and what it requires (a key vault with RBAC and purge
protection, a storage account with secure defaults, workspace-based Application
Insights) are azurerm resources, while the endpoint, an optional deployment of a
registered model (named `blue`, with all traffic) and the traffic switch are ARM resources
created with the `azapi` provider. The workspace has a managed network that allows only
approved outbound traffic; the endpoint authenticates callers with Entra ID tokens by
default and reads the workspace storage with its own identity.
"""

from __future__ import annotations

import re
from typing import Any

from tools.blueprints.model import Blueprint, GeneratedFile, Parameter
from tools.blueprints.tf_gcp_azure_parts import (
    azure_parameters,
    azure_values,
    bound,
    first,
    resource_group_from,
    says_public,
)
from tools.blueprints.tf_templates import template_blueprint_files, template_folder

FOLDER = template_folder("azure", "tf-azure-ml-endpoint")
AUTH_MODES = {"aadtoken": "AADToken", "amltoken": "AMLToken", "key": "Key"}
ISOLATION = {
    "approved-outbound": "AllowOnlyApprovedOutbound",
    "internet-outbound": "AllowInternetOutbound",
    "disabled": "Disabled",
}

PARAMETERS = (
    *azure_parameters("ml", "workspace name (also the prefix of its endpoint, key vault, storage, insights)"),
    Parameter(
        "public_network_access", "bool", "workspace and endpoint reachable from the internet", default=True
    ),
    Parameter(
        "isolation",
        "str",
        "managed network of the workspace's compute",
        default="approved-outbound",
        choices=tuple(ISOLATION),
    ),
    Parameter(
        "auth_mode", "str", "how endpoint callers authenticate", default="aadtoken", choices=tuple(AUTH_MODES)
    ),
    Parameter("model_id", "str", "registered (MLflow) model to deploy (empty: endpoint only)", default=""),
    Parameter("instance_type", "str", "VM size of the deployment", default="Standard_DS3_v2"),
    Parameter("instance_count", "int", "instances of the deployment", default=1, minimum=1),
)


def render(values: dict[str, Any]) -> list[GeneratedFile]:
    """The module's fixed files and its terraform.tfvars."""
    return template_blueprint_files(
        FOLDER,
        {
            **azure_values(values),
            "public_network_access": values["public_network_access"],
            "isolation_mode": ISOLATION[values["isolation"]],
            "endpoint_auth_mode": AUTH_MODES[values["auth_mode"]],
            "model_id": values["model_id"],
            "instance_type": values["instance_type"],
            "instance_count": values["instance_count"],
        },
    )


_MODEL = r"\b(azureml://registries/[\w-]+/models/[\w.-]+/versions/\d+|azureml:[\w.-]+:\d+|/subscriptions/\S+/models/\S+)"


def extract(text: str) -> dict[str, Any]:
    """Network exposure, auth mode, model, instance type and count from the words."""
    found: dict[str, Any] = resource_group_from(text)
    public = says_public(text)
    if public is not None:
        found["public_network_access"] = public
    if re.search(r"\bprivate\b", text, re.IGNORECASE):
        found["public_network_access"] = False
    if re.search(
        r"\b(?:api\s+)?keys?\s+auth\w*\b|\bauth\w*\s+(?:with\s+)?(?:a\s+)?keys?\b", text, re.IGNORECASE
    ):
        found["auth_mode"] = "key"
    elif re.search(r"\baml\s*token\b", text, re.IGNORECASE):
        found["auth_mode"] = "amltoken"
    found["model_id"] = first(_MODEL, text)
    size = first(r"\b(Standard_[A-Za-z0-9_]+)\b", text)
    if size:
        found["instance_type"] = size
    elif re.search(r"\bgpus?\b", text, re.IGNORECASE):
        found["instance_type"] = "Standard_NC6s_v3"
    count = bound(text, "max", r"instances?|replicas?|nodes?") or first(
        r"\b(\d+)\s+(?:instances?|replicas?|nodes?)\b", text
    )
    if count:
        found["instance_count"] = int(count)
    if re.search(r"\binternet\s+outbound\b|\ballow\s+internet\b", text, re.IGNORECASE):
        found["isolation"] = "internet-outbound"
    return found


ML_ENDPOINT = Blueprint(
    name="tf-azure-ml-endpoint",
    target="terraform",
    title="Azure ML workspace and its dependencies, managed online endpoint, optional deployment",
    parameters=PARAMETERS,
    render=render,
    keywords=(
        r"\bazure\s*ml\b|\baml\b|\bazureml\b",
        r"\bmachine\s+learning\b",
        r"\b(?:online|model|inference|ml)\s+endpoints?\b",
        r"\bazure\b",
        r"\bazure\b.*\b(?:ml|model|endpoint|inference)\b|\b(?:ml|model|endpoint|inference)\b.*\bazure\b",
    ),
    extract=extract,
    examples=(
        {
            "name": "fraud-ml",
            "region": "westeurope",
            "model_id": "azureml://registries/azureml/models/distilbert-base-uncased/versions/12",
            "instance_type": "Standard_DS3_v2",
            "instance_count": 2,
        },
        {"name": "research", "region": "eastus", "public_network_access": False, "auth_mode": "key"},
    ),
    example_ask="azure ml endpoint called fraud-ml in westeurope with 2 instances of Standard_DS3_v2",
)

BLUEPRINTS = (ML_ENDPOINT,)
