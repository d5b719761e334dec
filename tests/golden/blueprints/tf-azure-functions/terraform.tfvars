name                  = "orders-fn"
location              = "westeurope"
resource_group_name   = "rg-orders-fn"
create_resource_group = true
runtime               = "python"
runtime_version       = "3.12"
sku_name              = "P1v3"
public_network_access = true
