name                    = "prod"
region                  = "eu-west-1"
cidr_block              = "10.0.0.0/16"
az_count                = 3
nat_gateway_mode        = "per_az"
flow_log_retention_days = 365
