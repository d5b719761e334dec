variable "name" {
  description = "Name of the edge fleet, used in resource names (thing group, things, role alias, bucket) and tags."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{0,22}[a-z0-9]$", var.name))
    error_message = "The name must be 2-24 lowercase letters, digits or hyphens, starting and ending with a letter or digit."
  }
}

variable "region" {
  description = "AWS region of the IoT and Greengrass resources."
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

variable "core_device_count" {
  description = "Number of Greengrass core devices to register as IoT things (<name>-core-1 ...) in the fleet's thing group."
  type        = number
  default     = 1

  validation {
    condition     = var.core_device_count >= 0 && var.core_device_count <= 100 && floor(var.core_device_count) == var.core_device_count
    error_message = "Register 0 to 100 core devices (add more to the thing group by fleet provisioning)."
  }
}

variable "component_name" {
  description = "Name of the Greengrass component, reverse-domain style (e.g. com.example.Inference)."
  type        = string
  default     = "com.example.Inference"

  validation {
    condition     = can(regex("^[A-Za-z][A-Za-z0-9_-]*(\\.[A-Za-z0-9_-]+)+$", var.component_name)) && !startswith(var.component_name, "aws.")
    error_message = "The component name must be dotted (com.example.Inference) and not start with aws. (reserved)."
  }
}

variable "component_version" {
  description = "Semantic version of the component (a published version cannot change: bump it for new code)."
  type        = string
  default     = "1.0.0"

  validation {
    condition     = can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+$", var.component_version))
    error_message = "The component version must be major.minor.patch, e.g. 1.0.0."
  }
}

variable "component_description" {
  description = "Description in the component recipe."
  type        = string
  default     = "Edge inference component"
}

variable "component_publisher" {
  description = "Publisher named in the component recipe."
  type        = string
  default     = "Example Corp"
}

variable "artifact_path" {
  description = "Local path of the component's .zip artifact, uploaded to the artifact bucket and unpacked on the device; empty: no artifact."
  type        = string
  default     = ""

  validation {
    condition     = var.artifact_path == "" || endswith(var.artifact_path, ".zip")
    error_message = "The artifact must be a .zip file."
  }
}

variable "run_command" {
  description = "Command the component runs on the device ({artifacts:decompressedPath}/<zip name>/ holds the unpacked artifact)."
  type        = string
  default     = "python3 -u {artifacts:decompressedPath}/app/main.py"
}

variable "platform_architecture" {
  description = "Device CPU architecture the component is for: aarch64, amd64, armv7l, or empty for any."
  type        = string
  default     = ""

  validation {
    condition     = contains(["", "aarch64", "amd64", "armv7l", "x86"], var.platform_architecture)
    error_message = "The architecture must be aarch64, amd64, armv7l, x86 or empty."
  }
}

variable "log_retention_days" {
  description = "Days to keep the devices' Greengrass logs in CloudWatch Logs."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "The retention must be one of the values CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, ...)."
  }
}
