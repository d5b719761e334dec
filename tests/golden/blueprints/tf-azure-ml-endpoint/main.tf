locals {
  tags = merge(var.tags, {
    "managed-by" = "terraform"
    "blueprint"  = "tf-azure-ml-endpoint"
  })
  resource_group_name = var.create_resource_group ? azurerm_resource_group.this[0].name : data.azurerm_resource_group.this[0].name
  resource_group_id   = var.create_resource_group ? azurerm_resource_group.this[0].id : data.azurerm_resource_group.this[0].id
  # Key vault, storage account and endpoint names are global or regional: a short hash keeps them apart.
  suffix         = substr(md5("${data.azurerm_client_config.current.subscription_id}/${var.resource_group_name}/${var.name}"), 0, 6)
  compact_name   = replace(var.name, "-", "")
  key_vault_name = substr("kv${local.compact_name}${local.suffix}", 0, 24)
  storage_name   = substr("stml${local.compact_name}${local.suffix}", 0, 24)
  endpoint_name  = "${var.name}-${local.suffix}"
  public_access  = var.public_network_access ? "Enabled" : "Disabled"
}

data "azurerm_client_config" "current" {}

resource "azurerm_resource_group" "this" {
  count = var.create_resource_group ? 1 : 0

  name     = var.resource_group_name
  location = var.location
  tags     = local.tags
}

data "azurerm_resource_group" "this" {
  count = var.create_resource_group ? 0 : 1

  name = var.resource_group_name
}

# What the workspace requires: a key vault, a storage account and Application Insights.
resource "azurerm_key_vault" "this" {
  name                          = local.key_vault_name
  resource_group_name           = local.resource_group_name
  location                      = var.location
  tenant_id                     = data.azurerm_client_config.current.tenant_id
  sku_name                      = "standard"
  rbac_authorization_enabled    = true
  purge_protection_enabled      = true
  soft_delete_retention_days    = 90
  public_network_access_enabled = var.public_network_access
  tags                          = local.tags
}

resource "azurerm_storage_account" "this" {
  name                     = local.storage_name
  resource_group_name      = local.resource_group_name
  location                 = var.location
  account_kind             = "StorageV2"
  account_tier             = "Standard"
  account_replication_type = "ZRS"
  tags                     = local.tags

  https_traffic_only_enabled        = true
  min_tls_version                   = "TLS1_2"
  allow_nested_items_to_be_public   = false
  cross_tenant_replication_enabled  = false
  infrastructure_encryption_enabled = true
  public_network_access_enabled     = var.public_network_access

  blob_properties {
    versioning_enabled = true

    delete_retention_policy {
      days = 14
    }

    container_delete_retention_policy {
      days = 14
    }
  }
}

resource "azurerm_log_analytics_workspace" "this" {
  name                = "${var.name}-logs"
  resource_group_name = local.resource_group_name
  location            = var.location
  sku                 = "PerGB2018"
  retention_in_days   = var.log_retention_days
  tags                = local.tags
}

resource "azurerm_application_insights" "this" {
  name                = "${var.name}-insights"
  resource_group_name = local.resource_group_name
  location            = var.location
  workspace_id        = azurerm_log_analytics_workspace.this.id
  application_type    = "web"
  tags                = local.tags
}

resource "azurerm_machine_learning_workspace" "this" {
  name                          = var.name
  resource_group_name           = local.resource_group_name
  location                      = var.location
  key_vault_id                  = azurerm_key_vault.this.id
  storage_account_id            = azurerm_storage_account.this.id
  application_insights_id       = azurerm_application_insights.this.id
  public_network_access_enabled = var.public_network_access
  sku_name                      = "Basic"
  v1_legacy_mode_enabled        = false
  tags                          = local.tags

  identity {
    type = "SystemAssigned"
  }

  managed_network {
    isolation_mode = var.isolation_mode
  }
}

# Managed online endpoint: callers always authenticate (Entra ID token by default).
resource "azapi_resource" "endpoint" {
  type      = "Microsoft.MachineLearningServices/workspaces/onlineEndpoints@2024-04-01"
  name      = local.endpoint_name
  parent_id = azurerm_machine_learning_workspace.this.id
  location  = var.location
  tags      = local.tags

  identity {
    type = "SystemAssigned"
  }

  body = {
    properties = {
      authMode            = var.endpoint_auth_mode
      description         = "Online endpoint of workspace ${var.name}"
      publicNetworkAccess = local.public_access
    }
  }
}

resource "azapi_resource" "deployment" {
  count = var.model_id == "" ? 0 : 1

  type      = "Microsoft.MachineLearningServices/workspaces/onlineEndpoints/deployments@2024-04-01"
  name      = "blue"
  parent_id = azapi_resource.endpoint.id
  location  = var.location
  tags      = local.tags

  body = {
    kind = "Managed"
    properties = {
      endpointComputeType = "Managed"
      model               = var.model_id
      instanceType        = var.instance_type
      appInsightsEnabled  = true
      scaleSettings = {
        scaleType = "Default"
      }
    }
    sku = {
      name     = "Default"
      capacity = var.instance_count
    }
  }
}

# All traffic to the deployment once it exists.
resource "azapi_update_resource" "traffic" {
  count = var.model_id == "" ? 0 : 1

  type        = "Microsoft.MachineLearningServices/workspaces/onlineEndpoints@2024-04-01"
  resource_id = azapi_resource.endpoint.id

  body = {
    properties = {
      traffic = {
        blue = 100
      }
    }
  }

  depends_on = [azapi_resource.deployment]
}

# The endpoint's identity reads the workspace's default storage (models and artifacts).
resource "azurerm_role_assignment" "endpoint_storage" {
  scope                = azurerm_storage_account.this.id
  role_definition_name = "Storage Blob Data Reader"
  principal_id         = azapi_resource.endpoint.identity[0].principal_id
}
