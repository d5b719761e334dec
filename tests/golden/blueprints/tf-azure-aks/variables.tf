variable "name" {
  type        = string
  description = "Name of the cluster; also the prefix of its network, identity and workspace."
  default     = "aks-main"

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
  description = "Resource group of the cluster."
}

variable "create_resource_group" {
  type        = bool
  description = "Create the resource group (false: it must exist already)."
  default     = true
}

variable "kubernetes_version" {
  type        = string
  description = "Kubernetes minor version, e.g. 1.31; empty for AKS's default. Patches are applied automatically."
  default     = ""
}

variable "sku_tier" {
  type        = string
  description = "Control plane tier: Free, Standard (uptime SLA) or Premium (long-term support)."
  default     = "Standard"

  validation {
    condition     = contains(["Free", "Standard", "Premium"], var.sku_tier)
    error_message = "sku_tier must be Free, Standard or Premium."
  }
}

variable "vm_size" {
  type        = string
  description = "VM size of the system node pool."
  default     = "Standard_D4ds_v5"
}

variable "min_nodes" {
  type        = number
  description = "Minimum nodes of the system pool."
  default     = 2

  validation {
    condition     = var.min_nodes >= 1
    error_message = "min_nodes must be at least 1."
  }
}

variable "max_nodes" {
  type        = number
  description = "Maximum nodes of the system pool."
  default     = 5

  validation {
    condition     = var.max_nodes >= var.min_nodes
    error_message = "max_nodes must be at least min_nodes."
  }
}

variable "zones" {
  type        = list(string)
  description = "Availability zones of the node pools; empty in regions without zones."
  default     = ["1", "2", "3"]
}

variable "gpu_enabled" {
  type        = bool
  description = "Add an autoscaled GPU user pool, tainted so that only pods tolerating nvidia.com/gpu run there."
  default     = false
}

variable "gpu_vm_size" {
  type        = string
  description = "VM size of the GPU pool, e.g. Standard_NC4as_T4_v3 or Standard_NC24ads_A100_v4."
  default     = "Standard_NC4as_T4_v3"
}

variable "gpu_max_nodes" {
  type        = number
  description = "Maximum GPU nodes (the pool scales down to zero when idle)."
  default     = 2

  validation {
    condition     = var.gpu_max_nodes >= 1
    error_message = "gpu_max_nodes must be at least 1."
  }
}

variable "network_policy" {
  type        = string
  description = "NetworkPolicy engine with Azure CNI overlay: cilium (eBPF data plane) or calico."
  default     = "cilium"

  validation {
    condition     = contains(["cilium", "calico"], var.network_policy)
    error_message = "network_policy must be cilium or calico."
  }
}

variable "vnet_cidr" {
  type        = string
  description = "Address space of the cluster's virtual network."
  default     = "10.40.0.0/16"

  validation {
    condition     = can(cidrhost(var.vnet_cidr, 0))
    error_message = "vnet_cidr must be a CIDR block."
  }
}

variable "nodes_subnet_cidr" {
  type        = string
  description = "Subnet of the nodes, inside vnet_cidr."
  default     = "10.40.0.0/22"

  validation {
    condition     = can(cidrhost(var.nodes_subnet_cidr, 0))
    error_message = "nodes_subnet_cidr must be a CIDR block."
  }
}

variable "pod_cidr" {
  type        = string
  description = "Overlay range for pod IP addresses (not routable outside the cluster)."
  default     = "192.168.0.0/16"
}

variable "service_cidr" {
  type        = string
  description = "Range for Service IP addresses; must not overlap the virtual network."
  default     = "10.0.0.0/16"
}

variable "dns_service_ip" {
  type        = string
  description = "Cluster DNS Service address, inside service_cidr."
  default     = "10.0.0.10"
}

variable "private_cluster" {
  type        = bool
  description = "Give the API server a private endpoint only (reachable from the virtual network)."
  default     = true
}

variable "authorized_ip_ranges" {
  type        = list(string)
  description = "CIDR ranges allowed to reach a public API server; required when private_cluster is false."
  default     = []

  validation {
    condition     = alltrue([for cidr in var.authorized_ip_ranges : can(cidrhost(cidr, 0)) && cidr != "0.0.0.0/0"])
    error_message = "authorized_ip_ranges must be CIDR ranges, and not 0.0.0.0/0."
  }

  validation {
    condition     = var.private_cluster || length(var.authorized_ip_ranges) > 0
    error_message = "A public API server (private_cluster = false) needs authorized_ip_ranges."
  }
}

variable "admin_group_object_ids" {
  type        = list(string)
  description = "Entra ID group object IDs whose members are cluster admins."
  default     = []
}

variable "monitoring" {
  type        = bool
  description = "Send container logs and metrics to a Log Analytics workspace (Container Insights)."
  default     = true
}

variable "log_retention_days" {
  type        = number
  description = "Days the Log Analytics workspace keeps data."
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
