"""Azure Container Apps: an environment with Log Analytics and one autoscaled container app.

Renders a fixed Terraform module (`tools/blueprints/terraform/azure/tf-azure-container-apps/`)
plus a `terraform.tfvars`. Ingress is internal to the environment unless `external` is
asked for, HTTPS only (no insecure connections); the app scales on concurrent HTTP
requests between min and max replicas with TCP readiness and liveness probes. It runs as a
user-assigned managed identity that pulls from a private registry and reads Key Vault
secrets (Key Vault Secrets User on the vault only). Secrets are never literals in the
files: they are Key Vault references, or values of the `secrets` variable, which is
marked sensitive and given at apply time (e.g. TF_VAR_secrets).
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

FOLDER = template_folder("azure", "tf-azure-container-apps")
CPUS = ("0.25", "0.5", "0.75", "1", "1.25", "1.5", "1.75", "2", "2.5", "3", "3.5", "4")
_KV_URI = r"(https://[a-z0-9-]+\.vault\.azure\.net/secrets/[A-Za-z0-9-]+)"
_KV_ID = r"(/subscriptions/[^\s,]+/providers/Microsoft\.KeyVault/vaults/[A-Za-z0-9-]+)"

PARAMETERS = (
    *azure_parameters("api", "app name (also the prefix of its environment, identity and workspace)"),
    Parameter("image", "str", "container image, pinned, e.g. acme.azurecr.io/api:1.4.2", required=True),
    Parameter("port", "int", "port the container listens on", default=8080, minimum=1),
    Parameter(
        "external", "bool", "accept internet traffic (false: only inside the environment)", default=False
    ),
    Parameter("min_replicas", "int", "replicas always running (0: scale to zero)", default=1, minimum=0),
    Parameter("max_replicas", "int", "upper bound of autoscaling", default=10, minimum=1),
    Parameter("cpu", "str", "vCPUs per replica; memory is twice that in Gi", default="0.5", choices=CPUS),
    Parameter(
        "registry_server",
        "str",
        "private registry pulled with the app's identity (empty: public)",
        default="",
    ),
    Parameter(
        "key_vault_secret_uri",
        "str",
        "versionless Key Vault secret URI exposed as the secret_env variable (empty: none)",
        default="",
    ),
    Parameter("key_vault_id", "str", "resource ID of that Key Vault (for the identity's role)", default=""),
    Parameter(
        "secret_env", "str", "environment variable that receives the Key Vault secret", default="APP_SECRET"
    ),
)


def render(values: dict[str, Any]) -> list[GeneratedFile]:
    """The module's fixed files and its terraform.tfvars."""
    uri = values["key_vault_secret_uri"]
    secret_name = "app-secret"
    cpu = float(values["cpu"])
    return template_blueprint_files(
        FOLDER,
        {
            **azure_values(values),
            "image": values["image"],
            "registry_server": values["registry_server"],
            "port": values["port"],
            "external": values["external"],
            "min_replicas": values["min_replicas"],
            "max_replicas": max(values["max_replicas"], values["min_replicas"], 1),
            "cpu": int(cpu) if cpu.is_integer() else cpu,
            "memory": f"{cpu * 2:g}Gi",
            "key_vault_secrets": {secret_name: uri} if uri else {},
            "key_vault_id": values["key_vault_id"],
            "secret_environment": {values["secret_env"]: secret_name} if uri else {},
        },
    )


def extract(text: str) -> dict[str, Any]:
    """Ingress, replica bounds, CPU, registry and Key Vault secret from the words."""
    found: dict[str, Any] = resource_group_from(text)
    public = says_public(text)
    if public is not None:
        found["external"] = public
    if re.search(
        r"\binternal(?:[\s-]only)?\s+(?:ingress|app|only)\b|\bingress\s+internal\b", text, re.IGNORECASE
    ):
        found["external"] = False
    words = r"replicas?|instances?|copies"
    low, high = bound(text, "min", words), bound(text, "max", words)
    if re.search(r"\bscale\s+to\s+zero\b", text, re.IGNORECASE):
        found["min_replicas"] = 0
    if low is not None:
        found["min_replicas"] = low
    if high is not None:
        found["max_replicas"] = high
    cpu = first(r"\b(\d+(?:\.\d+)?)\s*v?cpus?\b|\bcpu\s*(?:=|:|of)?\s*(\d+(?:\.\d+)?)\b", text)
    if cpu and f"{float(cpu):g}" in CPUS:
        found["cpu"] = f"{float(cpu):g}"
    registry = first(r"\b([a-z0-9]+\.azurecr\.io)/", text)
    if registry:
        found["registry_server"] = registry
    found["key_vault_secret_uri"] = first(_KV_URI, text)
    found["key_vault_id"] = first(_KV_ID, text)
    found["secret_env"] = first(
        r"\bas\s+(?:env(?:ironment)?\s+(?:var(?:iable)?\s+)?)?([A-Z][A-Z0-9_]+)\b", text, 0
    )
    return found


CONTAINER_APPS = Blueprint(
    name="tf-azure-container-apps",
    target="terraform",
    title="Azure Container Apps: environment, autoscaled app, managed identity, Key Vault secrets",
    parameters=PARAMETERS,
    render=render,
    keywords=(
        r"\bcontainer[\s-]?apps?\b",
        r"\baca\b",
        r"\bazure\b",
        r"\bazure\b.*\b(?:containers?|serverless|deploy|run)\b|\b(?:containers?|serverless|deploy|run)\b.*\bazure\b",
    ),
    extract=extract,
    examples=(
        {
            "name": "orders-api",
            "image": "acme.azurecr.io/orders-api:2.3.1",
            "registry_server": "acme.azurecr.io",
            "external": True,
            "min_replicas": 2,
            "max_replicas": 20,
            "cpu": "1",
            "key_vault_secret_uri": "https://kv-acme-prod.vault.azure.net/secrets/orders-db-password",
            "key_vault_id": (
                "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-shared"
                "/providers/Microsoft.KeyVault/vaults/kv-acme-prod"
            ),
            "secret_env": "DATABASE_PASSWORD",
        },
        {"image": "mcr.microsoft.com/k8se/quickstart:latest", "port": 80, "min_replicas": 0, "cpu": "0.25"},
    ),
    example_ask="azure container app for acme.azurecr.io/api:1.4.2, external ingress, 2 to 20 replicas",
)

BLUEPRINTS = (CONTAINER_APPS,)
