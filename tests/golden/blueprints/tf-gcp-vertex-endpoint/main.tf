locals {
  labels = merge(var.labels, {
    "managed-by" = "terraform"
    "blueprint"  = "tf-gcp-vertex-endpoint"
  })
  # Vertex AI endpoint IDs are numeric: a stable one from the first 8 hex digits of a hash.
  endpoint_id = var.endpoint_id != "" ? var.endpoint_id : tostring(parseint(substr(sha1("${var.project}/${var.region}/${var.name}"), 0, 8), 16) + 1)
  accelerator = var.accelerator_type == "" ? "" : " --accelerator=type=${var.accelerator_type},count=${var.accelerator_count}"
}

resource "google_project_service" "aiplatform" {
  service            = "aiplatform.googleapis.com"
  disable_on_destroy = false
}

data "google_project" "this" {
  count = var.kms_key == "" ? 0 : 1
}

# The Vertex AI service agent must be able to use the key before the endpoint references it.
resource "google_kms_crypto_key_iam_member" "vertex" {
  count = var.kms_key == "" ? 0 : 1

  crypto_key_id = var.kms_key
  role          = "roles/cloudkms.cryptoKeyEncrypterDecrypter"
  member        = "serviceAccount:service-${data.google_project.this[0].number}@gcp-sa-aiplatform.iam.gserviceaccount.com"

  depends_on = [google_project_service.aiplatform]
}

# Deployed models run as this identity (no roles until the model needs some), not as a Google-managed one.
resource "google_service_account" "serving" {
  account_id   = "${var.name}-serving"
  display_name = "Serves models on Vertex AI endpoint ${var.name}"
}

resource "google_vertex_ai_endpoint" "this" {
  name         = local.endpoint_id
  display_name = var.name
  description  = "Online prediction endpoint ${var.name}"
  location     = var.region
  labels       = local.labels
  network      = var.network == "" ? null : var.network

  dynamic "encryption_spec" {
    for_each = var.kms_key == "" ? [] : [var.kms_key]
    content {
      kms_key_name = encryption_spec.value
    }
  }

  depends_on = [google_project_service.aiplatform, google_kms_crypto_key_iam_member.vertex]
}
