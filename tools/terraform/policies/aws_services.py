"""AWS service rules that are one attribute each: encryption, exposure, protection settings.

Each row gives the attribute path, what a good value is, and the provider's default when the
attribute is absent (the default is what AWS does when the configuration says nothing).
"""

from __future__ import annotations

from typing import Any

from tools.findings import Severity
from tools.terraform.model import Block
from tools.terraform.policies.base import (
    CheckContext,
    Policy,
    Violation,
    attribute_rule,
    is_false,
    is_true,
    non_empty,
    none_of,
    one_of,
    registry_url,
)
from tools.terraform.values import as_bool, as_list, as_str

# Lambda runtimes past their AWS deprecation date (docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html,
# reviewed 2026-11): functions on them get no security patches and soon cannot be updated.
DEPRECATED_LAMBDA_RUNTIMES = frozenset(
    {
        "python2.7", "python3.6", "python3.7", "python3.8",
        "nodejs", "nodejs4.3", "nodejs4.3-edge", "nodejs6.10", "nodejs8.10", "nodejs10.x", "nodejs12.x",
        "nodejs14.x", "nodejs16.x", "nodejs18.x",
        "dotnetcore1.0", "dotnetcore2.0", "dotnetcore2.1", "dotnetcore3.1", "dotnet5.0", "dotnet6", "dotnet7",
        "java8", "ruby2.5", "ruby2.7", "ruby3.2", "go1.x", "provided",
    }
)  # fmt: skip


def _url(resource_type: str) -> str:
    return registry_url("aws", resource_type)


def _symmetric_key(block: Block, context: CheckContext) -> bool:
    spec = as_str(context.scope.resolve(block.attrs.get("customer_master_key_spec")))
    return spec in (None, "SYMMETRIC_DEFAULT")


def _not_serverless_v1(block: Block, context: CheckContext) -> bool:
    return as_str(context.scope.resolve(block.attrs.get("engine_mode"))) != "serverless"


def check_eks_public_endpoint(block: Block, context: CheckContext) -> list[Violation]:
    """Public API endpoint (the default) that is not limited to known CIDR ranges."""
    configs = block.children("vpc_config")
    config = configs[0] if configs else None
    value = context.scope.resolve(config.attrs.get("endpoint_public_access")) if config else None
    public = True if value is None else as_bool(value)  # the provider's default is public
    if public is not True:
        return []
    cidrs = as_list(context.scope.resolve(config.attrs.get("public_access_cidrs"))) if config else []
    if cidrs and "0.0.0.0/0" not in cidrs:
        return []
    line = config.line_of("endpoint_public_access") if config else block.line
    return [
        Violation(
            "the Kubernetes API endpoint is reachable from the internet",
            "vpc_config.endpoint_public_access",
            line,
        )
    ]


def check_sqs_encryption(block: Block, context: CheckContext) -> list[Violation]:
    """Neither a KMS key nor SQS-managed SSE."""
    key = context.scope.resolve(block.attrs.get("kms_master_key_id"))
    managed = as_bool(context.scope.resolve(block.attrs.get("sqs_managed_sse_enabled")))
    if non_empty(key) or managed is True:
        return []
    if isinstance(block.attrs.get("sqs_managed_sse_enabled"), str) and managed is None:
        return []  # an expression: cannot tell
    return [
        Violation(
            "queue is not encrypted at rest (no kms_master_key_id, sqs_managed_sse_enabled not true)",
            "kms_master_key_id",
            block.line_of("kms_master_key_id"),
        )
    ]


def check_dynamodb_cmk(block: Block, context: CheckContext) -> list[Violation]:
    """Encryption with the AWS-owned or AWS-managed key instead of a customer-managed KMS key."""
    sse = block.children("server_side_encryption")
    enabled = as_bool(context.scope.resolve(sse[0].attrs.get("enabled"))) if sse else False
    key = context.scope.resolve(sse[0].attrs.get("kms_key_arn")) if sse else None
    if enabled is None or (enabled and non_empty(key)):
        return []
    line = sse[0].line if sse else block.line
    return [
        Violation("table is not encrypted with a customer-managed KMS key", "server_side_encryption", line)
    ]


def _runtime_ok(value: Any) -> bool | None:
    return value not in DEPRECATED_LAMBDA_RUNTIMES


POLICIES = [
    Policy(
        "TF_AWS_RDS_ENCRYPTION",
        Severity.HIGH,
        "RDS storage is not encrypted",
        "Unencrypted database storage, snapshots and replicas expose data to anyone who obtains a snapshot "
        "or the underlying volume; encryption can only be chosen when the instance is created.",
        "storage_encrypted = true\nkms_key_id        = aws_kms_key.rds.arn",
        _url("aws_db_instance"),
        ("aws_db_instance", "aws_rds_cluster"),
        attribute_rule(
            "storage_encrypted",
            is_true,
            default=False,
            message="storage is not encrypted",
            when=_not_serverless_v1,
        ),
    ),
    Policy(
        "TF_AWS_RDS_PUBLIC",
        Severity.CRITICAL,
        "RDS instance is publicly accessible",
        "A publicly accessible database gets a public DNS name and IP; only network ACLs stand between it "
        "and credential-stuffing from the internet.",
        "publicly_accessible = false",
        _url("aws_db_instance"),
        ("aws_db_instance", "aws_rds_cluster_instance"),
        attribute_rule(
            "publicly_accessible", is_false, default=False, message="instance is publicly accessible"
        ),
    ),
    Policy(
        "TF_AWS_RDS_DELETION_PROTECTION",
        Severity.MEDIUM,
        "RDS deletion protection is off",
        "Without deletion protection one mistaken `terraform destroy` or console click deletes the database.",
        "deletion_protection = true",
        _url("aws_db_instance"),
        ("aws_db_instance", "aws_rds_cluster"),
        attribute_rule("deletion_protection", is_true, default=False, message="deletion protection is off"),
    ),
    Policy(
        "TF_AWS_EBS_ENCRYPTION",
        Severity.HIGH,
        "EBS volume is not encrypted",
        "Unencrypted volumes and their snapshots can be read by anyone who gets a copy of them.",
        "encrypted  = true\nkms_key_id = aws_kms_key.ebs.arn",
        _url("aws_ebs_volume"),
        ("aws_ebs_volume",),
        attribute_rule("encrypted", is_true, default=False, message="volume is not encrypted"),
    ),
    Policy(
        "TF_AWS_KMS_ROTATION",
        Severity.MEDIUM,
        "KMS key rotation is not enabled",
        "Automatic yearly rotation limits how much data one key version protects; symmetric keys support it "
        "(asymmetric and HMAC keys do not, and are not judged).",
        "enable_key_rotation = true",
        _url("aws_kms_key"),
        ("aws_kms_key",),
        attribute_rule(
            "enable_key_rotation", is_true, default=False, message="key rotation is off", when=_symmetric_key
        ),
    ),
    Policy(
        "TF_AWS_CLOUDTRAIL_LOGGING",
        Severity.HIGH,
        "CloudTrail logging is disabled",
        "A trail with logging turned off records nothing: API activity during an incident is lost.",
        "enable_logging = true",
        _url("aws_cloudtrail"),
        ("aws_cloudtrail",),
        attribute_rule("enable_logging", is_true, default=True, message="logging is disabled"),
    ),
    Policy(
        "TF_AWS_EKS_PUBLIC_ENDPOINT",
        Severity.HIGH,
        "EKS API endpoint is public",
        "The cluster's Kubernetes API is reachable from the internet by default; make it private or at least "
        "limit public_access_cidrs to known ranges.",
        "vpc_config {\n  subnet_ids              = var.subnet_ids\n  endpoint_private_access = true\n"
        "  endpoint_public_access  = false\n}",
        _url("aws_eks_cluster"),
        ("aws_eks_cluster",),
        check_eks_public_endpoint,
    ),
    Policy(
        "TF_AWS_ECR_IMMUTABLE_TAGS",
        Severity.MEDIUM,
        "ECR repository allows tags to be overwritten",
        "With mutable tags, `app:1.4.2` can silently be replaced by another image: deployments stop being "
        "reproducible and a compromised pipeline can swap images.",
        'image_tag_mutability = "IMMUTABLE"',
        _url("aws_ecr_repository"),
        ("aws_ecr_repository",),
        attribute_rule(
            "image_tag_mutability",
            one_of("IMMUTABLE", "IMMUTABLE_WITH_EXCLUSION"),
            default="MUTABLE",
            message="image tags are mutable",
        ),
    ),
    Policy(
        "TF_AWS_SQS_ENCRYPTION",
        Severity.MEDIUM,
        "SQS queue is not encrypted at rest",
        "Messages often carry personal data or tokens; encrypt them with SSE-SQS or a KMS key.",
        'kms_master_key_id                 = "alias/aws/sqs"\nkms_data_key_reuse_period_seconds = 300',
        _url("aws_sqs_queue"),
        ("aws_sqs_queue",),
        check_sqs_encryption,
    ),
    Policy(
        "TF_AWS_SNS_ENCRYPTION",
        Severity.MEDIUM,
        "SNS topic is not encrypted at rest",
        "Without a KMS key, messages stored by SNS are not encrypted with a key you control.",
        'kms_master_key_id = "alias/aws/sns"',
        _url("aws_sns_topic"),
        ("aws_sns_topic",),
        attribute_rule("kms_master_key_id", non_empty, message="topic has no KMS key"),
    ),
    Policy(
        "TF_AWS_LAMBDA_PUBLIC",
        Severity.HIGH,
        "Lambda permission lets anyone invoke the function",
        'principal = "*" grants invocation to every AWS account; name the service or account that calls it.',
        'principal  = "events.amazonaws.com"\nsource_arn = aws_cloudwatch_event_rule.daily.arn',
        _url("aws_lambda_permission"),
        ("aws_lambda_permission",),
        attribute_rule("principal", none_of("*"), default="", message="function is public"),
    ),
    Policy(
        "TF_AWS_LAMBDA_DEPRECATED_RUNTIME",
        Severity.MEDIUM,
        "Lambda function uses a deprecated runtime",
        "Deprecated runtimes get no security patches, and AWS later blocks creating and updating functions "
        "that use them.",
        'runtime = "python3.12"',
        _url("aws_lambda_function"),
        ("aws_lambda_function",),
        attribute_rule("runtime", _runtime_ok, default="", message="runtime is deprecated"),
    ),
    Policy(
        "TF_AWS_DYNAMODB_CMK",
        Severity.LOW,
        "DynamoDB table is not encrypted with a customer-managed key",
        "DynamoDB always encrypts at rest, but only a customer-managed KMS key lets you audit use of "
        "the key, revoke it and control who may decrypt.",
        "server_side_encryption {\n  enabled     = true\n  kms_key_arn = aws_kms_key.dynamodb.arn\n}",
        _url("aws_dynamodb_table"),
        ("aws_dynamodb_table",),
        check_dynamodb_cmk,
    ),
]
