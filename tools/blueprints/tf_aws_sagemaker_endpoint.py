"""AWS SageMaker real-time endpoint (Terraform): model, endpoint configuration, endpoint, role.

Renders a fixed root module (`tools/blueprints/terraform/aws/tf-aws-sagemaker-endpoint/`)
and a `terraform.tfvars`. The execution role is least privilege: it may pull only the
given ECR image's repository, read only the given model archive, write only the
endpoint's own log group and metrics, use only the module's KMS key, and (with data
capture) write only under the capture prefix. The container runs with network isolation
by default (no outbound traffic; SageMaker still fetches the model). A customer-managed
KMS key with rotation encrypts the ML storage volume (skipped for instance types with
local NVMe storage, which SageMaker refuses a key for and encrypts in hardware),
captured data and logs; the log group has a retention. Models and endpoint
configurations are replaced create-before-destroy, so a new image or model switches the
endpoint over without downtime. Data capture and invocation-based autoscaling are
optional.
"""

from __future__ import annotations

import re
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

FOLDER = template_folder("aws", "tf-aws-sagemaker-endpoint")
_ECR_IMAGE = re.compile(
    r"\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?/[a-z0-9._/-]+(?::[A-Za-z0-9._-]+|@sha256:[0-9a-f]{64})"
)
_MODEL_DATA = re.compile(r"s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/\S+\.tar\.gz")
_S3_PREFIX = re.compile(r"s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](?:/\S*)?")

PARAMETERS = (
    Parameter("name", "str", "name of the endpoint, used in resource names and tags", default="model"),
    Parameter("region", "str", "AWS region, e.g. us-east-1 or eu-west-1", default="us-east-1"),
    Parameter(
        "image",
        "str",
        "inference image in ECR with a tag, e.g. 763104351884.dkr.ecr.us-east-1.amazonaws.com/"
        "pytorch-inference:2.3.0-gpu-py311",
        required=True,
    ),
    Parameter(
        "model_data_url",
        "str",
        "S3 URL of the model archive, s3://bucket/path/model.tar.gz (empty: the image brings the model)",
        default="",
    ),
    Parameter(
        "instance_type", "str", "ML instance type, e.g. ml.m5.xlarge or ml.g5.xlarge", default="ml.m5.xlarge"
    ),
    Parameter("instance_count", "int", "instances at start (2+ spreads over AZs)", default=1, minimum=1),
    Parameter(
        "autoscale_max", "int", "autoscale on invocations up to this many instances (0: off)", default=0
    ),
    Parameter("network_isolation", "bool", "no outbound network access for the container", default=True),
    Parameter(
        "data_capture_s3_uri",
        "str",
        "s3://bucket/prefix for captured requests/responses (empty: off)",
        default="",
    ),
    Parameter(
        "data_capture_percent", "int", "percentage of requests captured (1-100)", default=100, minimum=1
    ),
)


def render(values: dict[str, Any]) -> list[GeneratedFile]:
    """The module's static files and a terraform.tfvars with the values."""
    if not re.fullmatch(r"[a-zA-Z0-9](-*[a-zA-Z0-9]){1,39}", values["name"]):
        raise InputError(
            "--set name", "2-40 letters, digits or hyphens, starting and ending with a letter or digit"
        )
    if not _ECR_IMAGE.fullmatch(values["image"]):
        raise InputError(
            "--set image",
            "SageMaker pulls from Amazon ECR: <account>.dkr.ecr.<region>.amazonaws.com/<repo>:<tag>",
        )
    if values["model_data_url"] and not _MODEL_DATA.fullmatch(values["model_data_url"]):
        raise InputError("--set model_data_url", "the model archive is s3://bucket/key.tar.gz")
    if values["data_capture_s3_uri"] and not _S3_PREFIX.fullmatch(values["data_capture_s3_uri"]):
        raise InputError("--set data_capture_s3_uri", "give s3://bucket/prefix")
    if not re.fullmatch(r"ml\.[a-z0-9-]+\.[a-z0-9]+", values["instance_type"]):
        raise InputError("--set instance_type", "an ML instance type such as ml.m5.xlarge")
    if values["data_capture_percent"] > 100:
        raise InputError("--set data_capture_percent", "at most 100")
    return template_blueprint_files(
        FOLDER,
        {
            "name": values["name"],
            "region": values["region"],
            "image_uri": values["image"],
            "model_data_url": values["model_data_url"],
            "instance_type": values["instance_type"],
            "initial_instance_count": values["instance_count"],
            "autoscaling_max_instances": max(0, values["autoscale_max"]),
            "network_isolation": values["network_isolation"],
            "data_capture_s3_uri": values["data_capture_s3_uri"],
            "data_capture_percentage": values["data_capture_percent"],
        },
    )


def extract(text: str) -> dict[str, Any]:
    """Image, model archive, instance type and count, data capture from an ask (autoscale_max is shared)."""
    found: dict[str, Any] = {
        "image": first(rf"({_ECR_IMAGE.pattern})", text, 0),
        "model_data_url": first(rf"({_MODEL_DATA.pattern})", text, 0),
        "instance_type": first(r"\b(ml\.[a-z0-9-]+\.[a-z0-9]+)\b", text),
        "instance_count": count_before(r"(?:ml\.[a-z0-9.]+\s+)?(?:instances?|nodes?|replicas?)\b", text),
    }
    capture = first(
        r"\b(?:data\s+)?captur\w*\b[^.;]*?(s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](?:/[^\s,;]*)?)", text
    )
    if capture and not capture.endswith(".tar.gz"):
        found["data_capture_s3_uri"] = capture
    percent = first(r"\b(\d{1,3})\s*%", text)
    if percent and first(r"\bcaptur|\bsampl", text):
        found["data_capture_percent"] = int(percent)
    if first(r"\b(?:no|without)\s+network\s+isolation\b|\bnetwork\s+isolation\s+(?:off|disabled)\b", text):
        found["network_isolation"] = False
    return found


SAGEMAKER_ENDPOINT = Blueprint(
    name="tf-aws-sagemaker-endpoint",
    target="terraform",
    title="AWS SageMaker endpoint: model, KMS-encrypted endpoint config, least-privilege role, data capture",
    parameters=PARAMETERS,
    render=render,
    keywords=(
        r"\bsage\s*maker\b",
        unless_other_cloud(
            r"\b(?:inference|model|real[\s-]time)\s+endpoints?\b|(?<!vpc\s)(?<!api\s)\bendpoints?\b", "aws"
        ),
        r"\b(?:aws|amazon)\b",
        unless_other_cloud(r"\bdata\s+capture\b|\bmodel\.tar\.gz\b", "aws"),
        r"(?<![.\w])ml\.[a-z0-9]+\.[a-z0-9]+\b",
        r"\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com/",
    ),
    extract=extract,
    examples=(
        {
            "name": "fraud-detector",
            "region": "us-east-1",
            "image": "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-inference:2.3.0-cpu-py311",
            "model_data_url": "s3://acme-models/fraud/2024-06-01/model.tar.gz",
            "instance_type": "ml.m5.xlarge",
            "instance_count": 2,
            "autoscale_max": 6,
            "data_capture_s3_uri": "s3://acme-model-monitoring/fraud-detector",
            "data_capture_percent": 20,
        },
        {
            "name": "llm",
            "image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/llm-serving:1.2.0",
            "instance_type": "ml.g5.2xlarge",
            "network_isolation": False,
        },
    ),
    example_ask=(
        "sagemaker endpoint called fraud-detector for 763104351884.dkr.ecr.us-east-1.amazonaws.com/"
        "pytorch-inference:2.3.0-cpu-py311 with model s3://acme-models/fraud/model.tar.gz "
        "on 2 ml.m5.xlarge instances"
    ),
)

BLUEPRINTS = (SAGEMAKER_ENDPOINT,)
