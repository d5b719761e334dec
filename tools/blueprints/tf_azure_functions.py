"""Azure Functions: a Linux function app with its plan, storage, Application Insights and identity.

Renders a fixed Terraform module (`tools/blueprints/terraform/azure/tf-azure-functions/`)
plus a `terraform.tfvars`. The app is HTTPS only with TLS 1.2 at least (also for the SCM
site), FTP off, HTTP/2 on, runs the Functions v4 host with a system-assigned managed
identity, and sends telemetry to workspace-based Application Insights. Its storage
account has the secure defaults (HTTPS, TLS 1.2, no public blobs, infrastructure
encryption, soft delete); on dedicated plans the host reaches it with the managed
identity and account keys are switched off, while consumption (Y1, the default, the
cheapest) and elastic premium plans still need the key for their content share.
"""

from __future__ import annotations

import re
from typing import Any

from tools.blueprints.model import Blueprint, GeneratedFile, Parameter
from tools.blueprints.tf_gcp_azure_parts import (
    azure_parameters,
    azure_values,
    first,
    resource_group_from,
    says_public,
)
from tools.blueprints.tf_templates import template_blueprint_files, template_folder

FOLDER = template_folder("azure", "tf-azure-functions")
RUNTIMES = ("python", "node", "dotnet", "java", "powershell")
DEFAULT_VERSIONS = {"python": "3.12", "node": "20", "dotnet": "8.0", "java": "17", "powershell": "7.4"}
# Parameter choices are lower case; the plan's SKU names are not.
SKUS = {
    sku.lower(): sku
    for sku in ("Y1", "EP1", "EP2", "EP3", "B1", "B2", "B3", "S1", "S2", "S3", "P0v3", "P1v3", "P2v3", "P3v3")
}
_RUNTIME_WORDS = {
    "python": "python",
    "node": "node",
    "nodejs": "node",
    "node.js": "node",
    "javascript": "node",
    "typescript": "node",
    "dotnet": "dotnet",
    ".net": "dotnet",
    "c#": "dotnet",
    "csharp": "dotnet",
    "java": "java",
    "powershell": "powershell",
}

PARAMETERS = (
    *azure_parameters("func", "function app name (global: <name>.azurewebsites.net)"),
    Parameter("runtime", "str", "language runtime", default="python", choices=RUNTIMES),
    Parameter(
        "runtime_version", "str", "runtime version (empty: 3.12, 20, 8.0, 17 or 7.4 by runtime)", default=""
    ),
    Parameter(
        "sku",
        "str",
        "plan: y1 consumption, ep1-ep3 elastic premium, b1/s1/p1v3... dedicated (no account keys)",
        default="y1",
        choices=tuple(SKUS),
    ),
    Parameter(
        "public_network_access",
        "bool",
        "reachable from the internet (false: private endpoints)",
        default=True,
    ),
)


def render(values: dict[str, Any]) -> list[GeneratedFile]:
    """The module's fixed files and its terraform.tfvars."""
    runtime = values["runtime"]
    return template_blueprint_files(
        FOLDER,
        {
            **azure_values(values),
            "runtime": runtime,
            "runtime_version": values["runtime_version"] or DEFAULT_VERSIONS[runtime],
            "sku_name": SKUS[values["sku"]],
            "public_network_access": values["public_network_access"],
        },
    )


def extract(text: str) -> dict[str, Any]:
    """Runtime and its version, plan SKU and network exposure from the words."""
    found: dict[str, Any] = resource_group_from(text)
    word = first(
        r"(?<![\w.])(python|node\.js|nodejs|node|javascript|typescript|dotnet|\.net|c#|csharp|java|powershell)(?![\w])",
        text,
    )
    if word:
        found["runtime"] = _RUNTIME_WORDS[word.lower()]
        version = first(rf"{re.escape(word)}\s*v?(\d+(?:\.\d+)?)\b", text)
        if version:
            found["runtime_version"] = version
    sku = first(r"\b(y1|ep[1-3]|b[1-3]|s[1-3]|p[0-3]v3)\b", text)
    if sku:
        found["sku"] = sku.lower()
    elif re.search(r"\bconsumption\b", text, re.IGNORECASE):
        found["sku"] = "y1"
    elif re.search(r"\b(?:elastic\s+)?premium\b", text, re.IGNORECASE):
        found["sku"] = "ep1"
    elif re.search(r"\bdedicated\b", text, re.IGNORECASE):
        found["sku"] = "p1v3"
    if says_public(text) is False or re.search(r"\bprivate(?:\s+endpoints?|\s+only)?\b", text, re.IGNORECASE):
        found["public_network_access"] = False
    return found


FUNCTIONS = Blueprint(
    name="tf-azure-functions",
    target="terraform",
    title="Azure Functions: Linux function app, plan, secure storage, Application Insights, managed identity",
    parameters=PARAMETERS,
    render=render,
    keywords=(
        r"\bfunction[\s-]?apps?\b",
        r"\bazure\s+functions?\b",
        r"\b(?:serverless\s+)?functions?\b",
        r"\bazure\b",
        r"\bazure\b.*\b(?:functions?|serverless)\b|\b(?:functions?|serverless)\b.*\bazure\b",
    ),
    extract=extract,
    examples=(
        {"name": "orders-fn", "region": "westeurope", "runtime": "python", "sku": "p1v3"},
        {"name": "webhooks", "region": "eastus", "runtime": "node", "runtime_version": "22"},
        {"name": "reports", "runtime": "dotnet", "sku": "ep1", "public_network_access": False},
    ),
    example_ask="azure function app called orders-fn in westeurope, python 3.12, p1v3 plan",
)

BLUEPRINTS = (FUNCTIONS,)
