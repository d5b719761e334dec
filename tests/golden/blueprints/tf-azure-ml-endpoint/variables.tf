variable "name" {
  type        = string
  description = "Name of the Azure ML workspace; also the prefix of its endpoint, key vault, storage and insights."
  default     = "ml"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,22}[a-z0-9]$", var.name))
    error_message = "name must be 3-24 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "location" {
  type        = string
  description = "Azure region, e.g. westeurope."
  default     = "westeurope"
}

variable "resource_group_name" {
  type        = string
  description = "Resource group of the workspace and its dependencies."
}

variable "create_resource_group" {
  type        = bool
  description = "Create the resource group (false: it must exist already)."
  default     = true
}

variable "public_network_access" {
  type        = bool
  description = "Reach the workspace and the endpoint from the internet (false: private endpoints only, which you add)."
  default     = true
}

variable "isolation_mode" {
  type        = string
  description = "Managed network of the workspace's compute: AllowOnlyApprovedOutbound, AllowInternetOutbound or Disabled."
  default     = "AllowOnlyApprovedOutbound"

  validation {
    condition     = contains(["AllowOnlyApprovedOutbound", "AllowInternetOutbound", "Disabled"], var.isolation_mode)
    error_message = "isolation_mode must be AllowOnlyApprovedOutbound, AllowInternetOutbound or Disabled."
  }
}

variable "endpoint_auth_mode" {
  type        = string
  description = "How callers authenticate to the online endpoint: AADToken (Entra ID), AMLToken or Key."
  default     = "AADToken"

  validation {
    condition     = contains(["AADToken", "AMLToken", "Key"], var.endpoint_auth_mode)
    error_message = "endpoint_auth_mode must be AADToken, AMLToken or Key."
  }
}

variable "model_id" {
  type        = string
  description = "Registered model to deploy (e.g. azureml://registries/azureml/models/<name>/versions/<n> or a workspace model ID, MLflow format); empty for an endpoint without a deployment."
  default     = ""
}

variable "instance_type" {
  type        = string
  description = "VM size of the deployment's instances, e.g. Standard_DS3_v2 or Standard_NC6s_v3 for a GPU."
  default     = "Standard_DS3_v2"
}

variable "instance_count" {
  type        = number
  description = "Instances of the deployment."
  default     = 1

  validation {
    condition     = var.instance_count >= 1
    error_message = "instance_count must be at least 1."
  }
}

variable "log_retention_days" {
  type        = number
  description = "Days the Log Analytics workspace behind Application Insights keeps data."
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
