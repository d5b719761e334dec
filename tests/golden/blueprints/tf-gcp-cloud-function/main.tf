locals {
  labels = merge(var.labels, {
    "managed-by" = "terraform"
    "blueprint"  = "tf-gcp-cloud-function"
  })
  create_bucket = var.source_bucket == ""
  source_bucket = local.create_bucket ? google_storage_bucket.source[0].name : var.source_bucket
  source_object = local.create_bucket ? google_storage_bucket_object.source[0].name : var.source_object
  apis = [
    "artifactregistry.googleapis.com",
    "cloudbuild.googleapis.com",
    "cloudfunctions.googleapis.com",
    "run.googleapis.com",
  ]
}

resource "google_project_service" "apis" {
  for_each = toset(local.apis)

  service            = each.value
  disable_on_destroy = false
}

# Source archive: a private bucket created here, or an existing one.
resource "google_storage_bucket" "source" {
  count = local.create_bucket ? 1 : 0

  name                        = "${var.project}-${var.name}-source"
  location                    = upper(var.region)
  labels                      = local.labels
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"

  versioning {
    enabled = true
  }

  lifecycle_rule {
    condition {
      days_since_noncurrent_time = 30
      with_state                 = "ARCHIVED"
    }
    action {
      type = "Delete"
    }
  }
}

resource "google_storage_bucket_object" "source" {
  count = local.create_bucket ? 1 : 0

  name   = "${var.name}/${filemd5(var.source_archive)}.zip"
  bucket = google_storage_bucket.source[0].name
  source = var.source_archive
}

# Identities: one that builds the function, one that runs it (no roles until the code needs some).
resource "google_service_account" "build" {
  account_id   = "${var.name}-build"
  display_name = "Builds Cloud Function ${var.name}"
}

resource "google_service_account" "runtime" {
  account_id   = "${var.name}-fn"
  display_name = "Runs Cloud Function ${var.name}"
}

resource "google_project_iam_member" "build" {
  for_each = toset(["roles/logging.logWriter", "roles/artifactregistry.writer"])

  project = var.project
  role    = each.value
  member  = "serviceAccount:${google_service_account.build.email}"
}

resource "google_storage_bucket_iam_member" "build_source" {
  bucket = local.source_bucket
  role   = "roles/storage.objectViewer"
  member = "serviceAccount:${google_service_account.build.email}"
}

resource "google_secret_manager_secret_iam_member" "runtime" {
  for_each = var.secrets

  secret_id = each.value
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.runtime.email}"
}

resource "google_cloudfunctions2_function" "this" {
  name        = var.name
  location    = var.region
  description = "Cloud Function ${var.name} (${var.runtime})"
  labels      = local.labels

  build_config {
    runtime         = var.runtime
    entry_point     = var.entry_point
    service_account = google_service_account.build.id

    source {
      storage_source {
        bucket = local.source_bucket
        object = local.source_object
      }
    }
  }

  service_config {
    available_memory               = var.memory
    timeout_seconds                = var.timeout_seconds
    min_instance_count             = var.min_instances
    max_instance_count             = var.max_instances
    ingress_settings               = var.ingress
    all_traffic_on_latest_revision = true
    service_account_email          = google_service_account.runtime.email
    environment_variables          = var.env

    dynamic "secret_environment_variables" {
      for_each = var.secrets
      content {
        key        = secret_environment_variables.key
        project_id = var.project
        secret     = secret_environment_variables.value
        version    = "latest"
      }
    }
  }

  depends_on = [
    google_project_service.apis,
    google_project_iam_member.build,
    google_storage_bucket_iam_member.build_source,
    google_secret_manager_secret_iam_member.runtime,
  ]
}

# 2nd gen functions are served by Cloud Run: invoking needs roles/run.invoker on that service.
resource "google_cloud_run_v2_service_iam_member" "invokers" {
  for_each = toset(var.invokers)

  project  = var.project
  location = var.region
  name     = google_cloudfunctions2_function.this.name
  role     = "roles/run.invoker"
  member   = each.value
}
