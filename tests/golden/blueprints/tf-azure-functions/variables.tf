variable "name" {
  type        = string
  description = "Name of the function app (global: <name>.azurewebsites.net); also the prefix of its plan, insights and storage account."
  default     = "func"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,40}[a-z0-9]$", var.name))
    error_message = "name must be 3-42 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "location" {
  type        = string
  description = "Azure region, e.g. westeurope."
  default     = "westeurope"
}

variable "resource_group_name" {
  type        = string
  description = "Resource group of the function app."
}

variable "create_resource_group" {
  type        = bool
  description = "Create the resource group (false: it must exist already)."
  default     = true
}

variable "runtime" {
  type        = string
  description = "Language runtime: python, node, dotnet, java or powershell."
  default     = "python"

  validation {
    condition     = contains(["python", "node", "dotnet", "java", "powershell"], var.runtime)
    error_message = "runtime must be python, node, dotnet, java or powershell."
  }
}

variable "runtime_version" {
  type        = string
  description = "Version of the runtime, e.g. 3.12 (python), 20 (node), 8.0 (dotnet isolated), 17 (java), 7.4 (powershell)."
  default     = "3.12"
}

variable "sku_name" {
  type        = string
  description = "Service plan SKU: Y1 (consumption), EP1-EP3 (elastic premium) or a dedicated one (B1, S1, P1v3...)."
  default     = "Y1"

  validation {
    condition     = can(regex("^(Y1|EP[1-3]|B[1-3]|S[1-3]|P[0-3]v[2-3]|P[1-5]mv3)$", var.sku_name))
    error_message = "sku_name must be Y1, EP1-EP3, B1-B3, S1-S3, P0v3-P3v3 or another premium v2/v3 SKU."
  }
}

variable "public_network_access" {
  type        = bool
  description = "Reachable from the internet (false: only through private endpoints)."
  default     = true
}

variable "app_settings" {
  type        = map(string)
  description = "Application settings (environment variables); put secrets in Key Vault and use @Microsoft.KeyVault(...) references."
  default     = {}
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
