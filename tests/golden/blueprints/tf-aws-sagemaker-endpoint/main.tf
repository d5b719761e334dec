data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  account_id     = data.aws_caller_identity.current.account_id
  partition      = data.aws_partition.current.partition
  log_group_name = "/aws/sagemaker/Endpoints/${var.name}"

  # <account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag> -> the repository's ARN.
  image_parts    = regex("^([0-9]{12})\\.dkr\\.ecr\\.([a-z0-9-]+)\\.amazonaws\\.com(?:\\.cn)?/([^:@]+)", var.image_uri)
  repository_arn = "arn:${local.partition}:ecr:${local.image_parts[1]}:${local.image_parts[0]}:repository/${local.image_parts[2]}"

  model_object_arn = "arn:${local.partition}:s3:::${trimprefix(var.model_data_url, "s3://")}"
  capture          = var.data_capture_s3_uri != ""
  capture_path     = trimsuffix(trimprefix(var.data_capture_s3_uri, "s3://"), "/")

  # Instance types with local NVMe storage (g4dn, g5, p4d, m5d ...) refuse a volume KMS key:
  # their instance store is always encrypted with a hardware key.
  local_nvme = can(regex("^ml\\.(g[4-9][a-z]*|p[3-9][a-z]*|[a-z][0-9][a-z]*d[a-z]*)\\.", var.instance_type))
}

# A customer-managed key with rotation for the ML storage volume, captured data and logs.
# A key policy's Resource "*" means the key itself.
resource "aws_kms_key" "this" {
  description             = "SageMaker endpoint ${var.name}"
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
        Sid       = "CloudWatchLogsForTheEndpointLogGroup"
        Effect    = "Allow"
        Principal = { Service = "logs.${var.region}.amazonaws.com" }
        Action    = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
        Resource  = "*"
        Condition = {
          ArnEquals = {
            "kms:EncryptionContext:aws:logs:arn" = "arn:${local.partition}:logs:${var.region}:${local.account_id}:log-group:${local.log_group_name}"
          }
        }
      },
    ]
  })
}

resource "aws_kms_alias" "this" {
  name          = "alias/sagemaker-${var.name}"
  target_key_id = aws_kms_key.this.key_id
}

resource "aws_cloudwatch_log_group" "this" {
  name              = local.log_group_name
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.this.arn
}

data "aws_iam_policy_document" "assume" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["sagemaker.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "execution" {
  name               = "${var.name}-sagemaker"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

# Least privilege: pull this one image, read this one model archive, write this endpoint's
# logs and metrics, use this module's key, and (with data capture) write under its prefix.
data "aws_iam_policy_document" "execution" {
  statement {
    sid       = "PullTheImage"
    effect    = "Allow"
    actions   = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"]
    resources = [local.repository_arn]
  }

  statement {
    sid       = "AuthenticateToEcr"
    effect    = "Allow"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid       = "WriteEndpointLogs"
    effect    = "Allow"
    actions   = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]
    resources = [aws_cloudwatch_log_group.this.arn, "${aws_cloudwatch_log_group.this.arn}:*"]
  }

  statement {
    sid       = "PublishMetrics"
    effect    = "Allow"
    actions   = ["cloudwatch:PutMetricData"]
    resources = ["*"]
  }

  statement {
    sid       = "UseTheEndpointKey"
    effect    = "Allow"
    actions   = ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey", "kms:CreateGrant"]
    resources = [aws_kms_key.this.arn]
  }

  dynamic "statement" {
    for_each = var.model_data_url != "" ? [1] : []

    content {
      sid       = "ReadTheModel"
      effect    = "Allow"
      actions   = ["s3:GetObject"]
      resources = [local.model_object_arn]
    }
  }

  dynamic "statement" {
    for_each = var.model_data_kms_key_arn != "" ? [1] : []

    content {
      sid       = "DecryptTheModel"
      effect    = "Allow"
      actions   = ["kms:Decrypt"]
      resources = [var.model_data_kms_key_arn]
    }
  }

  dynamic "statement" {
    for_each = local.capture ? [1] : []

    content {
      sid       = "WriteCapturedData"
      effect    = "Allow"
      actions   = ["s3:PutObject"]
      resources = ["arn:${local.partition}:s3:::${local.capture_path}/*"]
    }
  }
}

resource "aws_iam_role_policy" "execution" {
  name   = "least-privilege"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.execution.json
}

# Models and endpoint configurations cannot be changed in place: a change creates new ones
# (generated names) before the endpoint switches over and the old ones are deleted.
resource "aws_sagemaker_model" "this" {
  execution_role_arn       = aws_iam_role.execution.arn
  enable_network_isolation = var.network_isolation

  primary_container {
    image          = var.image_uri
    model_data_url = var.model_data_url != "" ? var.model_data_url : null
    environment    = var.environment
  }

  lifecycle {
    create_before_destroy = true
  }

  depends_on = [aws_iam_role_policy.execution]
}

resource "aws_sagemaker_endpoint_configuration" "this" {
  name_prefix = "${var.name}-"
  kms_key_arn = local.local_nvme ? null : aws_kms_key.this.arn

  production_variants {
    variant_name           = "AllTraffic"
    model_name             = aws_sagemaker_model.this.name
    instance_type          = var.instance_type
    initial_instance_count = var.initial_instance_count
    initial_variant_weight = 1
  }

  dynamic "data_capture_config" {
    for_each = local.capture ? [1] : []

    content {
      enable_capture              = true
      initial_sampling_percentage = var.data_capture_percentage
      destination_s3_uri          = var.data_capture_s3_uri
      kms_key_id                  = aws_kms_key.this.arn

      capture_options {
        capture_mode = "Input"
      }

      capture_options {
        capture_mode = "Output"
      }
    }
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_sagemaker_endpoint" "this" {
  name                 = var.name
  endpoint_config_name = aws_sagemaker_endpoint_configuration.this.name

  depends_on = [aws_cloudwatch_log_group.this]
}

resource "aws_appautoscaling_target" "this" {
  count = var.autoscaling_max_instances > 0 ? 1 : 0

  service_namespace  = "sagemaker"
  resource_id        = "endpoint/${aws_sagemaker_endpoint.this.name}/variant/AllTraffic"
  scalable_dimension = "sagemaker:variant:DesiredInstanceCount"
  min_capacity       = var.initial_instance_count
  max_capacity       = max(var.autoscaling_max_instances, var.initial_instance_count)
}

resource "aws_appautoscaling_policy" "this" {
  count = var.autoscaling_max_instances > 0 ? 1 : 0

  name               = "${var.name}-invocations-per-instance"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.this[0].service_namespace
  resource_id        = aws_appautoscaling_target.this[0].resource_id
  scalable_dimension = aws_appautoscaling_target.this[0].scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = var.invocations_per_instance
    scale_in_cooldown  = 300
    scale_out_cooldown = 60

    predefined_metric_specification {
      predefined_metric_type = "SageMakerVariantInvocationsPerInstance"
    }
  }
}
