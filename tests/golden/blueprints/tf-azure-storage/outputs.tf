output "storage_account_name" {
  description = "Name of the storage account."
  value       = azurerm_storage_account.this.name
}

output "storage_account_id" {
  description = "Resource ID of the storage account (the scope for role assignments such as Storage Blob Data Reader)."
  value       = azurerm_storage_account.this.id
}

output "primary_blob_endpoint" {
  description = "Blob service endpoint."
  value       = azurerm_storage_account.this.primary_blob_endpoint
}

output "container_ids" {
  description = "Resource IDs of the containers, by name."
  value       = { for name, container in azurerm_storage_container.this : name => container.id }
}

output "resource_group_name" {
  description = "Resource group holding the storage account."
  value       = local.resource_group_name
}
