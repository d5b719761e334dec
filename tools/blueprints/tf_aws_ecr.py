"""AWS ECR repository (Terraform): immutable tags, scan on push, KMS, a lifecycle policy.

Renders a fixed root module (`tools/blueprints/terraform/aws/tf-aws-ecr/`) and a
`terraform.tfvars`. Tags are immutable, so `api:1.4.2` always means the same image (a
deployment is reproducible and a compromised pipeline cannot swap an image under a
released tag); every push is scanned for known vulnerabilities; images are encrypted
with a customer-managed KMS key with rotation. The lifecycle policy expires untagged
images after 14 days and keeps the 30 most recent images, so storage does not grow
without bound. Pulls from other accounts are opt-in, by account ID.
"""

from __future__ import annotations

import re
from typing import Any

from tools.blueprints.model import Blueprint, GeneratedFile, Parameter
from tools.blueprints.tf_templates import (
    first,
    split_list,
    template_blueprint_files,
    template_folder,
    unless_other_cloud,
)
from tools.errors import InputError

FOLDER = template_folder("aws", "tf-aws-ecr")
_REPOSITORY = re.compile(r"[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*")

PARAMETERS = (
    Parameter("name", "str", "repository name, optionally with namespaces (team/api)", default="app"),
    Parameter("region", "str", "AWS region, e.g. us-east-1 or eu-west-1", default="us-east-1"),
    Parameter("keep_images", "int", "most recent images to keep", default=30, minimum=1),
    Parameter("untagged_expiry_days", "int", "days before untagged images expire", default=14, minimum=1),
    Parameter("scan_on_push", "bool", "scan every pushed image for vulnerabilities", default=True),
    Parameter(
        "pull_account_ids", "str", "other AWS account IDs allowed to pull, comma-separated", default=""
    ),
)


def render(values: dict[str, Any]) -> list[GeneratedFile]:
    """The module's static files and a terraform.tfvars with the values."""
    if not _REPOSITORY.fullmatch(values["name"]) or not 2 <= len(values["name"]) <= 256:
        raise InputError("--set name", "an ECR repository name: lowercase, digits, . _ - and / namespaces")
    accounts = split_list(values["pull_account_ids"])
    for account in accounts:
        if not re.fullmatch(r"\d{12}", account):
            raise InputError("--set pull_account_ids", f"{account!r} is not a 12-digit AWS account ID")
    return template_blueprint_files(
        FOLDER,
        {
            "name": values["name"],
            "region": values["region"],
            "scan_on_push": values["scan_on_push"],
            "keep_images": values["keep_images"],
            "untagged_expiry_days": values["untagged_expiry_days"],
            "pull_account_ids": accounts,
        },
    )


def extract(text: str) -> dict[str, Any]:
    """Images to keep, untagged expiry, scanning, pull accounts and a repository name from an ask."""
    found: dict[str, Any] = {}
    keep = first(
        r"\bkeep(?:ing|s)?\s+(?:only\s+)?(?:the\s+)?(?:last\s+|latest\s+|newest\s+|most\s+recent\s+)?(\d+)"
        r"(?:\s+(?:most\s+recent|latest|newest))?\s+(?:images|tags|versions)\b"
        r"|\b(?:last|latest)\s+(\d+)\s+images\b",
        text,
    )
    if keep:
        found["keep_images"] = int(keep)
    untagged = first(r"\buntagged\b[^.;]*?\b(\d+)\s*days?\b", text)
    if untagged:
        found["untagged_expiry_days"] = int(untagged)
    if first(
        r"\b(?:no|without|disable)\s+(?:image\s+)?scan(?:ning)?\b|\bscan(?:ning)?\s+(?:off|disabled)\b", text
    ):
        found["scan_on_push"] = False
    accounts = re.findall(r"\b\d{12}\b", text)
    if accounts and first(r"\bpull|\baccounts?\b|\bcross[\s-]account\b", text):
        found["pull_account_ids"] = ",".join(accounts)
    found["name"] = first(
        r"\b(?:repo(?:sitory)?|registry)\s+(?:for\s+)?(?!called\b|named\b|with\b|in\b|on\b|for\b|that\b)"
        r"([a-z0-9]+(?:[._-][a-z0-9]+)*/[a-z0-9]+(?:[._-][a-z0-9]+)*)",
        text,
        0,
    )
    return found


ECR = Blueprint(
    name="tf-aws-ecr",
    target="terraform",
    title="AWS ECR repository: immutable tags, scan on push, KMS encryption, lifecycle keeping N images",
    parameters=PARAMETERS,
    render=render,
    keywords=(
        r"(?<![.\w])ecr\b(?!\.)",
        unless_other_cloud(
            r"\b(?:container|docker|image)\s+(?:image\s+)?(?:registry|repo(?:sitory)?)\b", "aws"
        ),
        unless_other_cloud(r"\brepo(?:s|sitory|sitories)?\b|\bregistry\b", "aws"),
        unless_other_cloud(r"\b(?:docker|container)\s+images?\b", "aws"),
        r"\b(?:aws|amazon)\b",
        r"\bscan\s+on\s+push\b|\bimmutable\s+tags?\b",
    ),
    extract=extract,
    examples=(
        {"name": "ml/inference", "region": "us-west-2", "keep_images": 50},
        {
            "name": "api",
            "keep_images": 10,
            "untagged_expiry_days": 3,
            "pull_account_ids": "111122223333,444455556666",
        },
    ),
    example_ask="ecr repository ml/inference in us-west-2 keeping the last 50 images",
)

BLUEPRINTS = (ECR,)
