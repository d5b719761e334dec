data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  account_id     = data.aws_caller_identity.current.account_id
  partition      = data.aws_partition.current.partition
  log_group_name = "/aws/lambda/${var.name}"
  from_file      = var.package_path != ""
  in_vpc         = length(var.subnet_ids) > 0
}

# Logs, environment variables and the dead-letter queue are encrypted with one
# customer-managed key with rotation. A key policy's Resource "*" means the key itself.
resource "aws_kms_key" "this" {
  description             = "Lambda function ${var.name}"
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
        Sid       = "CloudWatchLogsForTheFunctionLogGroup"
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
  name          = "alias/lambda-${var.name}"
  target_key_id = aws_kms_key.this.key_id
}

resource "aws_cloudwatch_log_group" "this" {
  name              = local.log_group_name
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.this.arn
}

resource "aws_sqs_queue" "dead_letter" {
  count = var.dead_letter_queue ? 1 : 0

  name                              = "${var.name}-dlq"
  kms_master_key_id                 = aws_kms_key.this.arn
  kms_data_key_reuse_period_seconds = 300
  message_retention_seconds         = 1209600
}

data "aws_iam_policy_document" "assume" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "this" {
  name               = "${var.name}-lambda"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

# Least privilege: write to its own log group, send traces, read its environment, and (when
# there is one) send to its dead-letter queue. Add what the code itself needs separately.
data "aws_iam_policy_document" "this" {
  statement {
    sid       = "WriteOwnLogs"
    effect    = "Allow"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.this.arn}:*"]
  }

  statement {
    sid       = "SendTraces"
    effect    = "Allow"
    actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
    resources = ["*"]
  }

  statement {
    sid       = "DecryptEnvironment"
    effect    = "Allow"
    actions   = ["kms:Decrypt"]
    resources = [aws_kms_key.this.arn]
  }

  dynamic "statement" {
    for_each = var.dead_letter_queue ? [1] : []

    content {
      sid       = "SendToDeadLetterQueue"
      effect    = "Allow"
      actions   = ["sqs:SendMessage"]
      resources = [aws_sqs_queue.dead_letter[0].arn]
    }
  }

  dynamic "statement" {
    for_each = var.dead_letter_queue ? [1] : []

    content {
      sid       = "EncryptDeadLetters"
      effect    = "Allow"
      actions   = ["kms:GenerateDataKey"]
      resources = [aws_kms_key.this.arn]
    }
  }
}

resource "aws_iam_role_policy" "this" {
  name   = "least-privilege"
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.this.json
}

# In a VPC, Lambda manages the function's network interfaces through this AWS policy.
resource "aws_iam_role_policy_attachment" "vpc" {
  count = local.in_vpc ? 1 : 0

  role       = aws_iam_role.this.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
}

resource "aws_lambda_function" "this" {
  function_name = var.name
  description   = "${var.name} (${var.runtime})"
  role          = aws_iam_role.this.arn
  runtime       = var.runtime
  handler       = var.handler
  architectures = [var.architecture]
  memory_size   = var.memory_size
  timeout       = var.timeout
  kms_key_arn   = aws_kms_key.this.arn

  filename         = local.from_file ? var.package_path : null
  source_code_hash = local.from_file ? filebase64sha256(var.package_path) : null
  s3_bucket        = local.from_file ? null : var.s3_bucket
  s3_key           = local.from_file ? null : var.s3_key

  reserved_concurrent_executions = var.reserved_concurrency

  tracing_config {
    mode = "Active"
  }

  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.this.name
  }

  dynamic "environment" {
    for_each = length(var.environment) > 0 ? [var.environment] : []

    content {
      variables = environment.value
    }
  }

  dynamic "vpc_config" {
    for_each = local.in_vpc ? [1] : []

    content {
      subnet_ids         = var.subnet_ids
      security_group_ids = var.security_group_ids
    }
  }

  dynamic "dead_letter_config" {
    for_each = var.dead_letter_queue ? [1] : []

    content {
      target_arn = aws_sqs_queue.dead_letter[0].arn
    }
  }

  lifecycle {
    precondition {
      condition     = local.from_file != (var.s3_bucket != "" && var.s3_key != "")
      error_message = "Give either package_path or both s3_bucket and s3_key."
    }

    precondition {
      condition     = !local.in_vpc || length(var.security_group_ids) > 0
      error_message = "A function in a VPC needs security_group_ids."
    }
  }

  depends_on = [aws_iam_role_policy.this, aws_iam_role_policy_attachment.vpc]
}
