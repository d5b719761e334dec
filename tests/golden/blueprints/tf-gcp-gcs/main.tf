locals {
  bucket_name = "${var.project}-${var.name}"
  labels = merge(var.labels, {
    "managed-by" = "terraform"
    "blueprint"  = "tf-gcp-gcs"
  })
}

data "google_storage_project_service_account" "gcs" {
  count = var.kms_key == "" ? 0 : 1
}

# The Cloud Storage service agent must be able to use the key before the bucket references it.
resource "google_kms_crypto_key_iam_member" "gcs" {
  count = var.kms_key == "" ? 0 : 1

  crypto_key_id = var.kms_key
  role          = "roles/cloudkms.cryptoKeyEncrypterDecrypter"
  member        = "serviceAccount:${data.google_storage_project_service_account.gcs[0].email_address}"
}

resource "google_storage_bucket" "this" {
  name          = local.bucket_name
  location      = upper(var.region)
  storage_class = var.storage_class
  labels        = local.labels
  force_destroy = false

  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"

  versioning {
    enabled = var.versioning
  }

  dynamic "encryption" {
    for_each = var.kms_key == "" ? [] : [var.kms_key]
    content {
      default_kms_key_name = encryption.value
    }
  }

  dynamic "retention_policy" {
    for_each = var.retention_days > 0 ? [var.retention_days] : []
    content {
      retention_period = retention_policy.value * 86400
    }
  }

  dynamic "logging" {
    for_each = var.log_bucket == "" ? [] : [var.log_bucket]
    content {
      log_bucket = logging.value
    }
  }

  dynamic "lifecycle_rule" {
    for_each = var.versioning && var.noncurrent_version_days > 0 ? [var.noncurrent_version_days] : []
    content {
      condition {
        days_since_noncurrent_time = lifecycle_rule.value
        with_state                 = "ARCHIVED"
      }
      action {
        type = "Delete"
      }
    }
  }

  dynamic "lifecycle_rule" {
    for_each = var.nearline_after_days > 0 ? [var.nearline_after_days] : []
    content {
      condition {
        age                   = lifecycle_rule.value
        matches_storage_class = ["STANDARD"]
      }
      action {
        type          = "SetStorageClass"
        storage_class = "NEARLINE"
      }
    }
  }

  dynamic "lifecycle_rule" {
    for_each = var.expire_after_days > 0 ? [var.expire_after_days] : []
    content {
      condition {
        age = lifecycle_rule.value
      }
      action {
        type = "Delete"
      }
    }
  }

  # Clean up multipart uploads that were never finished.
  lifecycle_rule {
    condition {
      age = 7
    }
    action {
      type = "AbortIncompleteMultipartUpload"
    }
  }

  depends_on = [google_kms_crypto_key_iam_member.gcs]
}
