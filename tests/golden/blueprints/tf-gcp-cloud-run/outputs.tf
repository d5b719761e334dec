output "service_name" {
  description = "Name of the Cloud Run service."
  value       = google_cloud_run_v2_service.this.name
}

output "service_uri" {
  description = "HTTPS URL of the service."
  value       = google_cloud_run_v2_service.this.uri
}

output "service_account" {
  description = "Email of the service's runtime service account (grant it what the app needs)."
  value       = google_service_account.run.email
}
