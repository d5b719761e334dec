"""AWS Lambda function (Terraform) with its own least-privilege role, encrypted logs and tracing.

Renders a fixed root module (`tools/blueprints/terraform/aws/tf-aws-lambda/`) and a
`terraform.tfvars`. The execution role may only write to the function's own log group,
send X-Ray traces, decrypt its environment and, when there is one, send to its
dead-letter queue; the code's own permissions are added to that role separately. The
log group is created up front with a retention and a customer-managed KMS key (Lambda
would otherwise create it unencrypted, keeping logs forever), which also encrypts the
environment variables and the dead-letter queue. Tracing is Active, concurrency is
reserved (which also caps runaway scaling), logs are JSON, and only supported runtimes
can be chosen (python3.12 by default, on arm64). The package is a local .zip or an S3
object; a VPC attachment is optional.
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

FOLDER = template_folder("aws", "tf-aws-lambda")
RUNTIMES = (
    "python3.12",
    "python3.13",
    "nodejs20.x",
    "nodejs22.x",
    "java21",
    "dotnet8",
    "ruby3.3",
    "provided.al2023",
)
HANDLERS = {
    "python": "app.handler",
    "nodejs": "index.handler",
    "java": "example.Handler::handleRequest",
    "dotnet": "Function::Function.Handler::FunctionHandler",
    "ruby": "app.handler",
    "provided": "bootstrap",
}
_SUBNET = re.compile(r"\bsubnet-[0-9a-f]{8,17}\b")
_GROUP = re.compile(r"\bsg-[0-9a-f]{8,17}\b")
_S3_URI = re.compile(r"s3://([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])/(\S+)")

PARAMETERS = (
    Parameter("name", "str", "name of the function, used in resource names and tags", default="function"),
    Parameter("region", "str", "AWS region, e.g. us-east-1 or eu-west-1", default="us-east-1"),
    Parameter("runtime", "str", "Lambda runtime", default="python3.12", choices=RUNTIMES),
    Parameter("handler", "str", "entry point (empty: the runtime's usual one, e.g. app.handler)", default=""),
    Parameter(
        "architecture", "str", "arm64 (Graviton) or x86_64", default="arm64", choices=("arm64", "x86_64")
    ),
    Parameter(
        "package",
        "str",
        "deployment package: a local .zip path or s3://bucket/key",
        default="build/function.zip",
    ),
    Parameter("memory_mb", "int", "memory in MB (128-10240)", default=256, minimum=128),
    Parameter("timeout_seconds", "int", "maximum run time per invocation (1-900)", default=30, minimum=1),
    Parameter(
        "reserved_concurrency", "int", "reserved (and maximum) concurrent executions (-1: none)", default=10
    ),
    Parameter("log_retention_days", "int", "days to keep the function's logs", default=90, minimum=1),
    Parameter(
        "dead_letter_queue", "bool", "KMS-encrypted SQS dead-letter queue for async failures", default=True
    ),
    Parameter(
        "subnet_ids", "str", "subnets to attach the function to, comma-separated (empty: no VPC)", default=""
    ),
    Parameter(
        "security_group_ids", "str", "security groups for the VPC attachment, comma-separated", default=""
    ),
)


def _ids(values: dict[str, Any], key: str, pattern: re.Pattern[str], what: str) -> list[str]:
    items = split_list(values[key])
    for item in items:
        if not pattern.fullmatch(item):
            raise InputError(f"--set {key}", f"{item!r} is not {what}")
    return items


def render(values: dict[str, Any]) -> list[GeneratedFile]:
    """The module's static files and a terraform.tfvars with the values."""
    if not re.fullmatch(r"[A-Za-z0-9_-]{2,56}", values["name"]):
        raise InputError("--set name", "2-56 letters, digits, hyphens or underscores")
    if not 128 <= values["memory_mb"] <= 10240:
        raise InputError("--set memory_mb", "Lambda memory is 128 to 10240 MB")
    if values["timeout_seconds"] > 900:
        raise InputError("--set timeout_seconds", "Lambda runs for at most 900 seconds")
    if values["reserved_concurrency"] < -1:
        raise InputError("--set reserved_concurrency", "-1 (no reservation) or a number of executions")
    package = values["package"].strip()
    s3 = _S3_URI.fullmatch(package)
    if package.startswith("s3://") and s3 is None:
        raise InputError("--set package", "an S3 package is s3://bucket/key")
    subnets = _ids(values, "subnet_ids", _SUBNET, "a subnet ID (subnet-...)")
    groups = _ids(values, "security_group_ids", _GROUP, "a security group ID (sg-...)")
    if subnets and not groups:
        raise InputError("--set security_group_ids", "a function in a VPC needs at least one security group")
    family = re.match(r"[a-z]+", values["runtime"])
    handler = values["handler"] or HANDLERS[family.group(0) if family else "python"]
    return template_blueprint_files(
        FOLDER,
        {
            "name": values["name"],
            "region": values["region"],
            "runtime": values["runtime"],
            "handler": handler,
            "architecture": values["architecture"],
            "package_path": "" if s3 else package,
            "s3_bucket": s3.group(1) if s3 else "",
            "s3_key": s3.group(2) if s3 else "",
            "memory_size": values["memory_mb"],
            "timeout": values["timeout_seconds"],
            "reserved_concurrency": values["reserved_concurrency"],
            "log_retention_days": values["log_retention_days"],
            "dead_letter_queue": values["dead_letter_queue"],
            "subnet_ids": subnets,
            "security_group_ids": groups,
        },
    )


def _runtime(text: str) -> str | None:
    python = first(r"\bpython\s*(3\.1[23])\b", text)
    if python:
        return f"python{python}"
    node = first(r"\bnode(?:\.?js)?\s*v?(2[02])(?:\.x)?\b", text)
    if node:
        return f"nodejs{node}.x"
    if first(r"\bjava\s*21\b|\bjava\b", text):
        return "java21"
    if first(r"\b(?:\.net|dotnet|c#)\s*8?\b", text):
        return "dotnet8"
    if first(r"\bruby\b", text):
        return "ruby3.3"
    if first(r"\b(?:go(?:lang)?|rust|provided(?:\.al2023)?|custom\s+runtime)\b", text):
        return "provided.al2023"
    if first(r"\bpython\b", text):
        return "python3.12"
    if first(r"\bnode(?:\.?js)?\b|\btypescript\b", text):
        return "nodejs22.x"
    return None


def extract(text: str) -> dict[str, Any]:
    """Runtime, memory, timeout, concurrency, package, DLQ, architecture and VPC from an ask."""
    found: dict[str, Any] = {
        "runtime": _runtime(text),
        "handler": first(r"\bhandler\s+([\w./-]+(?:::[\w.]+)*)", text),
    }
    memory = first(r"\b(\d+)\s*mb\b", text)
    memory_gb = first(r"\b(\d+(?:\.\d+)?)\s*gb\b(?:\s+(?:of\s+)?(?:memory|ram))?", text)
    if memory:
        found["memory_mb"] = int(memory)
    elif memory_gb:
        found["memory_mb"] = int(float(memory_gb) * 1024)
    seconds = first(
        r"\btime\s*out\s+(?:of\s+)?(\d+)\s*(?:s|secs?|seconds?)\b|\b(\d+)\s*(?:s|secs?|seconds?)\s+time\s*out\b",
        text,
    )
    minutes = first(
        r"\btime\s*out\s+(?:of\s+)?(\d+)\s*(?:m|mins?|minutes?)\b|\b(\d+)\s*(?:mins?|minutes?)\s+time\s*out",
        text,
    )
    if seconds:
        found["timeout_seconds"] = int(seconds)
    elif minutes:
        found["timeout_seconds"] = int(minutes) * 60
    concurrency = first(
        r"\bconcurrency\s+(?:of\s+|limit\s+(?:of\s+)?)?(\d+)\b|\b(\d+)\s+(?:reserved\s+)?concurren", text
    )
    if concurrency:
        found["reserved_concurrency"] = int(concurrency)
    found["package"] = first(
        r"(s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/\S+)|(?<![\w/.-])((?:\.{0,2}/)?[\w./-]+\.zip)\b", text
    )
    if first(r"\b(?:no|without)\s+(?:a\s+)?(?:dlq|dead[\s-]letter)", text):
        found["dead_letter_queue"] = False
    elif first(r"\bdlq\b|\bdead[\s-]letter", text):
        found["dead_letter_queue"] = True
    if first(r"\barm64\b|\bgraviton\b|\barm\b", text):
        found["architecture"] = "arm64"
    elif first(r"\bx86(?:_64)?\b|\bamd64\b|\bintel\b", text):
        found["architecture"] = "x86_64"
    subnets = _SUBNET.findall(text)
    if subnets:
        found["subnet_ids"] = ",".join(subnets)
    groups = _GROUP.findall(text)
    if groups:
        found["security_group_ids"] = ",".join(groups)
    retention = first(r"\blogs?\b[^.;]*?\b(\d+)\s*days?\b", text)
    if retention:
        found["log_retention_days"] = int(retention)
    return found


LAMBDA = Blueprint(
    name="tf-aws-lambda",
    target="terraform",
    title="AWS Lambda: least-privilege role, KMS-encrypted logs with retention, X-Ray, reserved concurrency",
    parameters=PARAMETERS,
    render=render,
    keywords=(
        r"\blambdas?\b",
        unless_other_cloud(r"(?<!step\s)\bfunctions?\b(?!\s+apps?\b)", "aws"),
        r"\b(?:aws|amazon)\b",
        r"\breserved\s+concurrency\b",
    ),
    extract=extract,
    examples=(
        {
            "name": "thumbnailer",
            "region": "eu-west-1",
            "runtime": "python3.12",
            "package": "build/thumbnailer.zip",
            "memory_mb": 512,
            "timeout_seconds": 60,
            "reserved_concurrency": 20,
        },
        {
            "name": "orders-api",
            "runtime": "nodejs20.x",
            "architecture": "x86_64",
            "package": "s3://acme-artifacts/orders-api/1.4.2.zip",
            "dead_letter_queue": False,
            "reserved_concurrency": -1,
            "subnet_ids": "subnet-0a1b2c3d4e5f60001,subnet-0a1b2c3d4e5f60002",
            "security_group_ids": "sg-0a1b2c3d4e5f60001",
        },
    ),
    example_ask="lambda function called thumbnailer in python 3.12 with 512 MB, timeout 60s, concurrency 20",
)

BLUEPRINTS = (LAMBDA,)
