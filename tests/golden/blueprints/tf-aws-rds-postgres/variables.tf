variable "name" {
  description = "Identifier of the database instance, used in resource names and tags."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,50}[a-z0-9]$", var.name)) && !can(regex("--", var.name))
    error_message = "The name must be 2-52 lowercase letters, digits or single hyphens, starting with a letter."
  }
}

variable "region" {
  description = "AWS region of the database."
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

variable "vpc_id" {
  description = "ID of the VPC the database and its security group live in."
  type        = string

  validation {
    condition     = can(regex("^vpc-[0-9a-f]{8,17}$", var.vpc_id))
    error_message = "The VPC ID must look like vpc-0123456789abcdef0."
  }
}

variable "subnet_ids" {
  description = "Private subnet IDs for the DB subnet group (at least two, in different availability zones)."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2 && alltrue([for id in var.subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", id))])
    error_message = "Give at least two subnet IDs (subnet-...) in different availability zones."
  }
}

variable "allowed_cidr_blocks" {
  description = "IPv4 CIDR blocks allowed to connect on the PostgreSQL port (never 0.0.0.0/0)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for cidr in var.allowed_cidr_blocks : can(cidrnetmask(cidr)) && try(tonumber(split("/", cidr)[1]) > 0, false)])
    error_message = "Each allowed CIDR must be a valid IPv4 network narrower than 0.0.0.0/0."
  }
}

variable "allowed_security_group_ids" {
  description = "Security groups whose members may connect on the PostgreSQL port (e.g. the application's)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for id in var.allowed_security_group_ids : can(regex("^sg-[0-9a-f]{8,17}$", id))])
    error_message = "Each allowed security group must be an ID like sg-0123456789abcdef0."
  }
}

variable "engine_version" {
  description = "PostgreSQL version: a major version (\"16\": AWS applies minor upgrades in the maintenance window) or an exact major.minor (\"16.8\": nothing changes until you change it)."
  type        = string
  default     = "16"

  validation {
    condition     = can(regex("^(1[3-9]|[2-9][0-9])(\\.[0-9]+)?$", var.engine_version))
    error_message = "The engine version must be a PostgreSQL major version (13 or later), optionally with its minor version, e.g. 16 or 16.8."
  }
}

variable "instance_class" {
  description = "DB instance class, e.g. db.t4g.medium, db.m7g.large, db.r7g.xlarge."
  type        = string
  default     = "db.t4g.medium"

  validation {
    condition     = can(regex("^db\\.[a-z0-9-]+\\.[a-z0-9]+$", var.instance_class))
    error_message = "The instance class must look like db.t4g.medium."
  }
}

variable "allocated_storage" {
  description = "Initial storage in GiB (gp3)."
  type        = number
  default     = 20

  validation {
    condition     = var.allocated_storage >= 20 && var.allocated_storage <= 65536
    error_message = "Storage must be 20-65536 GiB."
  }
}

variable "max_allocated_storage" {
  description = "Storage autoscaling limit in GiB (at least allocated_storage)."
  type        = number
  default     = 100

  validation {
    condition     = var.max_allocated_storage >= 20 && var.max_allocated_storage <= 65536
    error_message = "The storage limit must be 20-65536 GiB."
  }
}

variable "multi_az" {
  description = "Keep a synchronous standby in another availability zone with automatic failover."
  type        = bool
  default     = true
}

variable "db_name" {
  description = "Name of the database created on the instance."
  type        = string
  default     = "app"

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,62}$", var.db_name))
    error_message = "The database name must start with a letter and hold only lowercase letters, digits and underscores (at most 63)."
  }
}

variable "master_username" {
  description = "User name of the master user; its password is generated and kept in AWS Secrets Manager by RDS."
  type        = string
  default     = "postgres"

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,62}$", var.master_username)) && !contains(["rdsadmin", "rdsrepladmin", "rds_superuser"], var.master_username)
    error_message = "The master user name must start with a letter, hold lowercase letters, digits and underscores, and not be an RDS-reserved name."
  }
}

variable "backup_retention_days" {
  description = "Days of automated backups (point-in-time recovery window)."
  type        = number
  default     = 14

  validation {
    condition     = var.backup_retention_days >= 1 && var.backup_retention_days <= 35
    error_message = "Backup retention must be 1-35 days."
  }
}

variable "backup_window" {
  description = "Daily UTC window for automated backups (hh24:mi-hh24:mi, not overlapping the maintenance window)."
  type        = string
  default     = "03:00-04:00"
}

variable "maintenance_window" {
  description = "Weekly UTC maintenance window (ddd:hh24:mi-ddd:hh24:mi)."
  type        = string
  default     = "sun:04:30-sun:05:30"
}

variable "deletion_protection" {
  description = "Refuse to delete the instance (turn off deliberately before destroying it)."
  type        = bool
  default     = true
}

variable "performance_insights_enabled" {
  description = "Turn on Performance Insights (encrypted with the module's KMS key, 7 days free retention)."
  type        = bool
  default     = true
}

variable "monitoring_interval" {
  description = "Enhanced Monitoring interval in seconds (0 turns it off)."
  type        = number
  default     = 60

  validation {
    condition     = contains([0, 1, 5, 10, 15, 30, 60], var.monitoring_interval)
    error_message = "The monitoring interval must be one of 0, 1, 5, 10, 15, 30, 60."
  }
}

variable "log_retention_days" {
  description = "Days to keep the PostgreSQL and upgrade logs exported to CloudWatch Logs."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "The retention must be one of the values CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, ...)."
  }
}
