"""AWS RDS for PostgreSQL (Terraform): private, encrypted, TLS-only, no password in the code.

Renders a fixed root module (`tools/blueprints/terraform/aws/tf-aws-rds-postgres/`) and a
`terraform.tfvars`. The instance is never publicly accessible and sits in a DB subnet
group built from the given subnets, behind its own security group that admits only the
given CIDR blocks and security groups on 5432 (never 0.0.0.0/0). The master password is
generated and kept by RDS in Secrets Manager (`manage_master_user_password`), so no
password is ever written in Terraform code, variables or state; IAM database
authentication is on. Storage, snapshots, Performance Insights, the secret and the
exported logs use one customer-managed KMS key with rotation. A parameter group forces
TLS (`rds.force_ssl`) and logs connections. Multi-AZ, 14 days of backups, deletion
protection and a final snapshot are the defaults. The engine is pinned to a major
version by default (AWS applies minor upgrades in the maintenance window) or to an
exact version when one is given (then nothing upgrades on its own).
"""

from __future__ import annotations

import ipaddress
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

FOLDER = template_folder("aws", "tf-aws-rds-postgres")
_SUBNET = re.compile(r"\bsubnet-[0-9a-f]{8,17}\b")
_GROUP = re.compile(r"\bsg-[0-9a-f]{8,17}\b")
_VPC = re.compile(r"\bvpc-[0-9a-f]{8,17}\b")
_CIDR = re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}/\d{1,2}\b")

PARAMETERS = (
    Parameter(
        "name", "str", "identifier of the DB instance, used in resource names and tags", default="app-db"
    ),
    Parameter("region", "str", "AWS region, e.g. us-east-1 or eu-west-1", default="us-east-1"),
    Parameter(
        "engine_version",
        "str",
        "PostgreSQL major version (minor upgrades automatic) or exact major.minor (e.g. 16 or 16.8)",
        default="16",
    ),
    Parameter("instance_class", "str", "DB instance class", default="db.t4g.medium"),
    Parameter("storage_gb", "int", "initial storage in GiB (gp3, at least 20)", default=20, minimum=20),
    Parameter("max_storage_gb", "int", "storage autoscaling limit in GiB", default=100, minimum=20),
    Parameter("multi_az", "bool", "standby in another AZ with automatic failover", default=True),
    Parameter("backup_retention_days", "int", "days of automated backups (1-35)", default=14, minimum=1),
    Parameter("deletion_protection", "bool", "refuse to delete the instance", default=True),
    Parameter("performance_insights", "bool", "turn on Performance Insights (KMS-encrypted)", default=True),
    Parameter("db_name", "str", "name of the database to create", default="app"),
    Parameter("vpc_id", "str", "VPC ID (empty: Terraform asks for it)", default=""),
    Parameter(
        "subnet_ids",
        "str",
        "private subnet IDs, comma-separated, two AZs at least (empty: asked)",
        default="",
    ),
    Parameter("allowed_cidrs", "str", "client CIDR blocks allowed on 5432, comma-separated", default=""),
    Parameter(
        "allowed_security_group_ids",
        "str",
        "client security groups allowed on 5432, comma-separated",
        default="",
    ),
)


def _checked(values: dict[str, Any], key: str, pattern: re.Pattern[str], what: str) -> list[str]:
    items = split_list(values[key])
    for item in items:
        if not pattern.fullmatch(item):
            raise InputError(f"--set {key}", f"{item!r} is not {what}")
    return items


def render(values: dict[str, Any]) -> list[GeneratedFile]:
    """The module's static files and a terraform.tfvars with the values."""
    if not re.fullmatch(r"(1[3-9]|[2-9]\d)(\.\d+)?", values["engine_version"]):
        raise InputError("--set engine_version", "a PostgreSQL version from 13 on, e.g. 16 or 16.8")
    if not re.fullmatch(r"db\.[a-z0-9-]+\.[a-z0-9]+", values["instance_class"]):
        raise InputError("--set instance_class", "an RDS instance class such as db.t4g.medium")
    if not 1 <= values["backup_retention_days"] <= 35:
        raise InputError("--set backup_retention_days", "RDS keeps 1 to 35 days of backups")
    subnets = _checked(values, "subnet_ids", _SUBNET, "a subnet ID (subnet-...)")
    if subnets and len(subnets) < 2:
        raise InputError("--set subnet_ids", "a DB subnet group needs subnets in two availability zones")
    if values["vpc_id"] and not _VPC.fullmatch(values["vpc_id"]):
        raise InputError("--set vpc_id", f"{values['vpc_id']!r} is not a VPC ID (vpc-...)")
    cidrs: list[str] = []
    for item in split_list(values["allowed_cidrs"]):
        try:
            network = ipaddress.IPv4Network(item, strict=True)
        except ValueError as err:
            raise InputError("--set allowed_cidrs", f"{item!r} is not an IPv4 CIDR block") from err
        if network.prefixlen == 0:
            raise InputError("--set allowed_cidrs", "the database must not be open to the whole internet")
        cidrs.append(str(network))
    groups = _checked(values, "allowed_security_group_ids", _GROUP, "a security group ID (sg-...)")
    return template_blueprint_files(
        FOLDER,
        {
            "name": values["name"],
            "region": values["region"],
            "vpc_id": values["vpc_id"] or None,
            "subnet_ids": subnets or None,
            "allowed_cidr_blocks": cidrs,
            "allowed_security_group_ids": groups,
            "engine_version": values["engine_version"],
            "instance_class": values["instance_class"],
            "allocated_storage": values["storage_gb"],
            "max_allocated_storage": max(values["max_storage_gb"], values["storage_gb"]),
            "multi_az": values["multi_az"],
            "db_name": values["db_name"],
            "backup_retention_days": values["backup_retention_days"],
            "deletion_protection": values["deletion_protection"],
            "performance_insights_enabled": values["performance_insights"],
        },
    )


def extract(text: str) -> dict[str, Any]:
    """Version, class, storage, Multi-AZ, backups, network IDs and allowed clients from an ask."""
    found: dict[str, Any] = {
        "engine_version": first(
            r"\b(?:postgres(?:ql)?|pg|engine(?:\s+version)?)\s*v?(\d{2}(?:\.\d+)?)\b", text
        ),
        "instance_class": first(r"\b(db\.[a-z0-9-]+\.[a-z0-9]+)\b", text),
        "vpc_id": first(_VPC.pattern, text),
    }
    if first(
        r"\bsingle[\s-]az\b|\bno\s+multi[\s-]?az\b|\bwithout\s+multi[\s-]?az\b|\bnot\s+multi[\s-]?az\b", text
    ):
        found["multi_az"] = False
    elif first(r"\bmulti[\s-]?az\b|\bhigh(?:ly)?[\s-]availab(?:le|ility)\b|\bstandby\b", text):
        found["multi_az"] = True
    storage = first(r"\b(\d+)\s*(?:gb|gib)\b(?:\s+(?:of\s+)?(?:storage|disk))?", text)
    if storage:
        found["storage_gb"] = int(storage)
    backups = first(
        r"\bbackups?\b[^.;]*?\b(\d+)\s*days?\b|\b(\d+)[\s-]days?\s+(?:of\s+)?(?:backups?|retention|pitr)\b",
        text,
    )
    if backups:
        found["backup_retention_days"] = int(backups)
    if first(r"\bno\s+deletion\s+protection\b|\bdeletion\s+protection\s+(?:off|disabled)\b", text):
        found["deletion_protection"] = False
    if first(
        r"\b(?:no|without)\s+performance\s+insights\b|\bperformance\s+insights\s+(?:off|disabled)\b", text
    ):
        found["performance_insights"] = False
    subnets = _SUBNET.findall(text)
    if subnets:
        found["subnet_ids"] = ",".join(subnets)
    cidrs = [c for c in _CIDR.findall(text) if not c.endswith("/0")]
    if cidrs:
        found["allowed_cidrs"] = ",".join(cidrs)
    groups = _GROUP.findall(text)
    if groups:
        found["allowed_security_group_ids"] = ",".join(groups)
    return found


RDS_POSTGRES = Blueprint(
    name="tf-aws-rds-postgres",
    target="terraform",
    title="AWS RDS PostgreSQL: private, KMS-encrypted, TLS forced, managed master password, Multi-AZ",
    parameters=PARAMETERS,
    render=render,
    keywords=(
        r"\brds\b",
        unless_other_cloud(r"\bpostgres(?:ql)?\b|\bpg\b", "aws"),
        unless_other_cloud(r"\bdatabases?\b|\bdb\b", "aws"),
        r"\b(?:aws|amazon)\b",
    ),
    extract=extract,
    examples=(
        {
            "name": "orders-db",
            "region": "eu-west-1",
            "engine_version": "16",
            "instance_class": "db.m7g.large",
            "storage_gb": 100,
            "max_storage_gb": 500,
            "vpc_id": "vpc-0a1b2c3d4e5f60001",
            "subnet_ids": "subnet-0a1b2c3d4e5f60001,subnet-0a1b2c3d4e5f60002",
            "allowed_security_group_ids": "sg-0a1b2c3d4e5f60001",
        },
        {
            "name": "analytics",
            "engine_version": "17.4",
            "multi_az": False,
            "backup_retention_days": 7,
            "performance_insights": False,
            "vpc_id": "vpc-0123456789abcdef0",
            "subnet_ids": "subnet-0123456789abcdef0,subnet-0123456789abcdef1",
            "allowed_cidrs": "10.0.0.0/16,10.1.0.0/16",
        },
    ),
    example_ask="postgres 16 database on aws called orders-db, multi-az, db.m7g.large, 100 GB",
)

BLUEPRINTS = (RDS_POSTGRES,)
