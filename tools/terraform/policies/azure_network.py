"""Azure network security group rules: SSH and RDP open to the internet."""

from __future__ import annotations

from collections.abc import Callable

from tools.findings import Severity
from tools.terraform.model import Block
from tools.terraform.policies.base import CheckContext, Policy, Violation, registry_url
from tools.terraform.policies.gcp import port_in_spec
from tools.terraform.values import as_list

_ANY_SOURCE = {"*", "0.0.0.0", "0.0.0.0/0", "internet", "any", "::/0"}


def _nsg_check(port: int, service: str) -> Callable[[Block, CheckContext], list[Violation]]:
    def check(block: Block, context: CheckContext) -> list[Violation]:
        rules = (
            [block]
            if block.resource_type == "azurerm_network_security_rule"
            else block.children("security_rule")
        )
        found: list[Violation] = []
        for rule in rules:
            attrs = {k: context.scope.resolve(v) for k, v in rule.attrs.items()}
            if (
                str(attrs.get("direction", "")).lower() != "inbound"
                or str(attrs.get("access", "")).lower() != "allow"
            ):
                continue
            protocols = ("tcp", "*", "udp") if port == 3389 else ("tcp", "*")  # RDP also runs over UDP
            if str(attrs.get("protocol", "")).lower() not in protocols:
                continue
            sources = [attrs.get("source_address_prefix"), *as_list(attrs.get("source_address_prefixes"))]
            if not any(isinstance(s, str) and s.strip().lower() in _ANY_SOURCE for s in sources):
                continue
            ports = [attrs.get("destination_port_range"), *as_list(attrs.get("destination_port_ranges"))]
            if any(isinstance(p, str) and port_in_spec(port, p) for p in ports):
                found.append(
                    Violation(
                        f"inbound rule allows port {port} ({service}) from any source",
                        "security_rule",
                        rule.line,
                    )
                )
        return found

    return check


_NSG_TYPES = ("azurerm_network_security_rule", "azurerm_network_security_group")
_NSG_FIX = (
    'security_rule {\n  name                       = "ssh-from-vpn"\n'
    '  direction                  = "Inbound"\n'
    '  access                     = "Allow"\n  protocol                   = "Tcp"\n'
    '  source_address_prefix      = "10.8.0.0/16"\n  source_port_range          = "*"\n'
    '  destination_port_range     = "{port}"\n  destination_address_prefix = "*"\n'
    "  priority                   = 100\n}"
)
_URL = registry_url("azurerm", "azurerm_network_security_rule")

POLICIES = [
    Policy(
        "TF_AZURE_NSG_OPEN_SSH",
        Severity.HIGH,
        "Azure NSG allows SSH (22) from the internet",
        "SSH reachable from any source is brute-forced constantly; use Azure Bastion or a VPN range.",
        _NSG_FIX.replace("{port}", "22"),
        _URL,
        _NSG_TYPES,
        _nsg_check(22, "SSH"),
        provider="azure",
    ),
    Policy(
        "TF_AZURE_NSG_OPEN_RDP",
        Severity.HIGH,
        "Azure NSG allows RDP (3389) from the internet",
        "RDP reachable from any source is a leading ransomware entry point.",
        _NSG_FIX.replace("{port}", "3389"),
        _URL,
        _NSG_TYPES,
        _nsg_check(3389, "RDP"),
        provider="azure",
    ),
]
