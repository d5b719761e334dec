variable "project" {
  type        = string
  description = "Google Cloud project ID that owns the cluster."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project))
    error_message = "project must be a Google Cloud project ID (6-30 lowercase letters, digits and hyphens)."
  }
}

variable "region" {
  type        = string
  description = "Region of the (regional) cluster and its network, e.g. europe-west1."
  default     = "europe-west1"
}

variable "name" {
  type        = string
  description = "Name of the cluster; also the prefix of its network, router and service account."
  default     = "gke-main"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,23}[a-z0-9]$", var.name))
    error_message = "name must be 2-25 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "release_channel" {
  type        = string
  description = "GKE release channel that picks and upgrades the Kubernetes version."
  default     = "REGULAR"

  validation {
    condition     = contains(["RAPID", "REGULAR", "STABLE"], var.release_channel)
    error_message = "release_channel must be RAPID, REGULAR or STABLE."
  }
}

variable "machine_type" {
  type        = string
  description = "Machine type of the general-purpose node pool."
  default     = "e2-standard-4"
}

variable "disk_size_gb" {
  type        = number
  description = "Boot disk size of every node, in GB."
  default     = 100

  validation {
    condition     = var.disk_size_gb >= 20
    error_message = "disk_size_gb must be at least 20."
  }
}

variable "min_nodes" {
  type        = number
  description = "Minimum number of nodes of the general-purpose pool, across all zones."
  default     = 1

  validation {
    condition     = var.min_nodes >= 0
    error_message = "min_nodes must be 0 or more."
  }
}

variable "max_nodes" {
  type        = number
  description = "Maximum number of nodes of the general-purpose pool, across all zones."
  default     = 3

  validation {
    condition     = var.max_nodes >= 1 && var.max_nodes >= var.min_nodes
    error_message = "max_nodes must be at least 1 and at least min_nodes."
  }
}

variable "gpu_enabled" {
  type        = bool
  description = "Add an autoscaled GPU node pool, tainted so that only pods tolerating nvidia.com/gpu run there."
  default     = false
}

variable "gpu_machine_type" {
  type        = string
  description = "Machine type of the GPU pool (must accept the GPU type and count)."
  default     = "g2-standard-8"
}

variable "gpu_type" {
  type        = string
  description = "GPU (guest accelerator) type, e.g. nvidia-l4, nvidia-tesla-t4, nvidia-tesla-a100."
  default     = "nvidia-l4"
}

variable "gpu_count" {
  type        = number
  description = "GPUs per GPU node."
  default     = 1

  validation {
    condition     = var.gpu_count >= 1
    error_message = "gpu_count must be at least 1."
  }
}

variable "gpu_max_nodes" {
  type        = number
  description = "Maximum number of GPU nodes (the pool scales down to zero when idle)."
  default     = 2

  validation {
    condition     = var.gpu_max_nodes >= 1
    error_message = "gpu_max_nodes must be at least 1."
  }
}

variable "gpu_zones" {
  type        = list(string)
  description = "Zones of the GPU pool (GPUs are not offered in every zone); empty for the cluster's zones."
  default     = []
}

variable "subnet_cidr" {
  type        = string
  description = "Primary range of the cluster subnet (nodes)."
  default     = "10.10.0.0/20"

  validation {
    condition     = can(cidrhost(var.subnet_cidr, 0))
    error_message = "subnet_cidr must be a CIDR block."
  }
}

variable "pods_cidr" {
  type        = string
  description = "Secondary range for pod IP addresses."
  default     = "10.16.0.0/14"

  validation {
    condition     = can(cidrhost(var.pods_cidr, 0))
    error_message = "pods_cidr must be a CIDR block."
  }
}

variable "services_cidr" {
  type        = string
  description = "Secondary range for Service IP addresses."
  default     = "10.20.0.0/20"

  validation {
    condition     = can(cidrhost(var.services_cidr, 0))
    error_message = "services_cidr must be a CIDR block."
  }
}

variable "master_ipv4_cidr_block" {
  type        = string
  description = "/28 range for the control plane's private endpoint."
  default     = "172.16.0.0/28"

  validation {
    condition     = can(cidrhost(var.master_ipv4_cidr_block, 0)) && endswith(var.master_ipv4_cidr_block, "/28")
    error_message = "master_ipv4_cidr_block must be a /28 CIDR block."
  }
}

variable "authorized_networks" {
  type        = list(string)
  description = "CIDR blocks allowed to reach the control plane endpoint; empty allows only Google-internal and VPC addresses."
  default     = []

  validation {
    condition     = alltrue([for cidr in var.authorized_networks : can(cidrhost(cidr, 0)) && cidr != "0.0.0.0/0"])
    error_message = "authorized_networks must be CIDR blocks, and not 0.0.0.0/0."
  }
}

variable "private_endpoint" {
  type        = bool
  description = "Give the control plane only a private endpoint (reachable from the VPC, not from the internet)."
  default     = false
}

variable "deletion_protection" {
  type        = bool
  description = "Refuse terraform destroy of the cluster until this is set to false."
  default     = true
}

variable "labels" {
  type        = map(string)
  description = "Extra labels for the cluster and its nodes."
  default     = {}
}
