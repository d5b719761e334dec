output "function_name" {
  description = "Name of the function."
  value       = google_cloudfunctions2_function.this.name
}

output "function_uri" {
  description = "HTTPS URL of the function (reachable as the ingress setting allows)."
  value       = google_cloudfunctions2_function.this.service_config[0].uri
}

output "runtime_service_account" {
  description = "Email of the identity the function runs as (grant it what the code needs)."
  value       = google_service_account.runtime.email
}

output "source_bucket" {
  description = "Bucket holding the function's source archive."
  value       = local.source_bucket
}
