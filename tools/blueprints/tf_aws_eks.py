"""AWS EKS cluster with a GPU node group (Terraform), on subnets the caller gives.

Renders a fixed root module (`tools/blueprints/terraform/aws/tf-aws-eks/`) and a
`terraform.tfvars`. The API endpoint is private by default (the EKS default is public);
a public endpoint is only rendered together with the CIDR ranges allowed to reach it,
never 0.0.0.0/0. Kubernetes secrets are encrypted with a customer-managed KMS key with
rotation, every control-plane log type goes to a KMS-encrypted log group with a
retention, and access uses EKS access entries (API mode). Two managed node groups share
a node role with only the three AWS node policies: NVIDIA GPU nodes (default g5.xlarge on
the Amazon Linux 2023 NVIDIA AMI, which AWS keeps current; AL2 GPU AMIs stop at 1.32),
tainted `nvidia.com/gpu=true:NoSchedule` so only GPU workloads land there and allowed to
scale to zero, and general-purpose nodes for system pods. Nodes get encrypted gp3 root
volumes and IMDSv2 with a hop limit of 1 (pods cannot take the node role's credentials).
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

FOLDER = template_folder("aws", "tf-aws-eks")
AMI_TYPES = {"al2023": "AL2023_x86_64_NVIDIA", "al2": "AL2_x86_64_GPU"}
_GPU_FAMILY = r"[gp]\d[a-z]*\.\d*(?:x?large|metal)"
_GPU_TYPE = rf"\b({_GPU_FAMILY})\b"
_CPU_TYPE = r"\b((?![gp]\d)[a-z]\d[a-z-]*\.\d*(?:nano|micro|small|medium|x?large|metal))\b"
_SUBNET = re.compile(r"\bsubnet-[0-9a-f]{8,17}\b")
_CIDR = re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}/\d{1,2}\b")
_ARN = re.compile(r"\barn:aws[a-z-]*:iam::\d{12}:(?:role|user)/[\w+=,.@/-]+")

PARAMETERS = (
    Parameter("name", "str", "name of the EKS cluster, used in resource names and tags", default="ml"),
    Parameter("region", "str", "AWS region, e.g. us-east-1 or eu-west-1", default="us-east-1"),
    Parameter(
        "subnet_ids",
        "str",
        "private subnet IDs for the cluster and nodes, comma-separated, two AZs at least "
        "(empty: Terraform asks for them)",
        default="",
    ),
    Parameter("kubernetes_version", "str", "Kubernetes version (major.minor)", default="1.33"),
    Parameter("gpu_instance_type", "str", "EC2 instance type of the GPU nodes", default="g5.xlarge"),
    Parameter(
        "gpu_ami",
        "str",
        "GPU node AMI: al2023 (AL2023_x86_64_NVIDIA) or al2 (AL2_x86_64_GPU, Kubernetes <= 1.32)",
        default="al2023",
        choices=tuple(AMI_TYPES),
    ),
    Parameter("gpu_nodes", "int", "GPU nodes to start with (the group may scale to zero)", default=1),
    Parameter("gpu_max_nodes", "int", "maximum number of GPU nodes", default=4, minimum=1),
    Parameter("spot", "bool", "run the GPU nodes on Spot capacity", default=False),
    Parameter(
        "cpu_instance_type", "str", "EC2 instance type of the general-purpose nodes", default="m6i.large"
    ),
    Parameter("cpu_nodes", "int", "general-purpose nodes (the minimum and the start)", default=2, minimum=1),
    Parameter("cpu_max_nodes", "int", "maximum number of general-purpose nodes", default=4, minimum=1),
    Parameter(
        "public_access_cidrs",
        "str",
        "CIDR ranges allowed to reach a public API endpoint, comma-separated (empty: private endpoint only)",
        default="",
    ),
    Parameter(
        "admin_principal_arns",
        "str",
        "IAM role/user ARNs to make cluster admins, comma-separated",
        default="",
    ),
)


def _cidrs(text: str) -> list[str]:
    cidrs: list[str] = []
    for item in split_list(text):
        try:
            network = ipaddress.ip_network(item, strict=True)
        except ValueError as err:
            raise InputError("--set public_access_cidrs", f"{item!r} is not a CIDR block") from err
        if network.prefixlen == 0:
            raise InputError("--set public_access_cidrs", "the API must not be open to the whole internet")
        if network.version != 4:
            raise InputError("--set public_access_cidrs", f"{item}: EKS public access CIDRs are IPv4")
        cidrs.append(str(network))
    return cidrs


def render(values: dict[str, Any]) -> list[GeneratedFile]:
    """The module's static files and a terraform.tfvars with the values."""
    subnets = split_list(values["subnet_ids"])
    bad = [s for s in subnets if not _SUBNET.fullmatch(s)]
    if bad:
        raise InputError("--set subnet_ids", f"{bad[0]!r} is not a subnet ID (subnet-...)")
    if subnets and len(subnets) < 2:
        raise InputError("--set subnet_ids", "EKS needs subnets in at least two availability zones")
    if not re.fullmatch(r"1\.\d{2}", values["kubernetes_version"]):
        raise InputError("--set kubernetes_version", "give major.minor, e.g. 1.33")
    if not re.fullmatch(_GPU_FAMILY, values["gpu_instance_type"]):
        raise InputError("--set gpu_instance_type", "expected an NVIDIA GPU instance type such as g5.xlarge")
    if values["gpu_ami"] == "al2" and int(values["kubernetes_version"].split(".")[1]) > 32:
        raise InputError("--set gpu_ami", "Amazon Linux 2 GPU AMIs stop at Kubernetes 1.32; use al2023")
    admins = split_list(values["admin_principal_arns"])
    for arn in admins:
        if not _ARN.fullmatch(arn):
            raise InputError("--set admin_principal_arns", f"{arn!r} is not an IAM role or user ARN")
    cidrs = _cidrs(values["public_access_cidrs"])
    gpu_desired = max(0, values["gpu_nodes"])
    cpu_nodes = values["cpu_nodes"]
    return template_blueprint_files(
        FOLDER,
        {
            "name": values["name"],
            "region": values["region"],
            "kubernetes_version": values["kubernetes_version"],
            "subnet_ids": subnets or None,
            "endpoint_public_access": bool(cidrs),
            "public_access_cidrs": cidrs,
            "admin_principal_arns": admins,
            "gpu_instance_type": values["gpu_instance_type"],
            "gpu_ami_type": AMI_TYPES[values["gpu_ami"]],
            "gpu_capacity_type": "SPOT" if values["spot"] else "ON_DEMAND",
            "gpu_min_size": 0,
            "gpu_desired_size": gpu_desired,
            "gpu_max_size": max(values["gpu_max_nodes"], gpu_desired, 1),
            "cpu_instance_type": values["cpu_instance_type"],
            "cpu_min_size": cpu_nodes,
            "cpu_desired_size": cpu_nodes,
            "cpu_max_size": max(values["cpu_max_nodes"], cpu_nodes),
        },
    )


def extract(text: str) -> dict[str, Any]:
    """Instance types, versions, node counts, AMI, Spot, subnets, public CIDRs and admins from an ask."""
    found: dict[str, Any] = {
        "gpu_instance_type": first(_GPU_TYPE, text),
        "cpu_instance_type": first(_CPU_TYPE, text),
        "kubernetes_version": first(
            r"\b(?:kubernetes|k8s|eks|version)\s+(?:version\s+)?v?(1\.\d{2})\b|\bv?(1\.\d{2})\s+(?:cluster|eks)",
            text,
        ),
    }
    if first(r"\bal2023\b|\bamazon\s+linux\s+2023\b", text):
        found["gpu_ami"] = "al2023"
    elif first(r"\bal2\b|\bamazon\s+linux\s+2\b|\bal2_x86_64_gpu\b", text):
        found["gpu_ami"] = "al2"
    gpu = first(r"\b(\d+)\s+(?:[\w.-]+\s+)?gpu\s+(?:nodes?|instances?|machines?|workers?)\b", text)
    if gpu:
        found["gpu_nodes"] = int(gpu)
    gpu_max = first(r"\bgpu\b[^.;]*?\b(?:up\s+to|max(?:imum)?(?:\s+of)?)\s+(\d+)\b", text)
    if gpu_max:
        found["gpu_max_nodes"] = int(gpu_max)
    cpu = first(
        r"\b(\d+)\s+(?:[\w.-]+\s+)?(?:cpu|general[\s-]purpose|system)\s+(?:nodes?|instances?)\b", text
    )
    if cpu:
        found["cpu_nodes"] = int(cpu)
    if first(r"\bspot\b", text):
        found["spot"] = not first(r"\b(?:no|without|not?\s+on)\s+spot\b", text)
    subnets = _SUBNET.findall(text)
    if subnets:
        found["subnet_ids"] = ",".join(subnets)
    if first(r"\bpublic\b", text):
        cidrs = [c for c in _CIDR.findall(text) if not c.endswith("/0")]
        if cidrs:
            found["public_access_cidrs"] = ",".join(cidrs)
    admins = _ARN.findall(text)
    if admins:
        found["admin_principal_arns"] = ",".join(admins)
    return found


EKS = Blueprint(
    name="tf-aws-eks",
    target="terraform",
    title="AWS EKS: private cluster, KMS secrets, control-plane logs, GPU (tainted) and CPU node groups",
    parameters=PARAMETERS,
    render=render,
    keywords=(
        r"\beks\b",
        unless_other_cloud(r"\bkubernetes\s+cluster\b|\bk8s\s+cluster\b", "aws"),
        unless_other_cloud(r"\bgpus?\b|\bnvidia\b", "aws", excluding=r"ec2|sagemaker"),
        unless_other_cloud(r"\bnode\s*groups?\b", "aws"),
        r"\b(?:aws|amazon)\b",
        r"(?<![.\w])(?:g4dn|g5|g6e?|p4de?|p5e?)\.\d*x?large\b",
    ),
    extract=extract,
    examples=(
        {
            "name": "ml",
            "region": "us-west-2",
            "subnet_ids": "subnet-0a1b2c3d4e5f60001,subnet-0a1b2c3d4e5f60002,subnet-0a1b2c3d4e5f60003",
            "gpu_instance_type": "g5.2xlarge",
            "gpu_nodes": 2,
            "gpu_max_nodes": 6,
        },
        {
            "name": "research",
            "subnet_ids": "subnet-0123456789abcdef0,subnet-0123456789abcdef1",
            "kubernetes_version": "1.32",
            "gpu_ami": "al2",
            "gpu_instance_type": "p4d.24xlarge",
            "gpu_nodes": 0,
            "spot": True,
            "public_access_cidrs": "203.0.113.0/24,198.51.100.10/32",
            "admin_principal_arns": "arn:aws:iam::123456789012:role/platform-admin",
        },
    ),
    example_ask="eks cluster called ml in us-west-2 with 2 g5.2xlarge gpu nodes, up to 6",
)

BLUEPRINTS = (EKS,)
