locals {
  tags = merge(var.tags, {
    "managed-by" = "terraform"
    "blueprint"  = "tf-azure-functions"
  })
  resource_group_name = var.create_resource_group ? azurerm_resource_group.this[0].name : data.azurerm_resource_group.this[0].name
  suffix              = substr(md5("${data.azurerm_client_config.current.subscription_id}/${var.resource_group_name}/${var.name}"), 0, 6)
  storage_name        = substr(replace("stfn${var.name}${local.suffix}", "/[^a-z0-9]/", ""), 0, 24)
  # Dedicated plans (Basic, Standard, Premium v2/v3) need no content file share, so the host can reach
  # its storage with the managed identity and account keys stay off; consumption and elastic premium
  # plans still need a key for the content share.
  dedicated = can(regex("^(B|S|P)", var.sku_name))
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

resource "azurerm_storage_account" "this" {
  name                     = local.storage_name
  resource_group_name      = local.resource_group_name
  location                 = var.location
  account_kind             = "StorageV2"
  account_tier             = "Standard"
  account_replication_type = "LRS"
  tags                     = local.tags

  https_traffic_only_enabled        = true
  min_tls_version                   = "TLS1_2"
  allow_nested_items_to_be_public   = false
  shared_access_key_enabled         = !local.dedicated
  default_to_oauth_authentication   = true
  cross_tenant_replication_enabled  = false
  infrastructure_encryption_enabled = true

  blob_properties {
    delete_retention_policy {
      days = 7
    }

    container_delete_retention_policy {
      days = 7
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

resource "azurerm_service_plan" "this" {
  name                = "${var.name}-plan"
  resource_group_name = local.resource_group_name
  location            = var.location
  os_type             = "Linux"
  sku_name            = var.sku_name
  tags                = local.tags
}

resource "azurerm_linux_function_app" "this" {
  name                = var.name
  resource_group_name = local.resource_group_name
  location            = var.location
  service_plan_id     = azurerm_service_plan.this.id
  tags                = local.tags

  storage_account_name          = azurerm_storage_account.this.name
  storage_account_access_key    = local.dedicated ? null : azurerm_storage_account.this.primary_access_key
  storage_uses_managed_identity = local.dedicated ? true : null

  https_only                    = true
  public_network_access_enabled = var.public_network_access
  functions_extension_version   = "~4"
  builtin_logging_enabled       = false
  app_settings                  = var.app_settings

  identity {
    type = "SystemAssigned"
  }

  site_config {
    minimum_tls_version                    = "1.2"
    scm_minimum_tls_version                = "1.2"
    ftps_state                             = "Disabled"
    http2_enabled                          = true
    always_on                              = local.dedicated
    application_insights_connection_string = azurerm_application_insights.this.connection_string

    application_stack {
      python_version              = var.runtime == "python" ? var.runtime_version : null
      node_version                = var.runtime == "node" ? var.runtime_version : null
      dotnet_version              = var.runtime == "dotnet" ? var.runtime_version : null
      use_dotnet_isolated_runtime = var.runtime == "dotnet" ? true : null
      java_version                = var.runtime == "java" ? var.runtime_version : null
      powershell_core_version     = var.runtime == "powershell" ? var.runtime_version : null
    }
  }
}

# On dedicated plans the host reaches AzureWebJobsStorage with the app's identity.
resource "azurerm_role_assignment" "storage" {
  for_each = local.dedicated ? toset(["Storage Blob Data Owner", "Storage Queue Data Contributor", "Storage Table Data Contributor"]) : toset([])

  scope                = azurerm_storage_account.this.id
  role_definition_name = each.value
  principal_id         = azurerm_linux_function_app.this.identity[0].principal_id
}
