output "cluster_name" {
  description = "Name of the AKS cluster."
  value       = azurerm_kubernetes_cluster.this.name
}

output "cluster_id" {
  description = "Resource ID of the cluster (the scope for Azure Kubernetes Service RBAC role assignments)."
  value       = azurerm_kubernetes_cluster.this.id
}

output "oidc_issuer_url" {
  description = "OIDC issuer URL for federated workload identity credentials."
  value       = azurerm_kubernetes_cluster.this.oidc_issuer_url
}

output "kubelet_identity_object_id" {
  description = "Object ID of the kubelet identity (grant it AcrPull on your registry)."
  value       = azurerm_kubernetes_cluster.this.kubelet_identity[0].object_id
}

output "node_resource_group" {
  description = "Resource group AKS manages for the nodes."
  value       = azurerm_kubernetes_cluster.this.node_resource_group
}

output "get_credentials" {
  description = "Command that writes a kubeconfig entry for the cluster (sign-in with Entra ID through kubelogin)."
  value       = "az aks get-credentials --resource-group ${local.resource_group_name} --name ${azurerm_kubernetes_cluster.this.name}"
}
