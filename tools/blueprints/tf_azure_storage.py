"""Azure storage account: HTTPS and TLS 1.2 only, no anonymous blobs, Entra ID auth, firewall on.

Renders a fixed Terraform module (`tools/blueprints/terraform/azure/tf-azure-storage/`) plus
a `terraform.tfvars`. Defaults: HTTPS only with TLS 1.2 at least; no container can be made
public; shared keys (account keys and SAS signed with them) off, so access is through
Entra ID roles; infrastructure (double) encryption; blob versioning with change feed,
and 14 days of soft delete for blobs and containers; zone-redundant replication; no
cross-tenant replication. The firewall denies by default and lets through only the IP
ranges and subnets given, plus trusted Azure services. Containers are created private
through the management plane, so the firewall does not block Terraform itself.
"""

from __future__ import annotations

import re
from typing import Any

from tools.blueprints.model import Blueprint, GeneratedFile, Parameter
from tools.blueprints.tf_gcp_azure_parts import (
    azure_parameters,
    azure_values,
    comma_list,
    first,
    resource_group_from,
)
from tools.blueprints.tf_templates import template_blueprint_files, template_folder

FOLDER = template_folder("azure", "tf-azure-storage")
REPLICATION = ("lrs", "zrs", "grs", "gzrs", "ragrs", "ragzrs")

PARAMETERS = (
    *azure_parameters("data", "base name (the account is st<name><hash>, at most 24 characters)"),
    Parameter("replication", "str", "replication", default="zrs", choices=REPLICATION),
    Parameter("access_tier", "str", "default blob access tier", default="hot", choices=("hot", "cool")),
    Parameter(
        "shared_access_key", "bool", "allow account keys and SAS (false: Entra ID only)", default=False
    ),
    Parameter("versioning", "bool", "blob versioning and change feed", default=True),
    Parameter(
        "soft_delete_days", "int", "days deleted blobs and containers can be restored", default=14, minimum=1
    ),
    Parameter("allowed_ips", "str", "comma-separated public IPs/CIDRs let through the firewall", default=""),
    Parameter("allowed_subnet_ids", "str", "comma-separated subnet IDs let through the firewall", default=""),
    Parameter("containers", "str", "comma-separated private blob containers to create", default=""),
)


def render(values: dict[str, Any]) -> list[GeneratedFile]:
    """The module's fixed files and its terraform.tfvars."""
    return template_blueprint_files(
        FOLDER,
        {
            **azure_values(values),
            "replication": values["replication"].upper(),
            "access_tier": values["access_tier"].capitalize(),
            "shared_access_key_enabled": values["shared_access_key"],
            "versioning": values["versioning"],
            "soft_delete_days": values["soft_delete_days"],
            "allowed_ips": comma_list(values["allowed_ips"]),
            "allowed_subnet_ids": comma_list(values["allowed_subnet_ids"]),
            "containers": comma_list(values["containers"]),
        },
    )


_IP = r"\b(\d{1,3}(?:\.\d{1,3}){3}(?:/\d{1,2})?)\b"
_SUBNET = r"(/subscriptions/[^\s,]+/subnets/[\w.-]+)"


def extract(text: str) -> dict[str, Any]:
    """Replication, tier, keys, versioning, soft delete, firewall openings and containers from the words."""
    found: dict[str, Any] = resource_group_from(text)
    replication = first(r"\b(ragzrs|ra-gzrs|ragrs|ra-grs|gzrs|grs|zrs|lrs)\b", text)
    if replication:
        found["replication"] = replication.lower().replace("-", "")
    elif re.search(r"\bgeo[\s-]?redundan", text, re.IGNORECASE):
        found["replication"] = "gzrs"
    tier = first(r"\b(hot|cool)\s+(?:access\s+)?tier\b|\btier\s+(hot|cool)\b", text)
    if tier:
        found["access_tier"] = tier.lower()
    if re.search(
        r"\b(?:with|enable\w*|allow\w*)\s+(?:shared\s+|account\s+)?(?:access\s+)?keys?\b|\bsas\b", text, re.I
    ):
        found["shared_access_key"] = True
    if re.search(r"\b(?:no|without|disable\w*)\s+versioning\b", text, re.IGNORECASE):
        found["versioning"] = False
    soft = first(
        r"\bsoft[\s-]?delete\s+(?:of\s+|for\s+)?(\d+)\s*days?\b|\b(\d+)\s*days?\s+(?:of\s+)?soft[\s-]?delete\b",
        text,
    )
    if soft:
        found["soft_delete_days"] = int(soft)
    ips = re.findall(_IP, text)
    if ips:
        found["allowed_ips"] = ",".join(ips)
    subnets = re.findall(_SUBNET, text)
    if subnets:
        found["allowed_subnet_ids"] = ",".join(subnets)
    containers = first(
        r"\bcontainers?\s+(?:called\s+|named\s+)?([a-z0-9][a-z0-9-]+(?:\s*(?:,|and)\s*[a-z0-9][a-z0-9-]+)*)",
        text,
    )
    if containers:
        names = [part for part in re.split(r"\s*(?:,|\band\b)\s*", containers) if part]
        found["containers"] = ",".join(names)
    return found


STORAGE = Blueprint(
    name="tf-azure-storage",
    target="terraform",
    title="Azure storage account: HTTPS/TLS 1.2, no public blobs, Entra ID only, versioning, firewall deny",
    parameters=PARAMETERS,
    render=render,
    keywords=(
        r"\bstorage\s+account\b",
        r"\bblob(?:\s+storage|\s+containers?)?\b|\badls\b|\bdata\s+lake\b",
        r"\bazure\b",
        # A product name weighs more than a feature word another cloud's bucket also matches.
        r"\bstorage\s+accounts?\b|\bazure\s+blob\b|\bsoft[\s-]?delete\b",
        r"\bazure\b.*\b(?:storage|buckets?|blobs?)\b|\b(?:storage|buckets?|blobs?)\b.*\bazure\b",
    ),
    extract=extract,
    examples=(
        {
            "name": "datalake",
            "region": "westeurope",
            "replication": "gzrs",
            "allowed_ips": "203.0.113.0/24",
            "containers": "raw,curated",
        },
        {"name": "logs", "region": "eastus", "resource_group": "rg-shared", "create_resource_group": False},
        {
            "name": "legacy",
            "shared_access_key": True,
            "versioning": False,
            "access_tier": "cool",
            "replication": "lrs",
        },
    ),
    example_ask="azure storage account called datalake in westeurope, gzrs, containers raw and curated",
)

BLUEPRINTS = (STORAGE,)
