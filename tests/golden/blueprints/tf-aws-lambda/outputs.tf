output "function_name" {
  description = "Name of the function."
  value       = aws_lambda_function.this.function_name
}

output "function_arn" {
  description = "ARN of the function."
  value       = aws_lambda_function.this.arn
}

output "invoke_arn" {
  description = "ARN API Gateway uses to invoke the function."
  value       = aws_lambda_function.this.invoke_arn
}

output "role_name" {
  description = "Name of the execution role: attach the permissions the code needs to it."
  value       = aws_iam_role.this.name
}

output "log_group_name" {
  description = "CloudWatch Logs group of the function."
  value       = aws_cloudwatch_log_group.this.name
}

output "dead_letter_queue_arn" {
  description = "ARN of the dead-letter queue (null without one)."
  value       = one(aws_sqs_queue.dead_letter[*].arn)
}

output "kms_key_arn" {
  description = "ARN of the KMS key encrypting logs, environment and dead letters."
  value       = aws_kms_key.this.arn
}
