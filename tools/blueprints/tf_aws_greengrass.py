"""AWS IoT Greengrass V2 edge fleet (Terraform): IoT things and group, policies, artifacts, recipe.

Renders a fixed root module (`tools/blueprints/terraform/aws/tf-aws-greengrass/`), its
README and a `terraform.tfvars`. The hashicorp/aws provider has no Greengrass V2
resources (component versions and deployments exist only in hashicorp/awscc, a second
provider every user would have to install and that cannot be checked offline), so the
module builds everything around them with hashicorp/aws: an IoT thing group as the
deployment target and a thing per core device in it; the minimal Greengrass core-device
IoT policy, in which each device may only connect and use topics and shadows as itself;
the token exchange role (read only this fleet's artifacts, write only its log groups)
and its IoT role alias; a private, TLS-only, KMS-encrypted, versioned artifact bucket
with the uploaded artifact; KMS-encrypted log groups with a retention; and the
component's recipe, built with `jsonencode`, uploaded to the bucket and given as an
output together with the two AWS CLI commands that publish and deploy it. Device
certificates are not created by Terraform (their private keys would sit in the state):
the Greengrass installer or fleet provisioning creates them on the device.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
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

FOLDER = template_folder("aws", "tf-aws-greengrass")
ARCHITECTURES = ("any", "aarch64", "amd64", "armv7l")
_COMPONENT = re.compile(r"[A-Za-z][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)+")

PARAMETERS = (
    Parameter("name", "str", "name of the edge fleet, used in resource names and tags", default="edge"),
    Parameter("region", "str", "AWS region, e.g. us-east-1 or eu-west-1", default="us-east-1"),
    Parameter("devices", "int", "core devices to register as IoT things in the fleet's group", default=1),
    Parameter(
        "component_name",
        "str",
        "Greengrass component name, e.g. com.example.Inference",
        default="com.example.Inference",
    ),
    Parameter("component_version", "str", "component version, major.minor.patch", default="1.0.0"),
    Parameter(
        "artifact_path",
        "str",
        "local .zip with the component's code, uploaded and unpacked on the devices (empty: none)",
        default="",
    ),
    Parameter(
        "run_command",
        "str",
        "command the component runs (empty: python3 -u <unpacked zip>/main.py)",
        default="",
    ),
    Parameter(
        "architecture",
        "str",
        "device CPU architecture the component is for",
        default="any",
        choices=ARCHITECTURES,
    ),
    Parameter(
        "log_retention_days", "int", "days to keep the devices' logs in CloudWatch", default=30, minimum=1
    ),
)


def render(values: dict[str, Any]) -> list[GeneratedFile]:
    """The module's static files (with its README) and a terraform.tfvars with the values."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,22}[a-z0-9]", values["name"]):
        raise InputError("--set name", "2-24 lowercase letters, digits or hyphens")
    if not 0 <= values["devices"] <= 100:
        raise InputError("--set devices", "register 0 to 100 core devices")
    component = values["component_name"]
    if not _COMPONENT.fullmatch(component) or component.startswith("aws."):
        raise InputError("--set component_name", "a dotted name such as com.example.Inference (not aws.*)")
    if not re.fullmatch(r"\d+\.\d+\.\d+", values["component_version"]):
        raise InputError("--set component_version", "major.minor.patch, e.g. 1.0.0")
    artifact = values["artifact_path"]
    if artifact and not artifact.endswith(".zip"):
        raise InputError("--set artifact_path", "the artifact must be a .zip file")
    folder = PurePosixPath(artifact).stem if artifact else "app"
    run = values["run_command"] or f"python3 -u {{artifacts:decompressedPath}}/{folder}/main.py"
    return template_blueprint_files(
        FOLDER,
        {
            "name": values["name"],
            "region": values["region"],
            "core_device_count": values["devices"],
            "component_name": component,
            "component_version": values["component_version"],
            "artifact_path": artifact,
            "run_command": run,
            "platform_architecture": "" if values["architecture"] == "any" else values["architecture"],
            "log_retention_days": values["log_retention_days"],
        },
    )


def extract(text: str) -> dict[str, Any]:
    """Device count, component name and version, artifact and architecture from an ask."""
    boards = re.sub(r"\b(?:raspberry\s*pi|jetson\s+\w+)\s*\d\b", "board", text, flags=re.IGNORECASE)
    found: dict[str, Any] = {
        "devices": count_before(r"(?:[a-z][\w-]*\s+){0,2}?(?:devices?|gateways?|cores?)\b", boards),
        "component_name": first(
            r"\bcomponent\s+(?:called\s+|named\s+)?([A-Za-z][\w-]*(?:\.[A-Za-z0-9_-]+){2,})", text, 0
        ),
        "component_version": first(r"\bversion\s+v?(\d+\.\d+\.\d+)\b|\bv(\d+\.\d+\.\d+)\b", text),
        "artifact_path": first(r"(?<![\w/.-])((?:\.{0,2}/)?[\w./-]+\.zip)\b", text),
    }
    if first(r"\b(?:aarch64|arm64|raspberry\s*pi\s*[45]|jetson)\b", text):
        found["architecture"] = "aarch64"
    elif first(r"\barmv7l?\b|\braspberry\s*pi\s*3\b", text):
        found["architecture"] = "armv7l"
    elif first(r"\b(?:amd64|x86_64|x86-64)\b", text):
        found["architecture"] = "amd64"
    return found


GREENGRASS = Blueprint(
    name="tf-aws-greengrass",
    target="terraform",
    title="AWS IoT Greengrass V2 fleet: thing group, device policy, token exchange role, artifacts, recipe",
    parameters=PARAMETERS,
    render=render,
    keywords=(
        r"\bgreen\s*grass\b",
        unless_other_cloud(r"\biot\b", "aws"),
        unless_other_cloud(r"\bedge\b", "aws"),
        r"\b(?:aws|amazon)\b",
        unless_other_cloud(r"\bcore\s+devices?\b|\bthing\s+groups?\b|\bcomponents?\b", "aws"),
    ),
    extract=extract,
    examples=(
        {
            "name": "factory",
            "region": "eu-central-1",
            "devices": 3,
            "component_name": "com.acme.DefectDetector",
            "component_version": "1.2.0",
            "artifact_path": "build/defect-detector.zip",
            "architecture": "aarch64",
        },
        {"name": "kiosk", "devices": 0, "run_command": "/opt/kiosk/bin/agent --serve"},
    ),
    example_ask=(
        "greengrass edge fleet called factory in eu-central-1 with 3 core devices, "
        "component com.acme.DefectDetector version 1.2.0 from build/defect-detector.zip"
    ),
)

BLUEPRINTS = (GREENGRASS,)
