"""The AWS Terraform blueprints: what they render, what they refuse, and the asks that pick them.

Rendering is offline (the fixed module text under tools/blueprints/terraform/aws/ plus a
terraform.tfvars); the generic checks that every example validates clean, and the golden
files, are in test_blueprints.py. With SHIPMATE_TF_PLUGIN_DIR pointing at a local provider
mirror holding hashicorp/aws, the examples also pass the real `terraform validate`
(`init -plugin-dir` never goes to the network).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tools.blueprints.intent import parse_intent
from tools.blueprints.model import GeneratedFile
from tools.blueprints.registry import all_blueprints, generate_blueprint
from tools.blueprints.tf_templates import (
    TEMPLATES,
    count_before,
    split_list,
    template_blueprint_files,
    tfvars_text,
    unless_other_cloud,
)
from tools.errors import InputError

NAMES = [
    "tf-aws-vpc",
    "tf-aws-eks",
    "tf-aws-s3",
    "tf-aws-rds-postgres",
    "tf-aws-ecr",
    "tf-aws-lambda",
    "tf-aws-sagemaker-endpoint",
    "tf-aws-greengrass",
]
WITH_README = {"tf-aws-eks", "tf-aws-greengrass"}
SUBNETS = "subnet-0a1b2c3d4e5f60001,subnet-0a1b2c3d4e5f60002"
IMAGE = "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-inference:2.3.0-gpu-py311"


def render(blueprint_name: str, /, **parameters: Any) -> dict[str, str]:
    blueprint = all_blueprints()[blueprint_name]
    files: list[GeneratedFile] = blueprint.render(blueprint.resolve(parameters))
    return {f.path: f.text for f in files}


def tfvars(files: dict[str, str]) -> dict[str, str]:
    """terraform.tfvars as name -> value text."""
    pairs = (line.split("=", 1) for line in files["terraform.tfvars"].splitlines() if "=" in line)
    return {name.strip(): value.strip() for name, value in pairs}


def resource_types(files: dict[str, str]) -> set[str]:
    return set(re.findall(r'^resource "([a-z0-9_]+)"', files["main.tf"], re.MULTILINE))


# --- layout and validation -------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_module_layout_and_fixed_text(name: str) -> None:
    blueprint = all_blueprints()[name]
    renders = [render(name, **example) for example in blueprint.examples]
    expected = ["main.tf", "outputs.tf", "terraform.tfvars", "variables.tf", "versions.tf"]
    for files in renders:
        assert sorted(files) == sorted(expected + (["README.md"] if name in WITH_README else []))
        assert 'required_version = ">= 1.5.0"' in files["versions.tf"]
        assert 'source  = "hashicorp/aws"' in files["versions.tf"]
        assert 'version = "~> 5.80"' in files["versions.tf"]
        assert "default_tags" in files["versions.tf"]
        assert f'Blueprint = "{name}"' in files["versions.tf"]
        for variable in tfvars(files):  # every tfvars entry is a declared variable
            assert f'variable "{variable}"' in files["variables.tf"], variable
        for block in re.findall(r'variable "[^"]+" \{.*?\n\}', files["variables.tf"], re.DOTALL):
            assert "description" in block, block
            assert "type" in block, block
        for block in re.findall(r'output "[^"]+" \{.*?\n\}', files["outputs.tf"], re.DOTALL):
            assert "description" in block, block
    # Only the values change between renderings: the .tf text is the same for every example.
    for path in ("main.tf", "variables.tf", "outputs.tf", "versions.tf"):
        assert len({files[path] for files in renders}) == 1, path


@pytest.mark.parametrize("name", NAMES)
def test_examples_validate_with_no_findings_at_all(name: str) -> None:
    for example in all_blueprints()[name].examples:
        report = generate_blueprint(name, example).validation
        assert (report.counts.invalid, report.counts.errors) == (0, 0), report.results
        assert [(f.id, f.evidence[:1]) for f in report.findings] == []
        assert not [note for note in report.notes if "skipped" in note], report.notes


@pytest.mark.parametrize("name", NAMES)
def test_every_kms_key_rotates_and_every_log_group_is_encrypted_with_retention(name: str) -> None:
    main = render(name, **all_blueprints()[name].examples[0])["main.tf"]
    for block in re.findall(r'resource "aws_kms_key" "[^"]+" \{.*?\n\}', main, re.DOTALL):
        assert "enable_key_rotation     = true" in block
    for block in re.findall(r'resource "aws_cloudwatch_log_group" "[^"]+" \{.*?\n\}', main, re.DOTALL):
        assert "retention_in_days" in block
        assert "kms_key_id" in block


PLUGIN_DIR = os.environ.get("SHIPMATE_TF_PLUGIN_DIR", "")


@pytest.mark.skipif(
    not (PLUGIN_DIR and (Path(PLUGIN_DIR) / "registry.terraform.io/hashicorp/aws").is_dir()),
    reason="set SHIPMATE_TF_PLUGIN_DIR to a local provider mirror with hashicorp/aws",
)
@pytest.mark.parametrize("name", NAMES)
def test_examples_pass_terraform_validate_with_a_local_provider(name: str, tmp_path: Path) -> None:
    binary = shutil.which("terraform")
    assert binary
    env = {**os.environ, "TF_IN_AUTOMATION": "1", "CHECKPOINT_DISABLE": "1"}
    for index, example in enumerate(all_blueprints()[name].examples):
        folder = tmp_path / str(index)
        folder.mkdir()
        for generated in generate_blueprint(name, example).files:
            (folder / generated.path).write_text(generated.text, encoding="utf-8")
        init = [binary, "init", "-backend=false", "-input=false", "-no-color", f"-plugin-dir={PLUGIN_DIR}"]
        done = subprocess.run(init, cwd=folder, env=env, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stdout + done.stderr
        validate = [binary, "validate", "-json", "-no-color"]
        done = subprocess.run(validate, cwd=folder, env=env, capture_output=True, text=True, check=False)
        result = json.loads(done.stdout)
        assert result["valid"], result["diagnostics"]
        assert result["diagnostics"] == []  # no deprecation or other warnings either


# --- the shared template helpers -------------------------------------------------------------


def test_template_helpers() -> None:
    files = template_blueprint_files(TEMPLATES / "aws" / "tf-aws-ecr", {"name": "api", "skipped": None})
    assert [f.path for f in files] == [
        "main.tf",
        "outputs.tf",
        "variables.tf",
        "versions.tf",
        "terraform.tfvars",
    ]
    assert files[-1].text == 'name = "api"\n'
    assert tfvars_text({"a": 1, "long_name": ["x"], "c": None}) == 'a         = 1\nlong_name = ["x"]\n'
    assert split_list(" a, b  c,") == ["a", "b", "c"]
    assert count_before(r"azs?\b", "spread over three AZs") == 3
    assert count_before(r"azs?\b", "no number here") is None
    keyword = unless_other_cloud(r"\bpostgres\b", "aws")
    assert re.search(keyword, "a postgres database on AWS", re.IGNORECASE)
    assert not re.search(keyword, "a postgres database on GCP", re.IGNORECASE)
    with pytest.raises(FileNotFoundError):
        template_blueprint_files(TEMPLATES / "aws" / "no-such-blueprint", {})


# --- what each blueprint renders -------------------------------------------------------------


def test_vpc_subnets_nat_modes_flow_logs_and_default_group() -> None:
    files = render("tf-aws-vpc", name="prod", region="eu-west-1", az_count=3, nat_gateway="per_az")
    values = tfvars(files)
    assert values["az_count"] == "3"
    assert values["nat_gateway_mode"] == '"per_az"'
    assert values["region"] == '"eu-west-1"'
    main = files["main.tf"]
    assert 'resource "aws_default_security_group" "this"' in main
    assert "ingress" not in main.split('resource "aws_default_security_group"')[1].split("\n}\n")[0]
    assert 'log_destination_type     = "cloud-watch-logs"' in main
    assert 'identifiers = ["vpc-flow-logs.amazonaws.com"]' in main
    assert "map_public_ip_on_launch = false" in main
    assert '"kubernetes.io/role/internal-elb" = "1"' in main
    assert tfvars(render("tf-aws-vpc", nat_gateway="none"))["nat_gateway_mode"] == '"none"'
    with pytest.raises(InputError):
        render("tf-aws-vpc", cidr_block="10.0.0.0/8")
    with pytest.raises(InputError):
        render("tf-aws-vpc", az_count=7)
    with pytest.raises(InputError):
        render("tf-aws-vpc", flow_log_retention_days=45)


def test_eks_gpu_node_group_taint_private_endpoint_and_secrets_key() -> None:
    files = render("tf-aws-eks", name="ml", subnet_ids=SUBNETS, gpu_instance_type="g5.2xlarge", gpu_nodes=2)
    values = tfvars(files)
    assert values["gpu_instance_type"] == '"g5.2xlarge"'
    assert values["gpu_ami_type"] == '"AL2023_x86_64_NVIDIA"'
    assert values["gpu_desired_size"] == "2"
    assert values["gpu_min_size"] == "0"
    assert values["subnet_ids"] == '["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"]'
    assert values["endpoint_public_access"] == "false"
    main = files["main.tf"]
    assert 'key    = "nvidia.com/gpu"' in main
    assert 'effect = "NO_SCHEDULE"' in main
    assert 'resources = ["secrets"]' in main
    assert "endpoint_private_access = true" in main
    assert 'authentication_mode                         = "API"' in main
    assert 'http_tokens                 = "required"' in main
    assert {"aws_eks_cluster", "aws_eks_node_group", "aws_iam_role", "aws_kms_key"} <= resource_types(files)
    assert files["main.tf"].count('resource "aws_eks_node_group"') == 2


def test_eks_public_endpoint_only_with_cidrs_and_never_the_internet() -> None:
    values = tfvars(render("tf-aws-eks", subnet_ids=SUBNETS, public_access_cidrs="203.0.113.0/24"))
    assert values["endpoint_public_access"] == "true"
    assert values["public_access_cidrs"] == '["203.0.113.0/24"]'
    with pytest.raises(InputError, match="whole internet"):
        render("tf-aws-eks", subnet_ids=SUBNETS, public_access_cidrs="0.0.0.0/0")
    with pytest.raises(InputError, match=r"1\.32"):
        render("tf-aws-eks", subnet_ids=SUBNETS, gpu_ami="al2", kubernetes_version="1.33")
    with pytest.raises(InputError, match="GPU"):
        render("tf-aws-eks", subnet_ids=SUBNETS, gpu_instance_type="m5.large")
    with pytest.raises(InputError, match="two"):
        render("tf-aws-eks", subnet_ids="subnet-0a1b2c3d4e5f60001")
    # No subnets given: the variable has no default, so Terraform asks for it.
    assert "subnet_ids" not in tfvars(render("tf-aws-eks"))
    assert values["gpu_capacity_type"] == '"ON_DEMAND"'
    assert tfvars(render("tf-aws-eks", subnet_ids=SUBNETS, spot=True))["gpu_capacity_type"] == '"SPOT"'


def test_s3_secure_defaults_and_encryption_choice() -> None:
    files = render("tf-aws-s3", name="ml-datasets")
    main = files["main.tf"]
    for flag in ("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"):
        assert re.search(rf"{flag}\s+= true", main)
    assert 'object_ownership = "BucketOwnerEnforced"' in main
    assert 'variable = "aws:SecureTransport"' in main
    assert "noncurrent_version_expiration" in main
    assert tfvars(files)["sse_algorithm"] == '"aws:kms"'
    assert tfvars(files)["versioning_enabled"] == "true"
    other = tfvars(render("tf-aws-s3", encryption="aes256", versioning=False, access_log_bucket="acme-logs"))
    assert other["sse_algorithm"] == '"AES256"'
    assert other["versioning_enabled"] == "false"
    assert other["access_log_bucket"] == '"acme-logs"'
    with pytest.raises(InputError):
        render("tf-aws-s3", encryption="des")
    with pytest.raises(InputError):
        render("tf-aws-s3", bucket_name="Not_A_Bucket")


def test_rds_private_encrypted_tls_and_no_password_anywhere() -> None:
    files = render(
        "tf-aws-rds-postgres",
        name="orders-db",
        engine_version="16",
        instance_class="db.m7g.large",
        multi_az=True,
        vpc_id="vpc-0a1b2c3d4e5f60001",
        subnet_ids=SUBNETS,
        allowed_security_group_ids="sg-0a1b2c3d4e5f60001",
    )
    main = files["main.tf"]
    assert "manage_master_user_password   = true" in main
    assert not re.search(r"^\s*password\s*=", main, re.MULTILINE)
    assert "password" not in files["terraform.tfvars"]
    assert "publicly_accessible    = false" in main
    assert "storage_encrypted     = true" in main
    assert "iam_database_authentication_enabled = true" in main
    assert 'name  = "rds.force_ssl"' in main
    assert "deletion_protection       = var.deletion_protection" in main
    values = tfvars(files)
    assert values["instance_class"] == '"db.m7g.large"'
    assert values["multi_az"] == "true"
    assert values["deletion_protection"] == "true"
    assert values["allowed_security_group_ids"] == '["sg-0a1b2c3d4e5f60001"]'
    assert values["allowed_cidr_blocks"] == "[]"
    with pytest.raises(InputError, match="whole internet"):
        render("tf-aws-rds-postgres", allowed_cidrs="0.0.0.0/0")
    with pytest.raises(InputError):
        render("tf-aws-rds-postgres", engine_version="9.6")
    with pytest.raises(InputError):
        render("tf-aws-rds-postgres", backup_retention_days=40)


def test_ecr_immutable_scanned_encrypted_and_pruned() -> None:
    files = render("tf-aws-ecr", name="ml/inference", keep_images=50)
    main = files["main.tf"]
    assert 'image_tag_mutability = "IMMUTABLE"' in main
    assert "scan_on_push = var.scan_on_push" in main
    assert 'encryption_type = "KMS"' in main
    assert '"imageCountMoreThan"' in main
    assert tfvars(files)["keep_images"] == "50"
    assert tfvars(files)["name"] == '"ml/inference"'
    with pytest.raises(InputError):
        render("tf-aws-ecr", name="Upper/Case")
    with pytest.raises(InputError):
        render("tf-aws-ecr", pull_account_ids="1234")


def test_lambda_role_logs_tracing_and_package_sources() -> None:
    files = render("tf-aws-lambda", name="thumbnailer", runtime="python3.12", package="build/thumbs.zip")
    values = tfvars(files)
    assert values["runtime"] == '"python3.12"'
    assert values["handler"] == '"app.handler"'
    assert values["package_path"] == '"build/thumbs.zip"'
    assert values["reserved_concurrency"] == "10"
    main = files["main.tf"]
    assert 'mode = "Active"' in main
    assert 'resources = ["${aws_cloudwatch_log_group.this.arn}:*"]' in main
    assert "reserved_concurrent_executions = var.reserved_concurrency" in main
    node = tfvars(render("tf-aws-lambda", runtime="nodejs20.x", package="s3://acme-artifacts/api/1.0.zip"))
    assert node["handler"] == '"index.handler"'
    assert (node["package_path"], node["s3_bucket"], node["s3_key"]) == (
        '""',
        '"acme-artifacts"',
        '"api/1.0.zip"',
    )
    with pytest.raises(InputError):
        render("tf-aws-lambda", runtime="python3.8")
    with pytest.raises(InputError, match="security group"):
        render("tf-aws-lambda", subnet_ids=SUBNETS)


def test_sagemaker_least_privilege_role_and_data_capture() -> None:
    files = render(
        "tf-aws-sagemaker-endpoint",
        name="fraud",
        image=IMAGE,
        model_data_url="s3://acme-models/fraud/model.tar.gz",
        instance_type="ml.g5.xlarge",
        instance_count=2,
        data_capture_s3_uri="s3://acme-monitoring/fraud",
    )
    values = tfvars(files)
    assert values["image_uri"] == f'"{IMAGE}"'
    assert values["initial_instance_count"] == "2"
    assert values["instance_type"] == '"ml.g5.xlarge"'
    assert values["data_capture_s3_uri"] == '"s3://acme-monitoring/fraud"'
    main = files["main.tf"]
    assert "resources = [local.repository_arn]" in main
    assert 'actions   = ["s3:GetObject"]' in main
    assert 'capture_mode = "Input"' in main
    assert {"aws_sagemaker_model", "aws_sagemaker_endpoint_configuration", "aws_sagemaker_endpoint"} <= (
        resource_types(files)
    )
    with pytest.raises(InputError, match="image"):
        all_blueprints()["tf-aws-sagemaker-endpoint"].resolve({})
    with pytest.raises(InputError, match="ECR"):
        render("tf-aws-sagemaker-endpoint", image="nginx:1.27")
    with pytest.raises(InputError):
        render("tf-aws-sagemaker-endpoint", image=IMAGE, model_data_url="s3://acme-models/model.bin")


def test_greengrass_uses_what_the_aws_provider_has() -> None:
    files = render(
        "tf-aws-greengrass",
        name="factory",
        devices=3,
        component_name="com.acme.DefectDetector",
        artifact_path="build/defect-detector.zip",
        architecture="aarch64",
    )
    types = resource_types(files)
    assert not [t for t in types if "greengrass" in t]  # hashicorp/aws has no Greengrass V2 resources
    assert {"aws_iot_thing_group", "aws_iot_policy", "aws_iot_role_alias", "aws_s3_object"} <= types
    values = tfvars(files)
    assert values["core_device_count"] == "3"
    assert values["run_command"] == '"python3 -u {artifacts:decompressedPath}/defect-detector/main.py"'
    assert values["platform_architecture"] == '"aarch64"'
    main = files["main.tf"]
    assert "recipe_json = jsonencode(local.recipe)" in main
    assert "$${iot:Connection.Thing.ThingName}" in main
    assert "aws_iot_certificate" not in main  # private keys stay on the devices, not in the state
    assert "greengrassv2 create-component-version" in files["outputs.tf"]
    with pytest.raises(InputError):
        render("tf-aws-greengrass", component_name="aws.greengrass.Nucleus")
    with pytest.raises(InputError):
        render("tf-aws-greengrass", artifact_path="build/app.tar")


# --- the asks that pick each blueprint -------------------------------------------------------

ASKS = [
    # tf-aws-vpc
    (
        "aws vpc called prod in eu-west-1 over 3 AZs with a NAT gateway per AZ",
        "tf-aws-vpc",
        {"name": "prod", "region": "eu-west-1", "az_count": 3, "nat_gateway": "per_az"},
    ),
    (
        "create a vpc with public and private subnets across two availability zones, single nat gateway",
        "tf-aws-vpc",
        {"az_count": 2, "nat_gateway": "single"},
    ),
    (
        "network for staging on aws, 10.20.0.0/16, no NAT, flow logs kept 90 days",
        "tf-aws-vpc",
        {"cidr_block": "10.20.0.0/16", "nat_gateway": "none", "flow_log_retention_days": 90},
    ),
    ("VPC over 3 zones with highly available NAT", "tf-aws-vpc", {"az_count": 3, "nat_gateway": "per_az"}),
    # tf-aws-eks
    (
        "eks cluster called ml in us-west-2 with 2 g5.2xlarge gpu nodes, up to 6",
        "tf-aws-eks",
        {
            "name": "ml",
            "region": "us-west-2",
            "gpu_instance_type": "g5.2xlarge",
            "gpu_nodes": 2,
            "gpu_max_nodes": 6,
        },
    ),
    (
        "kubernetes cluster on aws with a gpu node group on spot, kubernetes 1.32",
        "tf-aws-eks",
        {"kubernetes_version": "1.32", "spot": True},
    ),
    (
        "private EKS cluster for training with p4d.24xlarge nodes on subnet-0a1b2c3d4e5f60001 and "
        "subnet-0a1b2c3d4e5f60002",
        "tf-aws-eks",
        {"gpu_instance_type": "p4d.24xlarge", "subnet_ids": SUBNETS},
    ),
    (
        "amazon eks with nvidia gpus on amazon linux 2023, 3 system nodes of m7i.xlarge, "
        "public endpoint from 203.0.113.0/24",
        "tf-aws-eks",
        {
            "gpu_ami": "al2023",
            "cpu_nodes": 3,
            "cpu_instance_type": "m7i.xlarge",
            "public_access_cidrs": "203.0.113.0/24",
        },
    ),
    ("kubernetes cluster with gpu node group", "tf-aws-eks", {}),
    # tf-aws-s3
    (
        "s3 bucket called ml-datasets in eu-central-1 with kms encryption and versioning",
        "tf-aws-s3",
        {"name": "ml-datasets", "region": "eu-central-1", "encryption": "kms", "versioning": True},
    ),
    (
        "bucket on aws with versioning off and AES256",
        "tf-aws-s3",
        {"encryption": "aes256", "versioning": False},
    ),
    (
        "s3 bucket for reports with access logging to acme-s3-access-logs, noncurrent versions expire after 30 days",
        "tf-aws-s3",
        {"noncurrent_days": 30, "access_log_bucket": "acme-s3-access-logs"},
    ),
    (
        "amazon s3 bucket with sse-s3, old versions deleted after 60 days",
        "tf-aws-s3",
        {"encryption": "aes256", "noncurrent_days": 60},
    ),
    # tf-aws-rds-postgres
    ("postgres database on aws", "tf-aws-rds-postgres", {}),
    (
        "postgres 16 database on aws called orders-db, multi-az, db.m7g.large, 100 GB",
        "tf-aws-rds-postgres",
        {
            "name": "orders-db",
            "engine_version": "16",
            "instance_class": "db.m7g.large",
            "multi_az": True,
            "storage_gb": 100,
        },
    ),
    (
        "rds postgresql single-az db.t4g.micro with 7 days of backups in vpc-0a1b2c3d4e5f60001",
        "tf-aws-rds-postgres",
        {
            "instance_class": "db.t4g.micro",
            "multi_az": False,
            "backup_retention_days": 7,
            "vpc_id": "vpc-0a1b2c3d4e5f60001",
        },
    ),
    (
        "rds instance postgres 17.4 allowing 10.0.0.0/16 and sg-0a1b2c3d4e5f60001",
        "tf-aws-rds-postgres",
        {
            "engine_version": "17.4",
            "allowed_cidrs": "10.0.0.0/16",
            "allowed_security_group_ids": "sg-0a1b2c3d4e5f60001",
        },
    ),
    # tf-aws-ecr
    (
        "ecr repository ml/inference in us-west-2 keeping the last 50 images",
        "tf-aws-ecr",
        {"name": "ml/inference", "region": "us-west-2", "keep_images": 50},
    ),
    (
        "container registry on aws for api images, keep 10 images, untagged expire after 3 days",
        "tf-aws-ecr",
        {"keep_images": 10, "untagged_expiry_days": 3},
    ),
    (
        "ecr repo for team/worker with cross-account pull for 111122223333",
        "tf-aws-ecr",
        {"name": "team/worker", "pull_account_ids": "111122223333"},
    ),
    ("amazon ecr repository called web with immutable tags and scan on push", "tf-aws-ecr", {"name": "web"}),
    # tf-aws-lambda
    (
        "lambda function called thumbnailer in python 3.12 with 512 MB, timeout 60s, concurrency 20",
        "tf-aws-lambda",
        {
            "name": "thumbnailer",
            "runtime": "python3.12",
            "memory_mb": 512,
            "timeout_seconds": 60,
            "reserved_concurrency": 20,
        },
    ),
    (
        "aws lambda in nodejs 20 from s3://acme-artifacts/orders/1.4.2.zip without a dlq",
        "tf-aws-lambda",
        {
            "runtime": "nodejs20.x",
            "package": "s3://acme-artifacts/orders/1.4.2.zip",
            "dead_letter_queue": False,
        },
    ),
    (
        "lambda function with a dead letter queue, x86_64, 1 GB memory, timeout 5 minutes",
        "tf-aws-lambda",
        {"dead_letter_queue": True, "architecture": "x86_64", "memory_mb": 1024, "timeout_seconds": 300},
    ),
    (
        "serverless function on aws in go from build/handler.zip in subnet-0a1b2c3d4e5f60001 with sg-0a1b2c3d4e5f60001",
        "tf-aws-lambda",
        {
            "runtime": "provided.al2023",
            "package": "build/handler.zip",
            "subnet_ids": "subnet-0a1b2c3d4e5f60001",
            "security_group_ids": "sg-0a1b2c3d4e5f60001",
        },
    ),
    # tf-aws-sagemaker-endpoint
    (
        f"sagemaker endpoint called fraud-detector for {IMAGE} with model s3://acme-models/fraud/model.tar.gz "
        "on 2 ml.m5.xlarge instances",
        "tf-aws-sagemaker-endpoint",
        {
            "name": "fraud-detector",
            "image": IMAGE,
            "model_data_url": "s3://acme-models/fraud/model.tar.gz",
            "instance_type": "ml.m5.xlarge",
            "instance_count": 2,
        },
    ),
    (
        "sagemaker inference endpoint on ml.g5.2xlarge with data capture to s3://acme-monitoring/llm at 20% sampling",
        "tf-aws-sagemaker-endpoint",
        {
            "instance_type": "ml.g5.2xlarge",
            "data_capture_s3_uri": "s3://acme-monitoring/llm",
            "data_capture_percent": 20,
        },
    ),
    (
        "amazon sagemaker real-time endpoint, autoscale to 8, 123456789012.dkr.ecr.eu-west-1.amazonaws.com/llm:1.2.0",
        "tf-aws-sagemaker-endpoint",
        {"autoscale_max": "8", "image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/llm:1.2.0"},
    ),
    (
        "model endpoint on aws for 123456789012.dkr.ecr.eu-west-1.amazonaws.com/clf:3.0 without network isolation",
        "tf-aws-sagemaker-endpoint",
        {"network_isolation": False, "image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/clf:3.0"},
    ),
    # tf-aws-greengrass
    (
        "greengrass edge fleet called factory in eu-central-1 with 3 core devices, component com.acme.DefectDetector "
        "version 1.2.0 from build/defect-detector.zip",
        "tf-aws-greengrass",
        {
            "name": "factory",
            "devices": 3,
            "component_name": "com.acme.DefectDetector",
            "component_version": "1.2.0",
            "artifact_path": "build/defect-detector.zip",
        },
    ),
    (
        "iot edge deployment on aws for raspberry pi 4 devices",
        "tf-aws-greengrass",
        {"architecture": "aarch64"},
    ),
    (
        "aws greengrass component com.example.Camera v2.0.1 for 5 jetson devices",
        "tf-aws-greengrass",
        {"devices": 5, "component_name": "com.example.Camera", "component_version": "2.0.1"},
    ),
    (
        "greengrass v2 for two edge gateways on armv7l",
        "tf-aws-greengrass",
        {"devices": 2, "architecture": "armv7l"},
    ),
]


@pytest.mark.parametrize(("ask", "expected", "parameters"), ASKS, ids=[a[0][:60] for a in ASKS])
def test_asks_pick_the_aws_blueprint_with_its_parameters(
    ask: str, expected: str, parameters: dict[str, Any]
) -> None:
    intent = parse_intent("terraform", ask)
    assert intent.blueprint == expected
    for key, value in parameters.items():
        assert intent.parameters.get(key) == value, (key, intent.parameters)


def test_every_aws_blueprint_has_at_least_four_asks() -> None:
    for name in NAMES:
        assert sum(1 for _, expected, _ in ASKS if expected == name) >= 4, name


@pytest.mark.parametrize("name", NAMES)
def test_example_ask_picks_its_blueprint_and_renders(name: str) -> None:
    blueprint = all_blueprints()[name]
    intent = parse_intent("terraform", blueprint.example_ask)
    assert intent.blueprint == name
    generated = generate_blueprint(name, intent.parameters)
    assert generated.validation.counts.errors == 0


@pytest.mark.parametrize(
    "ask",
    [
        "postgres database on gcp",
        "kubernetes cluster on azure with gpu nodes",
        "gcs bucket with versioning",
        "cloud function on gcp in python",
    ],
)
def test_asks_naming_another_cloud_do_not_pick_an_aws_blueprint(ask: str) -> None:
    try:
        chosen = parse_intent("terraform", ask).blueprint
    except InputError:
        return  # not understood, or ambiguous among the other cloud's blueprints: not AWS either way
    assert not chosen.startswith("tf-aws-"), chosen


@pytest.mark.parametrize(
    "ask",
    [
        "an SQS queue with a dead letter queue on aws",
        "step functions state machine on aws",
        "elasticache redis multi-az on aws",
        "an application load balancer with access logs on aws",
        "a GPU ec2 instance on aws",
    ],
)
def test_asks_for_aws_services_no_blueprint_covers_are_not_forced_into_one(ask: str) -> None:
    with pytest.raises(InputError, match="intent"):
        parse_intent("terraform", ask)
