"""AWS S3 bucket with secure defaults (Terraform).

Renders a fixed root module (`tools/blueprints/terraform/aws/tf-aws-s3/`) and a
`terraform.tfvars`. The bucket is private in every way S3 offers: all four public access
block flags, ACLs disabled (BucketOwnerEnforced), and a bucket policy that refuses plain
HTTP and TLS below 1.2. Objects are encrypted by default with SSE-KMS under a
customer-managed key with rotation (with an S3 bucket key, which keeps KMS costs low), or
with SSE-S3 (AES256) when asked. Versioning is on, so overwrites and deletes can be
undone; a lifecycle rule removes noncurrent versions after 90 days (keeping the newest
three), expired delete markers and incomplete multipart uploads. Server access logging
to another bucket is optional. The default name, <name>-<account id>-<region>, is unique
without guessing.
"""

from __future__ import annotations

import re
from typing import Any

from tools.blueprints.model import Blueprint, GeneratedFile, Parameter
from tools.blueprints.tf_templates import first, template_blueprint_files, template_folder, unless_other_cloud
from tools.errors import InputError

FOLDER = template_folder("aws", "tf-aws-s3")
SSE = {"kms": "aws:kms", "aes256": "AES256"}
_BUCKET = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")

PARAMETERS = (
    Parameter(
        "name",
        "str",
        "purpose of the bucket; it is named <name>-<account id>-<region> unless bucket_name is set",
        default="data",
    ),
    Parameter("region", "str", "AWS region, e.g. us-east-1 or eu-west-1", default="us-east-1"),
    Parameter(
        "bucket_name", "str", "exact, globally unique bucket name (empty: derived from name)", default=""
    ),
    Parameter(
        "encryption",
        "str",
        "default encryption: kms (SSE-KMS, customer-managed key) or aes256 (SSE-S3)",
        default="kms",
        choices=tuple(SSE),
    ),
    Parameter("versioning", "bool", "keep object versions", default=True),
    Parameter(
        "noncurrent_days", "int", "days before noncurrent object versions are removed", default=90, minimum=1
    ),
    Parameter(
        "access_log_bucket", "str", "bucket for server access logs (empty: no access logging)", default=""
    ),
)


def render(values: dict[str, Any]) -> list[GeneratedFile]:
    """The module's static files and a terraform.tfvars with the values."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,28}[a-z0-9]", values["name"]):
        raise InputError("--set name", "2-30 lowercase letters, digits or hyphens")
    for key in ("bucket_name", "access_log_bucket"):
        if values[key] and not _BUCKET.fullmatch(values[key]):
            raise InputError(f"--set {key}", f"{values[key]!r} is not a valid S3 bucket name")
    return template_blueprint_files(
        FOLDER,
        {
            "name": values["name"],
            "region": values["region"],
            "bucket_name": values["bucket_name"],
            "sse_algorithm": SSE[values["encryption"]],
            "versioning_enabled": values["versioning"],
            "noncurrent_version_expiration_days": values["noncurrent_days"],
            "access_log_bucket": values["access_log_bucket"],
        },
    )


def extract(text: str) -> dict[str, Any]:
    """Encryption, versioning, noncurrent-version days and the access log bucket from an ask."""
    found: dict[str, Any] = {}
    if first(r"\baes[-\s]?256\b|\bsse[-\s]?s3\b|\bs3[-\s]managed\s+keys?\b", text):
        found["encryption"] = "aes256"
    elif first(r"\bkms\b|\bsse[-\s]?kms\b", text):
        found["encryption"] = "kms"
    if first(
        r"\bversioning\s+(?:off|disabled|suspended)\b|\b(?:no|without|disable)\s+versioning\b|\bunversioned\b",
        text,
    ):
        found["versioning"] = False
    elif first(r"\bversioning\b|\bversioned\b", text):
        found["versioning"] = True
    days = first(
        r"\b(?:noncurrent|old|previous)\s+versions?\b[^.;]*?\b(\d+)\s*days?\b"
        r"|\b(\d+)\s*days?\b[^.;]*?\b(?:noncurrent|old|previous)\s+versions?\b",
        text,
    )
    if days:
        found["noncurrent_days"] = int(days)
    found["access_log_bucket"] = first(
        r"\b(?:access\s+)?log(?:s|ging)?\s+(?:go(?:ing)?\s+)?(?:in)?to\s+(?:the\s+)?(?:bucket\s+)?"
        r"(?!the\b|a\b|an\b|bucket\b)([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\b",
        text,
    )
    found["bucket_name"] = first(r"\bbucket\s+name\s+([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\b", text)
    return found


S3 = Blueprint(
    name="tf-aws-s3",
    target="terraform",
    title="AWS S3 bucket: public access blocked, ACLs off, TLS-only policy, SSE-KMS, versioning, lifecycle",
    parameters=PARAMETERS,
    render=render,
    keywords=(
        r"\bs3\b(?!:)",
        unless_other_cloud(r"\bbuckets?\b", "aws"),
        r"\b(?:aws|amazon)\b",
        unless_other_cloud(r"\bobject\s+storage\b", "aws"),
    ),
    extract=extract,
    examples=(
        {"name": "ml-datasets", "region": "eu-central-1", "encryption": "kms", "noncurrent_days": 30},
        {
            "name": "reports",
            "bucket_name": "acme-reports-archive",
            "encryption": "aes256",
            "versioning": False,
            "access_log_bucket": "acme-s3-access-logs",
        },
    ),
    example_ask="s3 bucket called ml-datasets in eu-central-1 with kms encryption and versioning",
)

BLUEPRINTS = (S3,)
