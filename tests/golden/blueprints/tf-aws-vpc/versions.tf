terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.80"
    }
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = merge(
      {
        Name      = var.name
        ManagedBy = "terraform"
        Blueprint = "tf-aws-vpc"
      },
      var.tags,
    )
  }
}
