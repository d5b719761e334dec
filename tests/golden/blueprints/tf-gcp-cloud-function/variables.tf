variable "project" {
  type        = string
  description = "Google Cloud project ID that owns the function."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project))
    error_message = "project must be a Google Cloud project ID (6-30 lowercase letters, digits and hyphens)."
  }
}

variable "region" {
  type        = string
  description = "Region of the function, e.g. europe-west1."
  default     = "europe-west1"
}

variable "name" {
  type        = string
  description = "Name of the function; its service accounts are <name>-fn and <name>-build."
  default     = "handler"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,22}[a-z0-9]$", var.name))
    error_message = "name must be 3-24 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "runtime" {
  type        = string
  description = "Cloud Functions runtime, e.g. python312, nodejs22, go123, java21."
  default     = "python312"

  validation {
    condition     = can(regex("^(python3[0-9]+|nodejs[0-9]+|go1[0-9]+|java[0-9]+|dotnet[0-9]+|ruby[0-9]+|php[0-9]+)$", var.runtime))
    error_message = "runtime must be a Cloud Functions runtime ID such as python312, nodejs22, go123 or java21."
  }
}

variable "entry_point" {
  type        = string
  description = "Name of the function in the source code that handles requests."
  default     = "handler"
}

variable "source_bucket" {
  type        = string
  description = "Existing bucket holding the source archive; empty to create a private bucket and upload source_archive into it."
  default     = ""
}

variable "source_object" {
  type        = string
  description = "Object name of the source archive (zip) in source_bucket; used when source_bucket is set."
  default     = "function-source.zip"
}

variable "source_archive" {
  type        = string
  description = "Local path of the zipped source, uploaded when source_bucket is empty."
  default     = "function-source.zip"
}

variable "memory" {
  type        = string
  description = "Memory per instance, e.g. 256M, 512M, 1G, 2Gi."
  default     = "256M"
}

variable "timeout_seconds" {
  type        = number
  description = "Request timeout in seconds."
  default     = 60

  validation {
    condition     = var.timeout_seconds >= 1 && var.timeout_seconds <= 3600
    error_message = "timeout_seconds must be between 1 and 3600."
  }
}

variable "min_instances" {
  type        = number
  description = "Instances kept warm (0 scales to zero)."
  default     = 0

  validation {
    condition     = var.min_instances >= 0
    error_message = "min_instances must be 0 or more."
  }
}

variable "max_instances" {
  type        = number
  description = "Upper bound of autoscaling."
  default     = 10

  validation {
    condition     = var.max_instances >= 1 && var.max_instances >= var.min_instances
    error_message = "max_instances must be at least 1 and at least min_instances."
  }
}

variable "ingress" {
  type        = string
  description = "Where requests may come from: ALLOW_INTERNAL_ONLY (VPC), ALLOW_INTERNAL_AND_GCLB or ALLOW_ALL."
  default     = "ALLOW_INTERNAL_ONLY"

  validation {
    condition     = contains(["ALLOW_ALL", "ALLOW_INTERNAL_ONLY", "ALLOW_INTERNAL_AND_GCLB"], var.ingress)
    error_message = "ingress must be ALLOW_ALL, ALLOW_INTERNAL_ONLY or ALLOW_INTERNAL_AND_GCLB."
  }
}

variable "invokers" {
  type        = list(string)
  description = "IAM members allowed to invoke the function, e.g. serviceAccount:caller@acme.iam.gserviceaccount.com."
  default     = []
}

variable "env" {
  type        = map(string)
  description = "Plain environment variables (no secrets: use secrets)."
  default     = {}
}

variable "secrets" {
  type        = map(string)
  description = "Environment variables read from Secret Manager: variable name => secret ID (latest version)."
  default     = {}
}

variable "labels" {
  type        = map(string)
  description = "Extra labels for the function and its bucket."
  default     = {}
}
