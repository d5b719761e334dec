output "db_instance_identifier" {
  description = "Identifier of the DB instance."
  value       = aws_db_instance.this.identifier
}

output "db_instance_arn" {
  description = "ARN of the DB instance."
  value       = aws_db_instance.this.arn
}

output "address" {
  description = "Host name clients connect to (inside the VPC)."
  value       = aws_db_instance.this.address
}

output "port" {
  description = "PostgreSQL port."
  value       = aws_db_instance.this.port
}

output "db_name" {
  description = "Name of the database created on the instance."
  value       = aws_db_instance.this.db_name
}

output "engine_version_actual" {
  description = "PostgreSQL version running now."
  value       = aws_db_instance.this.engine_version_actual
}

output "master_user_secret_arn" {
  description = "ARN of the Secrets Manager secret holding the master user's generated password."
  value       = aws_db_instance.this.master_user_secret[0].secret_arn
}

output "db_resource_id" {
  description = "Resource ID of the instance, for rds-db:connect IAM policies (IAM authentication)."
  value       = aws_db_instance.this.resource_id
}

output "security_group_id" {
  description = "Security group of the database; add more client rules to it."
  value       = aws_security_group.this.id
}

output "kms_key_arn" {
  description = "ARN of the KMS key encrypting storage, snapshots, Performance Insights and the master secret."
  value       = aws_kms_key.this.arn
}
