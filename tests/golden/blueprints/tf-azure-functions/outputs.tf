output "function_app_name" {
  description = "Name of the function app."
  value       = azurerm_linux_function_app.this.name
}

output "default_hostname" {
  description = "Host name of the function app (HTTPS only)."
  value       = azurerm_linux_function_app.this.default_hostname
}

output "identity_principal_id" {
  description = "Principal ID of the app's managed identity (grant it roles on what the functions use)."
  value       = azurerm_linux_function_app.this.identity[0].principal_id
}

output "application_insights_name" {
  description = "Application Insights resource receiving the app's telemetry."
  value       = azurerm_application_insights.this.name
}

output "storage_account_name" {
  description = "Storage account used by the Functions host."
  value       = azurerm_storage_account.this.name
}
