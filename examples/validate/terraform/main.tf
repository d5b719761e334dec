# A first draft of the checkout service's storage and network on AWS.
# `shipmate validate examples/validate/terraform/` finds what a review would.
terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
  }
}

variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "environment" {
  type = string
}

provider "aws" {
  region = var.region
}

resource "aws_s3_bucket" "receipts" {
  bucket = "acme-checkout-receipts-${var.environment}"
}

resource "aws_security_group" "checkout" {
  name   = "checkout"
  vpc_id = var.vpc_id

  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_db_instance" "orders" {
  identifier          = "checkout-orders"
  engine              = "postgres"
  instance_class      = "db.t3.medium"
  allocated_storage   = 20
  username            = "checkout"
  password            = var.db_password
  publicly_accessible = true
  skip_final_snapshot = true
}
