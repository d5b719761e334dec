variable "name" {
  description = "Name of the EKS cluster, used in resource names and tags."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,30}[a-z0-9]$", var.name))
    error_message = "The name must be 2-32 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "region" {
  description = "AWS region of the cluster."
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

variable "kubernetes_version" {
  description = "Kubernetes version of the control plane and the node groups (major.minor)."
  type        = string
  default     = "1.33"

  validation {
    condition     = can(regex("^1\\.[0-9]{2}$", var.kubernetes_version))
    error_message = "The Kubernetes version must look like 1.33."
  }
}

variable "subnet_ids" {
  description = "Private subnet IDs (at least two, in different availability zones) for the control plane's network interfaces and the nodes."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2 && alltrue([for id in var.subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", id))])
    error_message = "Give at least two subnet IDs (subnet-...) in different availability zones."
  }
}

variable "endpoint_public_access" {
  description = "Whether the Kubernetes API is also reachable from the internet (only from public_access_cidrs). The private endpoint is always on."
  type        = bool
  default     = false
}

variable "public_access_cidrs" {
  description = "CIDR blocks allowed to reach the public API endpoint when endpoint_public_access is true (never 0.0.0.0/0)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for cidr in var.public_access_cidrs : can(cidrnetmask(cidr)) && try(tonumber(split("/", cidr)[1]) > 0, false)])
    error_message = "Each public access CIDR must be a valid IPv4 network narrower than 0.0.0.0/0."
  }
}

variable "cluster_log_types" {
  description = "Control-plane log types sent to CloudWatch Logs."
  type        = list(string)
  default     = ["api", "audit", "authenticator", "controllerManager", "scheduler"]

  validation {
    condition     = alltrue([for t in var.cluster_log_types : contains(["api", "audit", "authenticator", "controllerManager", "scheduler"], t)])
    error_message = "Log types are api, audit, authenticator, controllerManager and scheduler."
  }
}

variable "cluster_log_retention_days" {
  description = "Days to keep the control-plane logs."
  type        = number
  default     = 90

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.cluster_log_retention_days)
    error_message = "The retention must be one of the values CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, ...)."
  }
}

variable "admin_principal_arns" {
  description = "IAM role or user ARNs given cluster-admin access through EKS access entries (the creator is admin too)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.admin_principal_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)/", arn))])
    error_message = "Each admin principal must be an IAM role or user ARN."
  }
}

variable "addons" {
  description = "EKS managed add-ons to install (latest version for the cluster's Kubernetes version)."
  type        = list(string)
  default     = ["coredns", "eks-pod-identity-agent", "kube-proxy", "vpc-cni"]
}

variable "gpu_instance_type" {
  description = "EC2 instance type of the GPU node group, e.g. g5.xlarge, g6.xlarge, p4d.24xlarge."
  type        = string
  default     = "g5.xlarge"

  validation {
    condition     = can(regex("^(g[0-9][a-z]*|p[0-9][a-z]*)\\.[0-9]*(x?large|metal[a-z0-9-]*)$", var.gpu_instance_type))
    error_message = "The GPU instance type must be an NVIDIA GPU family (g4dn, g5, g6, g6e, p4d, p5 ...), e.g. g5.xlarge."
  }
}

variable "gpu_ami_type" {
  description = "AMI type of the GPU nodes: AL2023_x86_64_NVIDIA (Amazon Linux 2023 with NVIDIA drivers) or AL2_x86_64_GPU (Amazon Linux 2; Kubernetes 1.32 and older only)."
  type        = string
  default     = "AL2023_x86_64_NVIDIA"

  validation {
    condition     = contains(["AL2023_x86_64_NVIDIA", "AL2_x86_64_GPU"], var.gpu_ami_type)
    error_message = "The GPU AMI type must be AL2023_x86_64_NVIDIA or AL2_x86_64_GPU."
  }
}

variable "gpu_capacity_type" {
  description = "Capacity type of the GPU nodes: ON_DEMAND or SPOT."
  type        = string
  default     = "ON_DEMAND"

  validation {
    condition     = contains(["ON_DEMAND", "SPOT"], var.gpu_capacity_type)
    error_message = "The capacity type must be ON_DEMAND or SPOT."
  }
}

variable "gpu_min_size" {
  description = "Minimum number of GPU nodes (0 lets an autoscaler remove them all when idle)."
  type        = number
  default     = 0

  validation {
    condition     = var.gpu_min_size >= 0
    error_message = "The minimum size cannot be negative."
  }
}

variable "gpu_desired_size" {
  description = "Number of GPU nodes to start with (an autoscaler changes it afterwards; Terraform ignores the drift)."
  type        = number
  default     = 1

  validation {
    condition     = var.gpu_desired_size >= 0
    error_message = "The desired size cannot be negative."
  }
}

variable "gpu_max_size" {
  description = "Maximum number of GPU nodes."
  type        = number
  default     = 4

  validation {
    condition     = var.gpu_max_size >= 1
    error_message = "The maximum size must be at least 1."
  }
}

variable "gpu_disk_size" {
  description = "Root volume size of each GPU node in GiB (GPU images are large)."
  type        = number
  default     = 100

  validation {
    condition     = var.gpu_disk_size >= 50 && var.gpu_disk_size <= 16384
    error_message = "The GPU node disk must be 50-16384 GiB."
  }
}

variable "cpu_instance_type" {
  description = "EC2 instance type of the general-purpose (CPU) node group that runs system pods."
  type        = string
  default     = "m6i.large"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]*\\.[0-9]*(nano|micro|small|medium|x?large|metal)$", var.cpu_instance_type))
    error_message = "The CPU instance type must be an EC2 instance type such as m6i.large."
  }
}

variable "cpu_min_size" {
  description = "Minimum number of general-purpose nodes."
  type        = number
  default     = 2

  validation {
    condition     = var.cpu_min_size >= 1
    error_message = "Keep at least one general-purpose node for system pods."
  }
}

variable "cpu_desired_size" {
  description = "Number of general-purpose nodes to start with."
  type        = number
  default     = 2

  validation {
    condition     = var.cpu_desired_size >= 1
    error_message = "Keep at least one general-purpose node for system pods."
  }
}

variable "cpu_max_size" {
  description = "Maximum number of general-purpose nodes."
  type        = number
  default     = 4

  validation {
    condition     = var.cpu_max_size >= 1
    error_message = "The maximum size must be at least 1."
  }
}

variable "cpu_disk_size" {
  description = "Root volume size of each general-purpose node in GiB."
  type        = number
  default     = 50

  validation {
    condition     = var.cpu_disk_size >= 20 && var.cpu_disk_size <= 16384
    error_message = "The node disk must be 20-16384 GiB."
  }
}
