"""Google Cloud rules: Cloud Storage, firewalls, Cloud SQL, GKE."""

from __future__ import annotations

from collections.abc import Callable

from tools.findings import Severity
from tools.terraform.model import Block
from tools.terraform.policies.base import (
    CheckContext,
    Policy,
    Violation,
    attribute_rule,
    is_false,
    is_true,
    registry_url,
)
from tools.terraform.values import as_bool, as_list, as_str, get, is_expression

_PUBLIC_MEMBERS = {"allusers", "allauthenticatedusers"}
_ANYWHERE = {"0.0.0.0/0", "::/0"}


def port_in_spec(port: int, spec: str) -> bool | None:
    """Whether `port` is in a port spec: '22', '20-30', '*'; None for specs we cannot read."""
    text = spec.strip()
    if text in ("*", "0-65535"):
        return True
    low, _, high = text.partition("-")
    if not low.isdigit() or (high and not high.isdigit()):
        return None
    return int(low) <= port <= int(high or low)


def check_gcs_public(block: Block, context: CheckContext) -> list[Violation]:
    """IAM members or ACL entities that mean everyone."""
    found: list[Violation] = []
    for key in ("member", "members", "entity"):
        for value in as_list(context.scope.resolve(block.attrs.get(key))):
            if isinstance(value, str) and value.strip().lower() in _PUBLIC_MEMBERS:
                found.append(Violation(f"{key} {value} makes the bucket public", key, block.line_of(key)))
    return found


def _firewall_check(port: int, service: str) -> Callable[[Block, CheckContext], list[Violation]]:
    def check(block: Block, context: CheckContext) -> list[Violation]:
        scope = context.scope
        direction = as_str(scope.resolve(block.attrs.get("direction"))) or "INGRESS"
        if direction.upper() != "INGRESS" or as_bool(scope.resolve(block.attrs.get("disabled"))) is True:
            return []
        ranges = scope.resolve(block.attrs.get("source_ranges"))
        if is_expression(ranges):
            return []
        tagged = block.attrs.get("source_tags") or block.attrs.get("source_service_accounts")
        # With no source_ranges and no source tags, GCP applies the rule to 0.0.0.0/0.
        open_world = any(str(r) in _ANYWHERE for r in as_list(ranges)) or (not as_list(ranges) and not tagged)
        if not open_world:
            return []
        for allow in block.children("allow"):
            protocol = str(scope.resolve(allow.attrs.get("protocol", ""))).lower()
            if protocol not in ("tcp", "all", "6"):
                continue
            ports = as_list(scope.resolve(allow.attrs.get("ports")))
            if not ports or any(port_in_spec(port, str(p)) for p in ports):
                return [
                    Violation(f"ingress from 0.0.0.0/0 allows port {port} ({service})", "allow", allow.line)
                ]
        return []

    return check


def check_sql_ssl(block: Block, context: CheckContext) -> list[Violation]:
    """Cloud SQL that accepts unencrypted connections."""
    mode, line, has_mode = get(block, "settings.ip_configuration.ssl_mode", context.scope)
    if has_mode:
        if is_expression(mode) or mode in ("ENCRYPTED_ONLY", "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"):
            return []
        return [
            Violation(
                f'ssl_mode = "{mode}" accepts unencrypted connections', "settings.ip_configuration", line
            )
        ]
    required, line, _ = get(block, "settings.ip_configuration.require_ssl", context.scope)
    if is_expression(required) or as_bool(required) is True:
        return []
    return [
        Violation("connections without SSL/TLS are accepted", "settings.ip_configuration.require_ssl", line)
    ]


def _url(resource_type: str) -> str:
    return registry_url("google", resource_type)


_FIREWALL_FIX = (
    'resource "google_compute_firewall" "ssh" {\n  network       = google_compute_network.main.name\n'
    '  source_ranges = ["35.235.240.0/20"] # IAP TCP forwarding only\n  allow {\n    protocol = "tcp"\n'
    '    ports    = ["{port}"]\n  }\n}'
)
_CLUSTER = ("google_container_cluster",)

POLICIES = [
    Policy(
        "TF_GCP_GCS_UNIFORM_ACCESS",
        Severity.MEDIUM,
        "Cloud Storage bucket does not use uniform access",
        "Uniform bucket-level access disables per-object ACLs, so IAM alone decides who can read objects "
        "and a stray object ACL cannot publish data.",
        "uniform_bucket_level_access = true",
        _url("google_storage_bucket"),
        ("google_storage_bucket",),
        attribute_rule(
            "uniform_bucket_level_access", is_true, default=False, message="object ACLs are enabled"
        ),
        provider="gcp",
    ),
    Policy(
        "TF_GCP_GCS_PUBLIC",
        Severity.HIGH,
        "Cloud Storage bucket is public",
        "allUsers or allAuthenticatedUsers give every internet user (or every Google account) access.",
        'member = "group:data-readers@example.com"',
        _url("google_storage_bucket_iam_member"),
        (
            "google_storage_bucket_iam_member",
            "google_storage_bucket_iam_binding",
            "google_storage_bucket_access_control",
            "google_storage_default_object_access_control",
            "google_storage_object_access_control",
        ),
        check_gcs_public,
        provider="gcp",
    ),
    Policy(
        "TF_GCP_FIREWALL_OPEN_SSH",
        Severity.HIGH,
        "GCP firewall allows SSH (22) from anywhere",
        "SSH open to 0.0.0.0/0 invites brute force; use IAP TCP forwarding or a bastion range.",
        _FIREWALL_FIX.replace("{port}", "22"),
        _url("google_compute_firewall"),
        ("google_compute_firewall",),
        _firewall_check(22, "SSH"),
        provider="gcp",
    ),
    Policy(
        "TF_GCP_FIREWALL_OPEN_RDP",
        Severity.HIGH,
        "GCP firewall allows RDP (3389) from anywhere",
        "RDP open to 0.0.0.0/0 is a common ransomware entry point; use IAP or a VPN range.",
        _FIREWALL_FIX.replace("{port}", "3389"),
        _url("google_compute_firewall"),
        ("google_compute_firewall",),
        _firewall_check(3389, "RDP"),
        provider="gcp",
    ),
    Policy(
        "TF_GCP_SQL_PUBLIC_IP",
        Severity.MEDIUM,
        "Cloud SQL instance has a public IP",
        "A public IPv4 address exposes the database endpoint to the internet; private IP keeps it in "
        "the VPC.",
        "settings {\n  ip_configuration {\n    ipv4_enabled    = false\n"
        "    private_network = google_compute_network.main.id\n  }\n}",
        _url("google_sql_database_instance"),
        ("google_sql_database_instance",),
        attribute_rule(
            "settings.ip_configuration.ipv4_enabled", is_false, default=True, message="public IP is enabled"
        ),
        provider="gcp",
    ),
    Policy(
        "TF_GCP_SQL_REQUIRE_SSL",
        Severity.HIGH,
        "Cloud SQL accepts unencrypted connections",
        "Without SSL enforcement, credentials and query results can cross the network in clear text.",
        'settings {\n  ip_configuration {\n    ssl_mode = "ENCRYPTED_ONLY"\n  }\n}',
        _url("google_sql_database_instance"),
        ("google_sql_database_instance",),
        check_sql_ssl,
        provider="gcp",
    ),
    Policy(
        "TF_GCP_GKE_PRIVATE_NODES",
        Severity.MEDIUM,
        "GKE nodes have public IP addresses",
        "Private nodes have internal IPs only, so they cannot be reached from the internet directly.",
        "private_cluster_config {\n  enable_private_nodes    = true\n  enable_private_endpoint = false\n"
        '  master_ipv4_cidr_block  = "172.16.0.0/28"\n}',
        _url("google_container_cluster"),
        _CLUSTER,
        attribute_rule(
            "private_cluster_config.enable_private_nodes",
            is_true,
            default=False,
            message="nodes are not private",
        ),
        provider="gcp",
    ),
    Policy(
        "TF_GCP_GKE_LEGACY_ABAC",
        Severity.HIGH,
        "GKE legacy ABAC is enabled",
        "Legacy ABAC grants broad static permissions that bypass Kubernetes RBAC.",
        "enable_legacy_abac = false",
        _url("google_container_cluster"),
        _CLUSTER,
        attribute_rule("enable_legacy_abac", is_false, default=False, message="legacy ABAC is on"),
        provider="gcp",
    ),
    Policy(
        "TF_GCP_GKE_MASTER_AUTHORIZED_NETWORKS",
        Severity.MEDIUM,
        "GKE control plane is not limited to authorised networks",
        "Without master authorised networks, any IP address can reach the cluster's API endpoint.",
        'master_authorized_networks_config {\n  cidr_blocks {\n    cidr_block   = "10.0.0.0/8"\n'
        '    display_name = "internal"\n  }\n}',
        _url("google_container_cluster"),
        _CLUSTER,
        lambda block, context: (
            []
            if block.children("master_authorized_networks_config")
            else [
                Violation(
                    "no master_authorized_networks_config block",
                    "master_authorized_networks_config",
                    block.line,
                )
            ]
        ),
        provider="gcp",
    ),
]
