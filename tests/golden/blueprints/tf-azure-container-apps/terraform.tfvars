name                  = "orders-api"
location              = "westeurope"
resource_group_name   = "rg-orders-api"
create_resource_group = true
image                 = "acme.azurecr.io/orders-api:2.3.1"
registry_server       = "acme.azurecr.io"
port                  = 8080
external              = true
min_replicas          = 2
max_replicas          = 20
cpu                   = 1
memory                = "2Gi"
key_vault_secrets     = { app-secret = "https://kv-acme-prod.vault.azure.net/secrets/orders-db-password" }
key_vault_id          = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-shared/providers/Microsoft.KeyVault/vaults/kv-acme-prod"
secret_environment    = { DATABASE_PASSWORD = "app-secret" }
