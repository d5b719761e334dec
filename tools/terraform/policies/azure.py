"""Azure rules: storage accounts, SQL/PostgreSQL servers, AKS (network security groups: azure_network)."""

from __future__ import annotations

from tools.findings import Severity
from tools.terraform.model import Block
from tools.terraform.policies.base import (
    CheckContext,
    Policy,
    Violation,
    attribute_rule,
    is_false,
    one_of,
    registry_url,
)
from tools.terraform.values import as_bool, as_list, as_str, is_expression


def check_https_only(block: Block, context: CheckContext) -> list[Violation]:
    """Either spelling of the HTTPS-only switch set to false (both default to true)."""
    for name in ("https_traffic_only_enabled", "enable_https_traffic_only"):
        if as_bool(context.scope.resolve(block.attrs.get(name))) is False:
            return [Violation(f"{name} = false accepts plain HTTP", name, block.line_of(name))]
    return []


def check_public_blob(block: Block, context: CheckContext) -> list[Violation]:
    """Storage accounts that allow public containers, and containers with public access."""
    scope = context.scope
    if block.resource_type == "azurerm_storage_container":
        kind = as_str(scope.resolve(block.attrs.get("container_access_type"))) or "private"
        if kind != "private":
            return [
                Violation(
                    f'container_access_type = "{kind}" is anonymous public read',
                    "container_access_type",
                    block.line_of("container_access_type"),
                )
            ]
        return []
    legacy = scope.resolve(block.attrs.get("allow_blob_public_access"))  # provider 2.x, default false
    nested = scope.resolve(block.attrs.get("allow_nested_items_to_be_public"))  # provider >= 3, default true
    if is_expression(legacy) or is_expression(nested):
        return []
    if as_bool(legacy) is True:
        return [
            Violation(
                "allow_blob_public_access = true",
                "allow_blob_public_access",
                block.line_of("allow_blob_public_access"),
            )
        ]
    if as_bool(legacy) is None and as_bool(nested) is not False:
        return [
            Violation(
                "allow_nested_items_to_be_public is true (its default): containers can be made public",
                "allow_nested_items_to_be_public",
                block.line_of("allow_nested_items_to_be_public"),
            )
        ]
    return []


def check_sql_tls(block: Block, context: CheckContext) -> list[Violation]:
    """SQL Server below TLS 1.2; PostgreSQL single server without SSL enforcement or below TLS 1.2."""
    scope = context.scope
    if block.resource_type == "azurerm_mssql_server":
        version = scope.resolve(block.attrs.get("minimum_tls_version", "1.2"))
        if isinstance(version, str) and not is_expression(version) and version not in ("1.2", "1.3"):
            return [
                Violation(
                    f'minimum_tls_version = "{version}"',
                    "minimum_tls_version",
                    block.line_of("minimum_tls_version"),
                )
            ]
        return []
    if as_bool(scope.resolve(block.attrs.get("ssl_enforcement_enabled"))) is False:
        return [
            Violation(
                "ssl_enforcement_enabled = false",
                "ssl_enforcement_enabled",
                block.line_of("ssl_enforcement_enabled"),
            )
        ]
    version = scope.resolve(block.attrs.get("ssl_minimal_tls_version_enforced", "TLS1_2"))
    if isinstance(version, str) and not is_expression(version) and version not in ("TLS1_2", "TLS1_3"):
        return [
            Violation(
                f'ssl_minimal_tls_version_enforced = "{version}"',
                "ssl_minimal_tls_version_enforced",
                block.line_of("ssl_minimal_tls_version_enforced"),
            )
        ]
    return []


def check_aks_rbac(block: Block, context: CheckContext) -> list[Violation]:
    """RBAC switched off, in the current or the legacy (provider < 3) spelling."""
    value = context.scope.resolve(block.attrs.get("role_based_access_control_enabled"))
    legacy = block.children("role_based_access_control")
    if legacy and value is None:
        value = context.scope.resolve(legacy[0].attrs.get("enabled"))
    if as_bool(value) is False:
        return [
            Violation(
                "Kubernetes RBAC is disabled",
                "role_based_access_control_enabled",
                block.line_of("role_based_access_control_enabled"),
            )
        ]
    return []


def check_aks_private(block: Block, context: CheckContext) -> list[Violation]:
    """A public API server with no authorised IP ranges."""
    scope = context.scope
    private = scope.resolve(block.attrs.get("private_cluster_enabled"))
    if as_bool(private) is True or is_expression(private):
        return []
    ranges = as_list(scope.resolve(block.attrs.get("api_server_authorized_ip_ranges")))
    for profile in block.children("api_server_access_profile"):
        ranges += as_list(scope.resolve(profile.attrs.get("authorized_ip_ranges")))
    if ranges and not any(str(r) in ("0.0.0.0/0", "*") for r in ranges):
        return []
    return [
        Violation(
            "API server is public and not limited to authorised IP ranges",
            "private_cluster_enabled",
            block.line_of("private_cluster_enabled"),
        )
    ]


def _url(resource_type: str) -> str:
    return registry_url("azurerm", resource_type)


_SQL_TYPES = (
    "azurerm_mssql_server",
    "azurerm_postgresql_server",
    "azurerm_postgresql_flexible_server",
    "azurerm_mysql_flexible_server",
)

POLICIES = [
    Policy(
        "TF_AZURE_STORAGE_HTTPS_ONLY",
        Severity.HIGH,
        "Azure storage account accepts plain HTTP",
        "Requests over HTTP expose shared keys, SAS tokens and data in transit.",
        "https_traffic_only_enabled = true",
        _url("azurerm_storage_account"),
        ("azurerm_storage_account",),
        check_https_only,
        provider="azure",
    ),
    Policy(
        "TF_AZURE_STORAGE_MIN_TLS",
        Severity.MEDIUM,
        "Azure storage account allows TLS below 1.2",
        "TLS 1.0 and 1.1 have known weaknesses and are being retired across Azure.",
        'min_tls_version = "TLS1_2"',
        _url("azurerm_storage_account"),
        ("azurerm_storage_account",),
        attribute_rule(
            "min_tls_version",
            one_of("TLS1_2", "TLS1_3"),
            default="TLS1_2",
            message="old TLS versions are accepted",
        ),
        provider="azure",
    ),
    Policy(
        "TF_AZURE_STORAGE_PUBLIC_BLOB",
        Severity.HIGH,
        "Azure blob storage can be read anonymously",
        "Public blob access lets anyone who guesses a URL read the data; the account switch defaults to "
        "allowing it.",
        "allow_nested_items_to_be_public = false",
        _url("azurerm_storage_account"),
        ("azurerm_storage_account", "azurerm_storage_container"),
        check_public_blob,
        provider="azure",
    ),
    Policy(
        "TF_AZURE_SQL_PUBLIC_NETWORK",
        Severity.HIGH,
        "Azure database server allows public network access",
        "Public network access exposes the server endpoint to the internet, guarded only by firewall rules; "
        "private endpoints keep it inside the virtual network.",
        "public_network_access_enabled = false",
        _url("azurerm_mssql_server"),
        _SQL_TYPES,
        attribute_rule(
            "public_network_access_enabled",
            is_false,
            default=True,
            message="public network access is enabled",
        ),
        provider="azure",
    ),
    Policy(
        "TF_AZURE_SQL_MIN_TLS",
        Severity.MEDIUM,
        "Azure database server accepts old TLS or no TLS",
        "Connections must be encrypted with TLS 1.2 or later to protect credentials and data in transit.",
        'minimum_tls_version = "1.2"',
        _url("azurerm_mssql_server"),
        ("azurerm_mssql_server", "azurerm_postgresql_server"),
        check_sql_tls,
        provider="azure",
    ),
    Policy(
        "TF_AZURE_AKS_RBAC",
        Severity.HIGH,
        "AKS cluster has Kubernetes RBAC disabled",
        "Without RBAC every authenticated user is effectively cluster-admin.",
        "role_based_access_control_enabled = true",
        _url("azurerm_kubernetes_cluster"),
        ("azurerm_kubernetes_cluster",),
        check_aks_rbac,
        provider="azure",
    ),
    Policy(
        "TF_AZURE_AKS_PRIVATE",
        Severity.MEDIUM,
        "AKS API server is public without authorised IP ranges",
        "A public API server reachable from any IP exposes the control plane to credential attacks; make the "
        "cluster private or limit it to known ranges.",
        'api_server_access_profile {\n  authorized_ip_ranges = ["203.0.113.0/24"]\n}',
        _url("azurerm_kubernetes_cluster"),
        ("azurerm_kubernetes_cluster",),
        check_aks_private,
        provider="azure",
    ),
]
