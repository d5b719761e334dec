# The hashicorp/aws provider has no Greengrass V2 resources (component versions and
# deployments exist only in hashicorp/awscc). This module builds what a Greengrass fleet
# stands on: the IoT thing group and things, the device policy, the token exchange role and
# its role alias, an encrypted artifact bucket, log groups, and the component's recipe
# (uploaded next to the artifact and given as an output). Publishing the component and
# deploying it are one AWS CLI command each: see the outputs and README.md.

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  iot_arn    = "arn:${local.partition}:iot:${var.region}:${local.account_id}"

  bucket_name     = "${var.name}-gg-artifacts-${local.account_id}-${var.region}"
  artifact_key    = "artifacts/${var.component_name}/${var.component_version}/${basename(var.artifact_path)}"
  role_alias_name = "${var.name}-TokenExchangeRoleAlias"

  log_groups = {
    system    = "/aws/greengrass/GreengrassSystemComponent/${var.region}/System"
    component = "/aws/greengrass/UserComponent/${var.region}/${var.component_name}"
  }

  recipe = {
    RecipeFormatVersion  = "2020-01-25"
    ComponentName        = var.component_name
    ComponentVersion     = var.component_version
    ComponentDescription = var.component_description
    ComponentPublisher   = var.component_publisher
    Manifests = [
      {
        Platform  = merge({ os = "linux" }, var.platform_architecture != "" ? { architecture = var.platform_architecture } : {})
        Lifecycle = { Run = var.run_command }
        Artifacts = var.artifact_path != "" ? [{ Uri = "s3://${local.bucket_name}/${local.artifact_key}", Unarchive = "ZIP" }] : []
      },
    ]
  }
  # jsonencode, not yamlencode: CreateComponentVersion picks the parser from the first byte.
  recipe_json = jsonencode(local.recipe)
}

# One customer-managed key with rotation for the artifacts and the device logs. A key
# policy's Resource "*" means the key itself.
resource "aws_kms_key" "this" {
  description             = "Greengrass fleet ${var.name}: artifacts and logs"
  enable_key_rotation     = true
  deletion_window_in_days = 30

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AccountAdministration"
        Effect    = "Allow"
        Principal = { AWS = "arn:${local.partition}:iam::${local.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "CloudWatchLogsForTheGreengrassLogGroups"
        Effect    = "Allow"
        Principal = { Service = "logs.${var.region}.amazonaws.com" }
        Action    = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
        Resource  = "*"
        Condition = {
          ArnLike = {
            "kms:EncryptionContext:aws:logs:arn" = "arn:${local.partition}:logs:${var.region}:${local.account_id}:log-group:/aws/greengrass/*"
          }
        }
      },
    ]
  })
}

resource "aws_kms_alias" "this" {
  name          = "alias/greengrass-${var.name}"
  target_key_id = aws_kms_key.this.key_id
}

resource "aws_cloudwatch_log_group" "this" {
  for_each = local.log_groups

  name              = each.value
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.this.arn
}

# Artifact bucket: private, ACLs off, TLS only, SSE-KMS, versioned.
resource "aws_s3_bucket" "artifacts" {
  bucket = local.bucket_name
}

resource "aws_s3_bucket_public_access_block" "artifacts" {
  bucket                  = aws_s3_bucket.artifacts.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_versioning" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id

  rule {
    bucket_key_enabled = true

    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.this.arn
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id

  rule {
    id     = "expire-noncurrent-versions"
    status = "Enabled"

    filter {}

    noncurrent_version_expiration {
      noncurrent_days = 90
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  depends_on = [aws_s3_bucket_versioning.artifacts]
}

data "aws_iam_policy_document" "artifacts_bucket" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.artifacts.arn, "${aws_s3_bucket.artifacts.arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id
  policy = data.aws_iam_policy_document.artifacts_bucket.json

  depends_on = [aws_s3_bucket_public_access_block.artifacts]
}

resource "aws_s3_object" "artifact" {
  count = var.artifact_path != "" ? 1 : 0

  bucket      = aws_s3_bucket.artifacts.id
  key         = local.artifact_key
  source      = var.artifact_path
  source_hash = filemd5(var.artifact_path)

  depends_on = [aws_s3_bucket_server_side_encryption_configuration.artifacts]
}

resource "aws_s3_object" "recipe" {
  bucket       = aws_s3_bucket.artifacts.id
  key          = "recipes/${var.component_name}-${var.component_version}.json"
  content      = local.recipe_json
  content_type = "application/json"

  depends_on = [aws_s3_bucket_server_side_encryption_configuration.artifacts]
}

# Token exchange role: what components on the devices may do in AWS. Only read this
# fleet's artifacts and write its log groups.
data "aws_iam_policy_document" "token_exchange_assume" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["credentials.iot.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "token_exchange" {
  name               = "${var.name}-GreengrassTokenExchangeRole"
  assume_role_policy = data.aws_iam_policy_document.token_exchange_assume.json
}

data "aws_iam_policy_document" "token_exchange" {
  statement {
    sid       = "ReadArtifacts"
    effect    = "Allow"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.artifacts.arn}/artifacts/*"]
  }

  statement {
    sid       = "LocateArtifactBucket"
    effect    = "Allow"
    actions   = ["s3:GetBucketLocation"]
    resources = [aws_s3_bucket.artifacts.arn]
  }

  statement {
    sid       = "DecryptArtifacts"
    effect    = "Allow"
    actions   = ["kms:Decrypt"]
    resources = [aws_kms_key.this.arn]
  }

  statement {
    sid       = "WriteFleetLogs"
    effect    = "Allow"
    actions   = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]
    resources = flatten([for group in aws_cloudwatch_log_group.this : [group.arn, "${group.arn}:*"]])
  }
}

resource "aws_iam_role_policy" "token_exchange" {
  name   = "greengrass-fleet"
  role   = aws_iam_role.token_exchange.id
  policy = data.aws_iam_policy_document.token_exchange.json
}

resource "aws_iot_role_alias" "token_exchange" {
  alias               = local.role_alias_name
  role_arn            = aws_iam_role.token_exchange.arn
  credential_duration = 3600
}

# Device policy (the Greengrass V2 minimal policy): each core device may only connect as
# itself and use its own topics and shadows; $${...} is an IoT policy variable.
resource "aws_iot_policy" "core_device" {
  name = "${var.name}-GreengrassCorePolicy"

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["iot:Connect"]
        Resource = ["${local.iot_arn}:client/$${iot:Connection.Thing.ThingName}*"]
      },
      {
        Effect = "Allow"
        Action = ["iot:Publish", "iot:Receive"]
        Resource = [
          "${local.iot_arn}:topic/$aws/things/$${iot:Connection.Thing.ThingName}/greengrass/health/json",
          "${local.iot_arn}:topic/$aws/things/$${iot:Connection.Thing.ThingName}/greengrassv2/health/json",
          "${local.iot_arn}:topic/$aws/things/$${iot:Connection.Thing.ThingName}/jobs/*",
          "${local.iot_arn}:topic/$aws/things/$${iot:Connection.Thing.ThingName}/shadow/*",
        ]
      },
      {
        Effect = "Allow"
        Action = ["iot:Subscribe"]
        Resource = [
          "${local.iot_arn}:topicfilter/$aws/things/$${iot:Connection.Thing.ThingName}/jobs/*",
          "${local.iot_arn}:topicfilter/$aws/things/$${iot:Connection.Thing.ThingName}/shadow/*",
        ]
      },
      {
        Effect   = "Allow"
        Action   = ["iot:GetThingShadow", "iot:UpdateThingShadow", "iot:DeleteThingShadow"]
        Resource = ["${local.iot_arn}:thing/$${iot:Connection.Thing.ThingName}*"]
      },
      {
        Effect   = "Allow"
        Action   = ["iot:AssumeRoleWithCertificate"]
        Resource = [aws_iot_role_alias.token_exchange.arn]
      },
      {
        Effect = "Allow"
        Action = [
          "greengrass:GetComponentVersionArtifact",
          "greengrass:ResolveComponentCandidates",
          "greengrass:GetDeploymentConfiguration",
          "greengrass:ListThingGroupsForCoreDevice",
        ]
        Resource = ["*"]
      },
    ]
  })
}

resource "aws_iot_thing_group" "this" {
  name = "${var.name}-core-devices"

  properties {
    description = "Greengrass core devices of ${var.name}: the target of its deployments"
  }
}

resource "aws_iot_thing" "core" {
  count = var.core_device_count

  name = "${var.name}-core-${count.index + 1}"

  attributes = {
    fleet = var.name
  }
}

resource "aws_iot_thing_group_membership" "core" {
  count = var.core_device_count

  thing_name       = aws_iot_thing.core[count.index].name
  thing_group_name = aws_iot_thing_group.this.name
}
