name                               = "ml-datasets"
region                             = "eu-central-1"
bucket_name                        = ""
sse_algorithm                      = "aws:kms"
versioning_enabled                 = true
noncurrent_version_expiration_days = 30
access_log_bucket                  = ""
