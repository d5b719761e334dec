name                 = "ml/inference"
region               = "us-west-2"
scan_on_push         = true
keep_images          = 50
untagged_expiry_days = 14
pull_account_ids     = []
