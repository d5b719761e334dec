variable "project" {
  type        = string
  description = "Google Cloud project ID that owns the service."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project))
    error_message = "project must be a Google Cloud project ID (6-30 lowercase letters, digits and hyphens)."
  }
}

variable "region" {
  type        = string
  description = "Region of the service, e.g. europe-west1."
  default     = "europe-west1"
}

variable "name" {
  type        = string
  description = "Name of the Cloud Run service; its service account is <name>-run."
  default     = "api"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,24}[a-z0-9]$", var.name))
    error_message = "name must be 3-26 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "image" {
  type        = string
  description = "Container image, preferably pinned by tag or digest (e.g. europe-docker.pkg.dev/acme/apps/api:1.4.2)."

  validation {
    condition     = length(trimspace(var.image)) > 0
    error_message = "image must not be empty."
  }
}

variable "port" {
  type        = number
  description = "Port the container listens on."
  default     = 8080

  validation {
    condition     = var.port >= 1 && var.port <= 65535
    error_message = "port must be between 1 and 65535."
  }
}

variable "ingress" {
  type        = string
  description = "Where requests may come from: INGRESS_TRAFFIC_ALL, INGRESS_TRAFFIC_INTERNAL_ONLY or INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER."
  default     = "INGRESS_TRAFFIC_ALL"

  validation {
    condition     = contains(["INGRESS_TRAFFIC_ALL", "INGRESS_TRAFFIC_INTERNAL_ONLY", "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER"], var.ingress)
    error_message = "ingress must be INGRESS_TRAFFIC_ALL, INGRESS_TRAFFIC_INTERNAL_ONLY or INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER."
  }
}

variable "min_instances" {
  type        = number
  description = "Instances kept warm (0 scales to zero when idle)."
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

variable "cpu" {
  type        = string
  description = "CPU limit per instance, e.g. 1, 2 or 1000m."
  default     = "1"
}

variable "memory" {
  type        = string
  description = "Memory limit per instance, e.g. 512Mi or 2Gi."
  default     = "512Mi"
}

variable "concurrency" {
  type        = number
  description = "Maximum concurrent requests per instance."
  default     = 80

  validation {
    condition     = var.concurrency >= 1 && var.concurrency <= 1000
    error_message = "concurrency must be between 1 and 1000."
  }
}

variable "timeout_seconds" {
  type        = number
  description = "Request timeout in seconds."
  default     = 300

  validation {
    condition     = var.timeout_seconds >= 1 && var.timeout_seconds <= 3600
    error_message = "timeout_seconds must be between 1 and 3600."
  }
}

variable "public" {
  type        = bool
  description = "Let anyone invoke the service (grants roles/run.invoker to allUsers); false requires an authenticated caller."
  default     = false
}

variable "invokers" {
  type        = list(string)
  description = "IAM members allowed to invoke the private service, e.g. serviceAccount:caller@acme.iam.gserviceaccount.com."
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

variable "deletion_protection" {
  type        = bool
  description = "Refuse terraform destroy of the service until this is set to false."
  default     = true
}

variable "labels" {
  type        = map(string)
  description = "Extra labels for the service."
  default     = {}
}
