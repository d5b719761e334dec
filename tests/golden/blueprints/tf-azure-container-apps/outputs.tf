output "app_name" {
  description = "Name of the container app."
  value       = azurerm_container_app.this.name
}

output "app_fqdn" {
  description = "Host name of the app's ingress (internal to the environment unless external)."
  value       = azurerm_container_app.this.ingress[0].fqdn
}

output "identity_principal_id" {
  description = "Principal ID of the app's managed identity (grant it AcrPull on a private registry)."
  value       = azurerm_user_assigned_identity.app.principal_id
}

output "environment_id" {
  description = "Resource ID of the Container Apps environment."
  value       = azurerm_container_app_environment.this.id
}
