output "endpoint_name" {
  description = "Name of the endpoint (for sagemaker-runtime InvokeEndpoint)."
  value       = aws_sagemaker_endpoint.this.name
}

output "endpoint_arn" {
  description = "ARN of the endpoint (for IAM policies of its callers)."
  value       = aws_sagemaker_endpoint.this.arn
}

output "model_name" {
  description = "Generated name of the current SageMaker model."
  value       = aws_sagemaker_model.this.name
}

output "endpoint_configuration_name" {
  description = "Generated name of the current endpoint configuration."
  value       = aws_sagemaker_endpoint_configuration.this.name
}

output "execution_role_arn" {
  description = "ARN of the model's execution role."
  value       = aws_iam_role.execution.arn
}

output "kms_key_arn" {
  description = "ARN of the KMS key encrypting the volume (where the instance type allows), captured data and logs."
  value       = aws_kms_key.this.arn
}

output "log_group_name" {
  description = "CloudWatch Logs group of the endpoint's containers."
  value       = aws_cloudwatch_log_group.this.name
}
