"""Google Cloud Storage bucket: private, uniformly accessed, versioned, with lifecycle rules.

Renders a fixed Terraform module (`tools/blueprints/terraform/gcp/tf-gcp-gcs/`) plus a
`terraform.tfvars`. Defaults are the safe ones: uniform bucket-level access (IAM only, no
object ACLs), public access prevention enforced (no allUsers grant can ever take effect),
object versioning with noncurrent versions deleted after 30 days so overwrites and
deletions can be undone without keeping every version forever, and unfinished multipart
uploads cleaned up. A Cloud KMS key (CMEK) and a retention policy are optional because
they need a key ring and make deletion deliberately hard. The bucket is named
`<project>-<name>` because bucket names are global.
"""

from __future__ import annotations

import re
from typing import Any

from tools.blueprints.model import Blueprint, GeneratedFile, Parameter
from tools.blueprints.tf_gcp_azure_parts import first, gcp_parameters, gcp_values, project_from
from tools.blueprints.tf_templates import template_blueprint_files, template_folder

FOLDER = template_folder("gcp", "tf-gcp-gcs")
STORAGE_CLASSES = ("standard", "nearline", "coldline", "archive")

PARAMETERS = (
    *gcp_parameters("data", "short bucket name; the bucket is <project>-<name>"),
    Parameter("storage_class", "str", "default storage class", default="standard", choices=STORAGE_CLASSES),
    Parameter("versioning", "bool", "keep noncurrent versions of overwritten objects", default=True),
    Parameter(
        "noncurrent_version_days",
        "int",
        "delete noncurrent versions after this many days (0: keep)",
        default=30,
        minimum=0,
    ),
    Parameter("kms_key", "str", "Cloud KMS key for CMEK (empty: Google-managed keys)", default=""),
    Parameter("retention_days", "int", "retention policy in days (0: none)", default=0, minimum=0),
    Parameter(
        "nearline_after_days", "int", "move objects to NEARLINE after N days (0: never)", default=0, minimum=0
    ),
    Parameter("expire_after_days", "int", "delete objects after N days (0: never)", default=0, minimum=0),
)


def render(values: dict[str, Any]) -> list[GeneratedFile]:
    """The module's fixed files and its terraform.tfvars."""
    return template_blueprint_files(
        FOLDER,
        {
            **gcp_values(values),
            "storage_class": values["storage_class"].upper(),
            "versioning": values["versioning"],
            "noncurrent_version_days": values["noncurrent_version_days"],
            "kms_key": values["kms_key"],
            "retention_days": values["retention_days"],
            "nearline_after_days": values["nearline_after_days"],
            "expire_after_days": values["expire_after_days"],
        },
    )


_KMS = r"\b(projects/[a-z0-9-]+/locations/[a-z0-9-]+/keyRings/[\w-]+/cryptoKeys/[\w-]+)\b"
_DAYS = r"(\d+)\s*(?:days?|d)\b"


def extract(text: str) -> dict[str, Any]:
    """Project, storage class, versioning, CMEK key, retention and lifecycle days from the words."""
    found: dict[str, Any] = {"project": project_from(text)}
    storage_class = first(r"\b(nearline|coldline|archive)\b", text)
    if storage_class and not re.search(r"\b(?:after|move|transition)\b", text, re.IGNORECASE):
        found["storage_class"] = storage_class.lower()
    if re.search(r"\b(?:no|without|disable\w*)\s+versioning\b|\bunversioned\b", text, re.IGNORECASE):
        found["versioning"] = False
    found["kms_key"] = first(_KMS, text, 0)
    retention = first(rf"\bretention(?:\s+(?:policy|period|lock))?\s+(?:of\s+)?{_DAYS}", text) or first(
        rf"\bretain(?:ed)?\s+(?:for\s+)?{_DAYS}", text
    )
    if retention:
        found["retention_days"] = int(retention)
    nearline = first(rf"\b(?:nearline|move\w*\s+to\s+nearline|cold)\s+after\s+{_DAYS}", text)
    if nearline:
        found["nearline_after_days"] = int(nearline)
    expire = first(rf"\b(?:expire|delete)\w*\s+(?:objects\s+)?after\s+{_DAYS}", text)
    if expire:
        found["expire_after_days"] = int(expire)
    noncurrent = first(rf"\b(?:noncurrent|old)\s+versions?\s+(?:for\s+|after\s+)?{_DAYS}", text)
    if noncurrent:
        found["noncurrent_version_days"] = int(noncurrent)
    return found


GCS = Blueprint(
    name="tf-gcp-gcs",
    target="terraform",
    title="Google Cloud Storage bucket: uniform access, public access prevention, versioning, lifecycle",
    parameters=PARAMETERS,
    render=render,
    keywords=(
        r"\bgcs\b",
        r"\bgoogle\s+cloud\s+storage\b",
        r"\bbuckets?\b",
        r"\b(?:gcp|google(?:\s+cloud)?)\b",
        r"\b(?:gcp|google)\b.*\b(?:buckets?|object\s+storage)\b|\b(?:buckets?|object\s+storage)\b.*\b(?:gcp|google)\b",
        # A product name weighs more than a feature word another cloud's bucket also matches.
        r"\bgcs\b|\bgoogle\s+cloud\s+storage\b|\bcmek\b",
    ),
    extract=extract,
    examples=(
        {
            "project": "acme-prod",
            "name": "ml-datasets",
            "kms_key": "projects/acme-prod/locations/europe-west1/keyRings/storage/cryptoKeys/gcs",
            "retention_days": 30,
            "nearline_after_days": 90,
        },
        {
            "project": "acme-dev",
            "name": "scratch",
            "region": "us",
            "versioning": False,
            "expire_after_days": 14,
        },
        {"project": "acme-dev", "name": "archive", "region": "eu", "storage_class": "archive"},
    ),
    example_ask="a gcs bucket called ml-datasets in project acme-prod, europe-west1, nearline after 90 days",
)

BLUEPRINTS = (GCS,)
