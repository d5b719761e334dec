variable "name" {
  description = "Short name of the bucket's purpose, used in its default name (<name>-<account id>-<region>) and tags."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{0,28}[a-z0-9]$", var.name))
    error_message = "The name must be 2-30 lowercase letters, digits or hyphens, starting and ending with a letter or digit."
  }
}

variable "region" {
  description = "AWS region of the bucket."
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

variable "bucket_name" {
  description = "Exact, globally unique bucket name; empty: <name>-<account id>-<region>."
  type        = string
  default     = ""

  validation {
    condition     = var.bucket_name == "" || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bucket_name))
    error_message = "A bucket name is 3-63 lowercase letters, digits, dots or hyphens, starting and ending with a letter or digit."
  }
}

variable "sse_algorithm" {
  description = "Default encryption: \"aws:kms\" (SSE-KMS with a customer-managed key this module creates, with rotation) or \"AES256\" (SSE-S3)."
  type        = string
  default     = "aws:kms"

  validation {
    condition     = contains(["aws:kms", "AES256"], var.sse_algorithm)
    error_message = "The SSE algorithm must be aws:kms or AES256."
  }
}

variable "versioning_enabled" {
  description = "Keep every version of every object (recommended: recover from overwrites and deletes)."
  type        = bool
  default     = true
}

variable "noncurrent_version_expiration_days" {
  description = "Days after which a noncurrent (overwritten or deleted) object version is removed."
  type        = number
  default     = 90

  validation {
    condition     = var.noncurrent_version_expiration_days >= 1
    error_message = "The noncurrent version expiration must be at least 1 day."
  }
}

variable "noncurrent_versions_to_keep" {
  description = "Newest noncurrent versions kept regardless of their age (0: none)."
  type        = number
  default     = 3

  validation {
    condition     = var.noncurrent_versions_to_keep >= 0 && var.noncurrent_versions_to_keep <= 100
    error_message = "Keep 0 to 100 noncurrent versions."
  }
}

variable "abort_incomplete_multipart_days" {
  description = "Days after which incomplete multipart uploads are aborted (their parts cost storage)."
  type        = number
  default     = 7

  validation {
    condition     = var.abort_incomplete_multipart_days >= 1
    error_message = "Abort incomplete uploads after at least 1 day."
  }
}

variable "access_log_bucket" {
  description = "Bucket that receives this bucket's server access logs (it must allow logging.s3.amazonaws.com to write and use SSE-S3); empty: no access logging."
  type        = string
  default     = ""

  validation {
    condition     = var.access_log_bucket == "" || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.access_log_bucket))
    error_message = "The access log bucket must be a bucket name."
  }
}

variable "force_destroy" {
  description = "Let terraform destroy delete a bucket that still holds objects (keep false for data you care about)."
  type        = bool
  default     = false
}
