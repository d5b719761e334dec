variable "name" {
  type        = string
  description = "Base name; the storage account is st<name><6 hex characters>, cut to 24 characters, unless storage_account_name is set."
  default     = "data"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{0,30}[a-z0-9]$", var.name))
    error_message = "name must be 2-32 lowercase letters, digits or hyphens."
  }
}

variable "location" {
  type        = string
  description = "Azure region, e.g. westeurope."
  default     = "westeurope"
}

variable "resource_group_name" {
  type        = string
  description = "Resource group of the storage account."
}

variable "create_resource_group" {
  type        = bool
  description = "Create the resource group (false: it must exist already)."
  default     = true
}

variable "storage_account_name" {
  type        = string
  description = "Exact, globally unique storage account name (3-24 lowercase letters and digits); empty to derive one from name."
  default     = ""

  validation {
    condition     = var.storage_account_name == "" || can(regex("^[a-z0-9]{3,24}$", var.storage_account_name))
    error_message = "storage_account_name must be empty or 3-24 lowercase letters and digits."
  }
}

variable "replication" {
  type        = string
  description = "Replication: LRS, ZRS, GRS, GZRS, RAGRS or RAGZRS."
  default     = "ZRS"

  validation {
    condition     = contains(["LRS", "ZRS", "GRS", "GZRS", "RAGRS", "RAGZRS"], var.replication)
    error_message = "replication must be LRS, ZRS, GRS, GZRS, RAGRS or RAGZRS."
  }
}

variable "access_tier" {
  type        = string
  description = "Default access tier of blobs: Hot or Cool."
  default     = "Hot"

  validation {
    condition     = contains(["Hot", "Cool"], var.access_tier)
    error_message = "access_tier must be Hot or Cool."
  }
}

variable "shared_access_key_enabled" {
  type        = bool
  description = "Allow account keys and SAS tokens signed with them (false: Entra ID only)."
  default     = false
}

variable "versioning" {
  type        = bool
  description = "Keep previous versions of blobs when they are overwritten or deleted."
  default     = true
}

variable "soft_delete_days" {
  type        = number
  description = "Days deleted blobs and containers can be restored."
  default     = 14

  validation {
    condition     = var.soft_delete_days >= 1 && var.soft_delete_days <= 365
    error_message = "soft_delete_days must be between 1 and 365."
  }
}

variable "allowed_ips" {
  type        = list(string)
  description = "Public IP addresses or CIDR ranges allowed through the firewall (everything else is denied)."
  default     = []

  validation {
    condition     = alltrue([for ip in var.allowed_ips : ip != "0.0.0.0/0" && can(regex("^[0-9.]+(/[0-9]+)?$", ip))])
    error_message = "allowed_ips must be IPv4 addresses or CIDR ranges, and not 0.0.0.0/0."
  }
}

variable "allowed_subnet_ids" {
  type        = list(string)
  description = "Virtual network subnet IDs allowed through the firewall (the subnets need the Microsoft.Storage service endpoint)."
  default     = []
}

variable "containers" {
  type        = list(string)
  description = "Private blob containers to create."
  default     = []
}

variable "tags" {
  type        = map(string)
  description = "Extra tags for every resource."
  default     = {}
}
