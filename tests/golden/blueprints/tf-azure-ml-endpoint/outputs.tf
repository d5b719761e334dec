output "workspace_name" {
  description = "Name of the Azure ML workspace."
  value       = azurerm_machine_learning_workspace.this.name
}

output "workspace_id" {
  description = "Resource ID of the workspace."
  value       = azurerm_machine_learning_workspace.this.id
}

output "endpoint_name" {
  description = "Name of the managed online endpoint."
  value       = azapi_resource.endpoint.name
}

output "endpoint_id" {
  description = "Resource ID of the managed online endpoint."
  value       = azapi_resource.endpoint.id
}

output "resource_group_id" {
  description = "Resource ID of the resource group."
  value       = local.resource_group_id
}

output "key_vault_id" {
  description = "Resource ID of the workspace's key vault."
  value       = azurerm_key_vault.this.id
}
