"""Parts the Google Cloud and Azure Terraform blueprints share: common parameters and word readers.

Every GCP blueprint takes `name`, `project` (required: there is no sensible default) and
`region`; every Azure blueprint takes `name`, `region` (written to Terraform as `location`),
`resource_group` and `create_resource_group`. The readers here turn the words of an ask
("3 nodes", "min 2 instances", "public", "with a gpu") into parameter values for a
blueprint's `extract`. This module defines no blueprint (it exports no `BLUEPRINTS`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from tools.blueprints.model import Parameter

GCP_REGION = "europe-west1"
AZURE_REGION = "westeurope"

_PROJECT = re.compile(
    r"\b(?:gcp\s+|google\s+)?project(?:\s+id)?\s*(?:=|:)?\s*([a-z][a-z0-9-]{4,28}[a-z0-9])\b", re.IGNORECASE
)
_RESOURCE_GROUP = re.compile(
    r"\bresource[\s-]*group\s*(?:=|:|called|named)?\s*([A-Za-z0-9][A-Za-z0-9._()-]{0,88}[A-Za-z0-9_()])\b"
    r"|\b(?:in|into)\s+(?:the\s+)?(?:existing\s+)?(?:rg|resource\s+group)\s+([A-Za-z0-9][A-Za-z0-9._()-]*)",
    re.IGNORECASE,
)
_EXISTING_GROUP = re.compile(r"\bexisting\s+(?:rg|resource[\s-]*group)\b", re.IGNORECASE)
_PUBLIC = re.compile(
    r"\b(?:public(?:ly)?(?:\s+accessible)?|internet[\s-]facing|unauthenticated|allow[\s-]unauthenticated"
    r"|open\s+to\s+(?:the\s+)?(?:internet|world|everyone)|external(?:ly)?)\b",
    re.IGNORECASE,
)
_NOT_PUBLIC = re.compile(r"\b(?:not|non)[\s-]+public\b|\bno\s+public\b", re.IGNORECASE)
_GPU = re.compile(r"\bgpus?\b|\bnvidia\b|\baccelerators?\b|\bcuda\b", re.IGNORECASE)
_NO_GPU = re.compile(r"\b(?:no|without)\s+(?:a\s+)?gpus?\b", re.IGNORECASE)


def gcp_parameters(default_name: str, name_help: str) -> tuple[Parameter, ...]:
    """`name`, `project` and `region`, the parameters every GCP blueprint starts with."""
    return (
        Parameter("name", "str", name_help, default=default_name),
        Parameter("project", "str", "Google Cloud project ID to deploy into", required=True),
        Parameter(
            "region", "str", "Google Cloud region, e.g. europe-west1 or us-central1", default=GCP_REGION
        ),
    )


def azure_parameters(default_name: str, name_help: str) -> tuple[Parameter, ...]:
    """`name`, `region`, `resource_group` and `create_resource_group` for every Azure blueprint."""
    return (
        Parameter("name", "str", name_help, default=default_name),
        Parameter(
            "region", "str", "Azure region (location), e.g. westeurope or eastus", default=AZURE_REGION
        ),
        Parameter("resource_group", "str", "resource group name (empty: rg-<name>)", default=""),
        Parameter(
            "create_resource_group",
            "bool",
            "create the resource group (false: use an existing one of that name)",
            default=True,
        ),
    )


def gcp_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """The shared GCP tfvars, in the order they are written."""
    return {"project": values["project"], "region": values["region"], "name": values["name"]}


def azure_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """The shared Azure tfvars: the region is Terraform's `location`."""
    return {
        "name": values["name"],
        "location": str(values["region"]).replace(" ", "").lower(),
        "resource_group_name": values["resource_group"] or f"rg-{values['name']}",
        "create_resource_group": values["create_resource_group"],
    }


def comma_list(text: str) -> list[str]:
    """'a, b ,c' as ['a', 'b', 'c'] (empty text: [])."""
    return [part.strip() for part in str(text or "").split(",") if part.strip()]


def number_before(text: str, words: str) -> int | None:
    """The number in '<N> <words>' ('3 nodes'), or None."""
    match = re.search(rf"\b(\d+)\s+(?:x\s+)?(?:{words})\b", text, re.IGNORECASE)
    return int(match.group(1)) if match else None


def bound(text: str, kind: str, words: str) -> int | None:
    """A minimum or maximum: 'min 2 nodes', 'minimum of 2 replicas', 'at most 5 nodes', '2-5 nodes'."""
    if kind == "min":
        lead = r"(?:min(?:imum)?(?:\s+of)?|at\s+least)"
    else:
        lead = r"(?:max(?:imum)?(?:\s+of)?|at\s+most|up\s+to|scal\w*\s+(?:up\s+)?to|autoscal\w*\s+to)"
    match = re.search(rf"\b{lead}\s+(\d+)\s*(?:{words})?\b", text, re.IGNORECASE)
    if match:
        return int(match.group(1))
    match = re.search(rf"\b{lead}\s*(?:{words})\s*(?:of\s+|=\s*|:\s*)?(\d+)\b", text, re.IGNORECASE)
    if match:
        return int(match.group(1))
    span = re.search(rf"\b(\d+)\s*(?:-|to|\.\.)\s*(\d+)\s+(?:{words})\b", text, re.IGNORECASE)
    if span:
        return int(span.group(1) if kind == "min" else span.group(2))
    return None


def project_from(text: str) -> str | None:
    """The GCP project ID an ask names ('in project acme-prod')."""
    match = _PROJECT.search(text)
    return match.group(1).lower() if match else None


def resource_group_from(text: str) -> dict[str, Any]:
    """The resource group an ask names, and whether it says the group already exists."""
    found: dict[str, Any] = {}
    match = _RESOURCE_GROUP.search(text)
    if match:
        found["resource_group"] = next(group for group in match.groups() if group)
    if _EXISTING_GROUP.search(text):
        found["create_resource_group"] = False
    return found


def says_public(text: str) -> bool | None:
    """True when an ask says public/internet-facing, False when it says not public, else None."""
    if _NOT_PUBLIC.search(text):
        return False
    if _PUBLIC.search(text):
        return True
    return None


def says_gpu(text: str) -> bool | None:
    """True when an ask wants GPUs, False when it says without, else None."""
    if _NO_GPU.search(text):
        return False
    return True if _GPU.search(text) else None


def first(pattern: str, text: str, flags: int = re.IGNORECASE) -> str | None:
    """The first group of the first match of `pattern` in `text`, or None."""
    match = re.search(pattern, text, flags)
    return next((group for group in match.groups() if group), None) if match else None
