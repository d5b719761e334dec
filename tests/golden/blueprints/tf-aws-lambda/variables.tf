variable "name" {
  description = "Name of the Lambda function, used in resource names and tags."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9-_]{2,56}$", var.name))
    error_message = "The name must be 2-56 letters, digits, hyphens or underscores."
  }
}

variable "region" {
  description = "AWS region of the function."
  type        = string
  default     = "us-east-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "The region must be an AWS region name such as us-east-1 or eu-west-1."
  }
}

variable "tags" {
  description = "Extra tags for every resource (merged into the provider's default tags)."
  type        = map(string)
  default     = {}
}

variable "runtime" {
  description = "Lambda runtime (only supported, non-deprecated ones)."
  type        = string
  default     = "python3.12"

  validation {
    condition     = contains(["python3.12", "python3.13", "nodejs20.x", "nodejs22.x", "java21", "dotnet8", "ruby3.3", "provided.al2023"], var.runtime)
    error_message = "The runtime must be one of python3.12, python3.13, nodejs20.x, nodejs22.x, java21, dotnet8, ruby3.3, provided.al2023."
  }
}

variable "handler" {
  description = "Function entry point, e.g. app.handler (Python), index.handler (Node.js), bootstrap (provided.al2023)."
  type        = string
  default     = "app.handler"
}

variable "architecture" {
  description = "Instruction set: arm64 (Graviton, cheaper per GB-second) or x86_64."
  type        = string
  default     = "arm64"

  validation {
    condition     = contains(["arm64", "x86_64"], var.architecture)
    error_message = "The architecture must be arm64 or x86_64."
  }
}

variable "package_path" {
  description = "Path of the deployment package (.zip) on the machine running Terraform; leave empty to deploy from s3_bucket/s3_key."
  type        = string
  default     = ""
}

variable "s3_bucket" {
  description = "Bucket holding the deployment package when package_path is empty."
  type        = string
  default     = ""
}

variable "s3_key" {
  description = "Object key of the deployment package in s3_bucket."
  type        = string
  default     = ""
}

variable "memory_size" {
  description = "Memory in MB (CPU scales with it)."
  type        = number
  default     = 256

  validation {
    condition     = var.memory_size >= 128 && var.memory_size <= 10240
    error_message = "Memory must be 128-10240 MB."
  }
}

variable "timeout" {
  description = "Maximum run time of one invocation in seconds."
  type        = number
  default     = 30

  validation {
    condition     = var.timeout >= 1 && var.timeout <= 900
    error_message = "The timeout must be 1-900 seconds."
  }
}

variable "reserved_concurrency" {
  description = "Concurrent executions reserved for (and capped at for) this function; -1: no reservation, 0 stops all invocations."
  type        = number
  default     = 10

  validation {
    condition     = var.reserved_concurrency >= -1
    error_message = "Reserved concurrency is -1 (none) or a number of executions."
  }
}

variable "environment" {
  description = "Environment variables of the function (encrypted at rest with the module's KMS key; put secrets in Secrets Manager, not here)."
  type        = map(string)
  default     = {}
}

variable "log_retention_days" {
  description = "Days to keep the function's logs."
  type        = number
  default     = 90

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "The retention must be one of the values CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, ...)."
  }
}

variable "subnet_ids" {
  description = "Subnets to run the function in (private, with a NAT or VPC endpoints for AWS APIs); empty: no VPC."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for id in var.subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", id))])
    error_message = "Each subnet ID must look like subnet-0123456789abcdef0."
  }
}

variable "security_group_ids" {
  description = "Security groups of the function's network interfaces when subnet_ids is set."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for id in var.security_group_ids : can(regex("^sg-[0-9a-f]{8,17}$", id))])
    error_message = "Each security group ID must look like sg-0123456789abcdef0."
  }
}

variable "dead_letter_queue" {
  description = "Send events of asynchronous invocations that failed every retry to a KMS-encrypted SQS queue."
  type        = bool
  default     = true
}
