"""AWS VPC (Terraform): public and private subnets over N availability zones, NAT, flow logs.

Renders a fixed root module (`tools/blueprints/terraform/aws/tf-aws-vpc/`) and a
`terraform.tfvars` with the asked values. One public and one private subnet per zone
(tagged for EKS load balancers); the private subnets reach the internet through one NAT
gateway (the default: cheapest) or one per zone (`per_az`: an AZ outage does not cut the
others off), or not at all (`none`). Public subnets do not hand out public IPs by
default. VPC flow logs (all traffic, one-minute aggregation, a year's retention) go to a
CloudWatch Logs group encrypted with a customer-managed KMS key with rotation; the flow
log role may write only to that group. The default security group is managed with no
rules, so nothing is attached to an allow-all group by accident. Everything is tagged
through the provider's default tags.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from tools.blueprints.model import Blueprint, GeneratedFile, Parameter
from tools.blueprints.tf_templates import (
    count_before,
    first,
    template_blueprint_files,
    template_folder,
    unless_other_cloud,
)
from tools.errors import InputError

FOLDER = template_folder("aws", "tf-aws-vpc")
RETENTION_DAYS = (
    1,
    3,
    5,
    7,
    14,
    30,
    60,
    90,
    120,
    150,
    180,
    365,
    400,
    545,
    731,
    1096,
    1827,
    2192,
    2557,
    2922,
    3288,
    3653,
)

PARAMETERS = (
    Parameter("name", "str", "name of the VPC, used in resource names and tags", default="main"),
    Parameter("region", "str", "AWS region, e.g. us-east-1 or eu-west-1", default="us-east-1"),
    Parameter("cidr_block", "str", "IPv4 CIDR block of the VPC (/16 to /24)", default="10.0.0.0/16"),
    Parameter("az_count", "int", "availability zones to spread the subnets over (1-6)", default=3, minimum=1),
    Parameter(
        "nat_gateway",
        "str",
        "NAT for the private subnets: single (one, cheaper), per_az (one per zone, zone-resilient) or none",
        default="single",
        choices=("single", "per_az", "none"),
    ),
    Parameter(
        "flow_log_retention_days",
        "int",
        "days to keep the VPC flow logs (a CloudWatch Logs retention value, e.g. 90, 365)",
        default=365,
        minimum=1,
    ),
)


def render(values: dict[str, Any]) -> list[GeneratedFile]:
    """The module's static files and a terraform.tfvars with the values."""
    try:
        network = ipaddress.IPv4Network(values["cidr_block"], strict=True)
    except ValueError as err:
        raise InputError("--set cidr_block", f"{values['cidr_block']!r} is not an IPv4 network") from err
    if not 16 <= network.prefixlen <= 24:
        raise InputError("--set cidr_block", "the VPC prefix must be between /16 and /24")
    if values["az_count"] > 6:
        raise InputError("--set az_count", "at most 6 availability zones")
    if values["flow_log_retention_days"] not in RETENTION_DAYS:
        raise InputError(
            "--set flow_log_retention_days",
            f"CloudWatch Logs keeps logs for one of {', '.join(map(str, RETENTION_DAYS))} days",
        )
    return template_blueprint_files(
        FOLDER,
        {
            "name": values["name"],
            "region": values["region"],
            "cidr_block": str(network),
            "az_count": values["az_count"],
            "nat_gateway_mode": values["nat_gateway"],
            "flow_log_retention_days": values["flow_log_retention_days"],
        },
    )


def extract(text: str) -> dict[str, Any]:
    """AZ count, NAT mode, CIDR block and flow log retention from the words of an ask."""
    found: dict[str, Any] = {
        "az_count": count_before(r"azs?\b|availability[\s-]zones?|zones\b", text),
        "cidr_block": first(r"\b(\d{1,3}(?:\.\d{1,3}){3}/\d{1,2})\b", text),
    }
    if first(r"\bno\s+nat\b|\bwithout\s+(?:a\s+)?nat\b|\bnat[\s-]*(?:gateways?\s+)?(?:off|none)\b", text):
        found["nat_gateway"] = "none"
    elif first(
        r"\bnat\s+(?:gateways?\s+)?(?:per|in\s+each|for\s+each)\s+(?:az|zone|availability)"
        r"|\bper[\s-]az\s+nat|\b(?:ha|highly[\s-]available)\s+nat|\bnat\s+(?:gateways?\s+)?per[\s-]az\b"
        r"|\b(?:one|a)\s+nat\s+(?:gateway\s+)?(?:per|in\s+each)\s+(?:az|zone)",
        text,
    ):
        found["nat_gateway"] = "per_az"
    elif first(r"\b(?:single|one)\s+nat\b", text):
        found["nat_gateway"] = "single"
    days = first(
        r"\bflow[\s-]logs?\b[^.]*?\b(\d+)\s*days?\b|\b(\d+)[\s-]days?\s+(?:of\s+)?(?:flow[\s-]log|retention)",
        text,
    )
    if days:
        found["flow_log_retention_days"] = int(days)
    return found


VPC = Blueprint(
    name="tf-aws-vpc",
    target="terraform",
    title="AWS VPC: public/private subnets over N AZs, single or per-AZ NAT, KMS-encrypted flow logs",
    parameters=PARAMETERS,
    render=render,
    keywords=(
        r"\bvpc\b",
        unless_other_cloud(r"\b(?:private|public)\s+(?:and\s+(?:private|public)\s+)?subnets?\b", "aws"),
        unless_other_cloud(r"\bnat(?:\s+gateways?)?\b", "aws"),
        unless_other_cloud(r"\bflow[\s-]logs?\b", "aws"),
        unless_other_cloud(r"\bnetwork(?:ing)?\b(?!\s+(?:load|isolation|polic))", "aws"),
        r"\b(?:aws|amazon)\b",
    ),
    extract=extract,
    examples=(
        {"name": "prod", "region": "eu-west-1", "az_count": 3, "nat_gateway": "per_az"},
        {"name": "dev", "cidr_block": "10.20.0.0/20", "az_count": 2, "nat_gateway": "single"},
        {"name": "isolated", "az_count": 1, "nat_gateway": "none", "flow_log_retention_days": 90},
    ),
    example_ask="aws vpc called prod in eu-west-1 over 3 AZs with a NAT gateway per AZ",
)

BLUEPRINTS = (VPC,)
