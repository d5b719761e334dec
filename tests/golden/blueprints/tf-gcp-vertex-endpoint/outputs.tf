output "endpoint_id" {
  description = "Numeric ID of the endpoint."
  value       = google_vertex_ai_endpoint.this.name
}

output "endpoint" {
  description = "Full resource name of the endpoint."
  value       = google_vertex_ai_endpoint.this.id
}

output "serving_service_account" {
  description = "Email of the identity deployed models run as."
  value       = google_service_account.serving.email
}

output "deploy_model_command" {
  description = "gcloud command that deploys model_id to the endpoint with the configured machine, GPUs, replicas and identity (the google provider has no resource for deploying a model to an endpoint)."
  value       = var.model_id == "" ? "" : "gcloud ai endpoints deploy-model ${google_vertex_ai_endpoint.this.name} --project=${var.project} --region=${var.region} --model=${var.model_id} --display-name=${var.name} --machine-type=${var.machine_type}${local.accelerator} --min-replica-count=${var.min_replicas} --max-replica-count=${var.max_replicas} --service-account=${google_service_account.serving.email} --traffic-split=0=100"
}
