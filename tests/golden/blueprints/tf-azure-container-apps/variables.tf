variable "name" {
  type        = string
  description = "Name of the container app; also the prefix of its environment, identity and workspace."
  default     = "api"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,26}[a-z0-9]$", var.name))
    error_message = "name must be 2-28 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "location" {
  type        = string
  description = "Azure region, e.g. westeurope."
  default     = "westeurope"
}

variable "resource_group_name" {
  type        = string
  description = "Resource group of the app and its environment."
}

variable "create_resource_group" {
  type        = bool
  description = "Create the resource group (false: it must exist already)."
  default     = true
}

variable "image" {
  type        = string
  description = "Container image, pinned by tag or digest (e.g. acme.azurecr.io/api:1.4.2)."

  validation {
    condition     = length(trimspace(var.image)) > 0
    error_message = "image must not be empty."
  }
}

variable "registry_server" {
  type        = string
  description = "Private registry the image comes from (e.g. acme.azurecr.io), pulled with the app's identity (give it AcrPull); empty for a public image."
  default     = ""
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

variable "external" {
  type        = bool
  description = "Accept traffic from the internet (true) or only from inside the Container Apps environment (false)."
  default     = false
}

variable "min_replicas" {
  type        = number
  description = "Replicas always running (0 scales to zero when idle)."
  default     = 1

  validation {
    condition     = var.min_replicas >= 0 && var.min_replicas <= 1000
    error_message = "min_replicas must be between 0 and 1000."
  }
}

variable "max_replicas" {
  type        = number
  description = "Upper bound of HTTP-driven autoscaling."
  default     = 10

  validation {
    condition     = var.max_replicas >= 1 && var.max_replicas <= 1000 && var.max_replicas >= var.min_replicas
    error_message = "max_replicas must be between 1 and 1000 and at least min_replicas."
  }
}

variable "cpu" {
  type        = number
  description = "vCPUs per replica (0.25 steps up to 4 on the consumption profile)."
  default     = 0.5

  validation {
    condition     = contains([0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2, 2.5, 3, 3.5, 4], var.cpu)
    error_message = "cpu must be one of 0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2, 2.5, 3, 3.5 or 4."
  }
}

variable "memory" {
  type        = string
  description = "Memory per replica; the consumption profile needs twice the vCPUs in Gi (0.5 vCPU: 1Gi)."
  default     = "1Gi"

  validation {
    condition     = can(regex("^[0-9.]+Gi$", var.memory))
    error_message = "memory must be given in Gi, e.g. 1Gi."
  }
}

variable "concurrent_requests" {
  type        = number
  description = "Concurrent HTTP requests per replica before another replica is added."
  default     = 50

  validation {
    condition     = var.concurrent_requests >= 1
    error_message = "concurrent_requests must be at least 1."
  }
}

variable "env" {
  type        = map(string)
  description = "Plain environment variables (no secrets: use secrets or key_vault_secrets)."
  default     = {}
}

variable "secrets" {
  type        = map(string)
  description = "Secret values by secret name, given at apply time (TF_VAR_secrets or a secret store), never written in files."
  default     = {}
  sensitive   = true
}

variable "key_vault_secrets" {
  type        = map(string)
  description = "Secrets read from Key Vault by the app's identity: secret name => versionless secret URI (https://<vault>.vault.azure.net/secrets/<name>)."
  default     = {}

  validation {
    condition     = alltrue([for uri in values(var.key_vault_secrets) : can(regex("^https://[a-z0-9-]+\\.vault\\.azure\\.net/secrets/[A-Za-z0-9-]+/?$", uri))])
    error_message = "key_vault_secrets values must be versionless Key Vault secret URIs."
  }
}

variable "key_vault_id" {
  type        = string
  description = "Resource ID of the Key Vault holding key_vault_secrets (the app's identity gets Key Vault Secrets User on it)."
  default     = ""

  validation {
    condition     = length(var.key_vault_secrets) == 0 || var.key_vault_id != ""
    error_message = "key_vault_id is needed when key_vault_secrets are given."
  }
}

variable "secret_environment" {
  type        = map(string)
  description = "Environment variables taken from secrets: variable name => secret name (from secrets or key_vault_secrets)."
  default     = {}
}

variable "log_retention_days" {
  type        = number
  description = "Days the Log Analytics workspace keeps the app's logs."
  default     = 30

  validation {
    condition     = var.log_retention_days >= 30 && var.log_retention_days <= 730
    error_message = "log_retention_days must be between 30 and 730."
  }
}

variable "tags" {
  type        = map(string)
  description = "Extra tags for every resource."
  default     = {}
}
