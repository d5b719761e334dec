locals {
  tags = merge(var.tags, {
    "managed-by" = "terraform"
    "blueprint"  = "tf-azure-aks"
  })
  resource_group_name = var.create_resource_group ? azurerm_resource_group.this[0].name : data.azurerm_resource_group.this[0].name
  zones               = length(var.zones) > 0 ? var.zones : null
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

resource "azurerm_virtual_network" "this" {
  name                = "${var.name}-vnet"
  resource_group_name = local.resource_group_name
  location            = var.location
  address_space       = [var.vnet_cidr]
  tags                = local.tags
}

resource "azurerm_subnet" "nodes" {
  name                 = "nodes"
  resource_group_name  = local.resource_group_name
  virtual_network_name = azurerm_virtual_network.this.name
  address_prefixes     = [var.nodes_subnet_cidr]
}

# The control plane's identity, allowed to manage load balancers and addresses in the node subnet.
resource "azurerm_user_assigned_identity" "cluster" {
  name                = "${var.name}-identity"
  resource_group_name = local.resource_group_name
  location            = var.location
  tags                = local.tags
}

resource "azurerm_role_assignment" "cluster_network" {
  scope                = azurerm_subnet.nodes.id
  role_definition_name = "Network Contributor"
  principal_id         = azurerm_user_assigned_identity.cluster.principal_id
}

resource "azurerm_log_analytics_workspace" "this" {
  count = var.monitoring ? 1 : 0

  name                = "${var.name}-logs"
  resource_group_name = local.resource_group_name
  location            = var.location
  sku                 = "PerGB2018"
  retention_in_days   = var.log_retention_days
  tags                = local.tags
}

resource "azurerm_kubernetes_cluster" "this" {
  name                = var.name
  resource_group_name = local.resource_group_name
  location            = var.location
  dns_prefix          = var.name
  kubernetes_version  = var.kubernetes_version == "" ? null : var.kubernetes_version
  sku_tier            = var.sku_tier
  tags                = local.tags

  private_cluster_enabled   = var.private_cluster
  automatic_upgrade_channel = "patch"
  node_os_upgrade_channel   = "NodeImage"

  # Entra ID sign-in with Azure RBAC; no static local admin credentials.
  role_based_access_control_enabled = true
  local_account_disabled            = true

  azure_active_directory_role_based_access_control {
    tenant_id              = data.azurerm_client_config.current.tenant_id
    admin_group_object_ids = var.admin_group_object_ids
    azure_rbac_enabled     = true
  }

  # Pods use Entra workload identities instead of secrets.
  oidc_issuer_enabled       = true
  workload_identity_enabled = true
  azure_policy_enabled      = true

  image_cleaner_enabled        = true
  image_cleaner_interval_hours = 48

  api_server_access_profile {
    authorized_ip_ranges = var.authorized_ip_ranges
  }

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.cluster.id]
  }

  default_node_pool {
    name                        = "system"
    vm_size                     = var.vm_size
    vnet_subnet_id              = azurerm_subnet.nodes.id
    zones                       = local.zones
    auto_scaling_enabled        = true
    min_count                   = var.min_nodes
    max_count                   = var.max_nodes
    os_sku                      = "AzureLinux"
    os_disk_type                = "Managed"
    max_pods                    = 110
    temporary_name_for_rotation = "systemtmp"
    tags                        = local.tags

    upgrade_settings {
      max_surge = "33%"
    }
  }

  # Azure CNI in overlay mode: nodes take subnet addresses, pods an overlay range.
  network_profile {
    network_plugin      = "azure"
    network_plugin_mode = "overlay"
    network_policy      = var.network_policy
    network_data_plane  = var.network_policy == "cilium" ? "cilium" : "azure"
    load_balancer_sku   = "standard"
    pod_cidr            = var.pod_cidr
    service_cidr        = var.service_cidr
    dns_service_ip      = var.dns_service_ip
  }

  key_vault_secrets_provider {
    secret_rotation_enabled = true
  }

  dynamic "oms_agent" {
    for_each = var.monitoring ? [azurerm_log_analytics_workspace.this[0].id] : []
    content {
      log_analytics_workspace_id      = oms_agent.value
      msi_auth_for_monitoring_enabled = true
    }
  }

  depends_on = [azurerm_role_assignment.cluster_network]
}

resource "azurerm_kubernetes_cluster_node_pool" "gpu" {
  count = var.gpu_enabled ? 1 : 0

  name                  = "gpu"
  kubernetes_cluster_id = azurerm_kubernetes_cluster.this.id
  mode                  = "User"
  vm_size               = var.gpu_vm_size
  vnet_subnet_id        = azurerm_subnet.nodes.id
  zones                 = local.zones
  auto_scaling_enabled  = true
  min_count             = 0
  max_count             = var.gpu_max_nodes
  os_sku                = "Ubuntu"
  os_disk_type          = "Managed"
  node_labels           = { "pool" = "gpu" }
  tags                  = local.tags

  # Only pods that tolerate the GPU taint are scheduled on these (expensive) nodes.
  node_taints = ["nvidia.com/gpu=present:NoSchedule"]

  upgrade_settings {
    max_surge = "1"
  }
}
