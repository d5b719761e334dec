variable "project" {
  type        = string
  description = "Google Cloud project ID that owns the endpoint."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project))
    error_message = "project must be a Google Cloud project ID (6-30 lowercase letters, digits and hyphens)."
  }
}

variable "region" {
  type        = string
  description = "Vertex AI region of the endpoint, e.g. europe-west4 or us-central1."
  default     = "europe-west1"
}

variable "name" {
  type        = string
  description = "Display name of the endpoint; its serving service account is <name>-serving."
  default     = "model-endpoint"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,20}[a-z0-9]$", var.name))
    error_message = "name must be 6-22 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "endpoint_id" {
  type        = string
  description = "Numeric endpoint ID (up to 10 digits, no leading zero); empty to derive a stable one from project, region and name."
  default     = ""

  validation {
    condition     = var.endpoint_id == "" || can(regex("^[1-9][0-9]{0,9}$", var.endpoint_id))
    error_message = "endpoint_id must be empty or a number of up to 10 digits without a leading zero."
  }
}

variable "model_id" {
  type        = string
  description = "ID or resource name of an uploaded Vertex AI model to deploy (see the deploy_model_command output); empty for none yet."
  default     = ""
}

variable "machine_type" {
  type        = string
  description = "Machine type of the deployed model's replicas."
  default     = "n1-standard-4"
}

variable "accelerator_type" {
  type        = string
  description = "GPU type per replica in gcloud's spelling (nvidia-tesla-t4, nvidia-l4, nvidia-tesla-a100); empty for CPU only."
  default     = ""
}

variable "accelerator_count" {
  type        = number
  description = "GPUs per replica (used when accelerator_type is set)."
  default     = 1

  validation {
    condition     = var.accelerator_count >= 1
    error_message = "accelerator_count must be at least 1."
  }
}

variable "min_replicas" {
  type        = number
  description = "Replicas always running for the deployed model."
  default     = 1

  validation {
    condition     = var.min_replicas >= 1
    error_message = "min_replicas must be at least 1."
  }
}

variable "max_replicas" {
  type        = number
  description = "Upper bound of the deployed model's autoscaling."
  default     = 2

  validation {
    condition     = var.max_replicas >= var.min_replicas
    error_message = "max_replicas must be at least min_replicas."
  }
}

variable "network" {
  type        = string
  description = "VPC to peer a private endpoint with (projects/<number>/global/networks/<name>, private services access configured); empty for a public endpoint that still requires IAM."
  default     = ""

  validation {
    condition     = var.network == "" || can(regex("^projects/[0-9]+/global/networks/[a-z0-9-]+$", var.network))
    error_message = "network must be empty or projects/<project number>/global/networks/<name>."
  }
}

variable "kms_key" {
  type        = string
  description = "Cloud KMS key in the endpoint's region for customer-managed encryption; empty for Google-managed keys."
  default     = ""

  validation {
    condition     = var.kms_key == "" || can(regex("^projects/[^/]+/locations/[^/]+/keyRings/[^/]+/cryptoKeys/[^/]+$", var.kms_key))
    error_message = "kms_key must be empty or a full Cloud KMS crypto key name."
  }
}

variable "labels" {
  type        = map(string)
  description = "Extra labels for the endpoint."
  default     = {}
}
