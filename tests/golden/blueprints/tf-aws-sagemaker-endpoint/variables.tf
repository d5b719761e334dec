variable "name" {
  description = "Name of the SageMaker endpoint, used in resource names and tags."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9](-*[a-zA-Z0-9]){1,39}$", var.name))
    error_message = "The name must be 2-40 letters, digits or hyphens, starting and ending with a letter or digit."
  }
}

variable "region" {
  description = "AWS region of the endpoint."
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

variable "image_uri" {
  description = "Inference container image in Amazon ECR, with a tag or digest (e.g. a SageMaker deep learning container or your own)."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}\\.dkr\\.ecr\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?/[a-z0-9._/-]+(:[A-Za-z0-9._-]+|@sha256:[0-9a-f]{64})$", var.image_uri))
    error_message = "The image must be an ECR image URI with a tag or digest: <account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>."
  }
}

variable "model_data_url" {
  description = "S3 URL of the model artifacts (model.tar.gz); empty when the image holds or downloads the model itself."
  type        = string
  default     = ""

  validation {
    condition     = var.model_data_url == "" || can(regex("^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/.+\\.tar\\.gz$", var.model_data_url))
    error_message = "The model data URL must be s3://<bucket>/<key>.tar.gz."
  }
}

variable "model_data_kms_key_arn" {
  description = "KMS key encrypting the model artifacts, if their bucket uses SSE-KMS with its own key (the role may decrypt with it)."
  type        = string
  default     = ""

  validation {
    condition     = var.model_data_kms_key_arn == "" || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/", var.model_data_kms_key_arn))
    error_message = "The model data KMS key must be a KMS key ARN."
  }
}

variable "environment" {
  description = "Environment variables of the inference container (no secrets: they are visible in the model's description)."
  type        = map(string)
  default     = {}
}

variable "instance_type" {
  description = "ML instance type of the endpoint, e.g. ml.m5.xlarge (CPU) or ml.g5.xlarge (GPU)."
  type        = string
  default     = "ml.m5.xlarge"

  validation {
    condition     = can(regex("^ml\\.[a-z0-9-]+\\.[a-z0-9]+$", var.instance_type))
    error_message = "The instance type must look like ml.m5.xlarge."
  }
}

variable "initial_instance_count" {
  description = "Instances behind the endpoint at start (2 or more spreads them over availability zones)."
  type        = number
  default     = 1

  validation {
    condition     = var.initial_instance_count >= 1 && floor(var.initial_instance_count) == var.initial_instance_count
    error_message = "The initial instance count must be a whole number, at least 1."
  }
}

variable "autoscaling_max_instances" {
  description = "Scale the variant on invocations per instance up to this many instances (0: no autoscaling)."
  type        = number
  default     = 0

  validation {
    condition     = var.autoscaling_max_instances >= 0
    error_message = "The autoscaling maximum cannot be negative."
  }
}

variable "invocations_per_instance" {
  description = "Target invocations per instance per minute for autoscaling."
  type        = number
  default     = 100

  validation {
    condition     = var.invocations_per_instance >= 1
    error_message = "The target must be at least 1 invocation per instance per minute."
  }
}

variable "network_isolation" {
  description = "Run the container without any outbound network access (it still gets the model from S3)."
  type        = bool
  default     = true
}

variable "data_capture_s3_uri" {
  description = "S3 URI (s3://bucket/prefix) receiving captured requests and responses; empty: no data capture."
  type        = string
  default     = ""

  validation {
    condition     = var.data_capture_s3_uri == "" || can(regex("^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/.*)?$", var.data_capture_s3_uri))
    error_message = "The data capture destination must be s3://<bucket>[/<prefix>]."
  }
}

variable "data_capture_percentage" {
  description = "Percentage of requests captured when data capture is on."
  type        = number
  default     = 100

  validation {
    condition     = var.data_capture_percentage >= 1 && var.data_capture_percentage <= 100
    error_message = "The capture percentage must be 1-100."
  }
}

variable "log_retention_days" {
  description = "Days to keep the endpoint's container logs."
  type        = number
  default     = 90

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "The retention must be one of the values CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, ...)."
  }
}
