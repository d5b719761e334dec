variable "project" {
  type        = string
  description = "Google Cloud project ID that owns the bucket."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project))
    error_message = "project must be a Google Cloud project ID (6-30 lowercase letters, digits and hyphens)."
  }
}

variable "region" {
  type        = string
  description = "Bucket location: a region (europe-west1), a dual-region (EUR4) or a multi-region (EU)."
  default     = "europe-west1"
}

variable "name" {
  type        = string
  description = "Short name of the bucket; the bucket is named <project>-<name> to be globally unique."
  default     = "data"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9_-]{0,30}[a-z0-9]$", var.name))
    error_message = "name must be 2-32 lowercase letters, digits, hyphens or underscores."
  }
}

variable "storage_class" {
  type        = string
  description = "Default storage class of new objects."
  default     = "STANDARD"

  validation {
    condition     = contains(["STANDARD", "NEARLINE", "COLDLINE", "ARCHIVE"], var.storage_class)
    error_message = "storage_class must be STANDARD, NEARLINE, COLDLINE or ARCHIVE."
  }
}

variable "versioning" {
  type        = bool
  description = "Keep noncurrent versions of overwritten and deleted objects."
  default     = true
}

variable "kms_key" {
  type        = string
  description = "Cloud KMS key for customer-managed encryption (projects/P/locations/L/keyRings/R/cryptoKeys/K); empty for Google-managed keys."
  default     = ""

  validation {
    condition     = var.kms_key == "" || can(regex("^projects/[^/]+/locations/[^/]+/keyRings/[^/]+/cryptoKeys/[^/]+$", var.kms_key))
    error_message = "kms_key must be empty or a full Cloud KMS crypto key name."
  }
}

variable "noncurrent_version_days" {
  type        = number
  description = "Delete noncurrent object versions this many days after they became noncurrent (0: keep them)."
  default     = 30

  validation {
    condition     = var.noncurrent_version_days >= 0
    error_message = "noncurrent_version_days must be 0 or more."
  }
}

variable "nearline_after_days" {
  type        = number
  description = "Move objects to NEARLINE this many days after creation (0: never)."
  default     = 0

  validation {
    condition     = var.nearline_after_days >= 0
    error_message = "nearline_after_days must be 0 or more."
  }
}

variable "expire_after_days" {
  type        = number
  description = "Delete objects this many days after creation (0: never)."
  default     = 0

  validation {
    condition     = var.expire_after_days >= 0
    error_message = "expire_after_days must be 0 or more."
  }
}

variable "retention_days" {
  type        = number
  description = "Retention policy: objects cannot be deleted or overwritten for this many days (0: no retention policy)."
  default     = 0

  validation {
    condition     = var.retention_days >= 0 && var.retention_days <= 36500
    error_message = "retention_days must be between 0 and 36500."
  }
}

variable "log_bucket" {
  type        = string
  description = "Bucket that receives usage and storage logs of this bucket; empty for none."
  default     = ""
}

variable "labels" {
  type        = map(string)
  description = "Extra labels for the bucket."
  default     = {}
}
