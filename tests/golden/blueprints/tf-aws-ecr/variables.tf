variable "name" {
  description = "Name of the ECR repository (may contain a namespace, e.g. team/api), also used in tags."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$", var.name)) && length(var.name) >= 2 && length(var.name) <= 256
    error_message = "The repository name must be 2-256 lowercase letters, digits and . _ - separators, with optional / namespaces."
  }
}

variable "region" {
  description = "AWS region of the repository."
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

variable "scan_on_push" {
  description = "Scan every pushed image for known vulnerabilities."
  type        = bool
  default     = true
}

variable "keep_images" {
  description = "Number of most recent images kept; older ones are expired by the lifecycle policy."
  type        = number
  default     = 30

  validation {
    condition     = var.keep_images >= 1 && floor(var.keep_images) == var.keep_images
    error_message = "Keep at least one image."
  }
}

variable "untagged_expiry_days" {
  description = "Days after which untagged images (left behind by re-tagging or failed pushes) are expired."
  type        = number
  default     = 14

  validation {
    condition     = var.untagged_expiry_days >= 1 && floor(var.untagged_expiry_days) == var.untagged_expiry_days
    error_message = "Untagged images must be kept at least one day."
  }
}

variable "pull_account_ids" {
  description = "Other AWS account IDs whose principals may pull images from this repository."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for id in var.pull_account_ids : can(regex("^[0-9]{12}$", id))])
    error_message = "Each account ID must be 12 digits."
  }
}

variable "force_delete" {
  description = "Let terraform destroy delete the repository while it still holds images."
  type        = bool
  default     = false
}
