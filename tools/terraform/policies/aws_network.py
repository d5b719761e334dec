"""AWS security-group rules: ingress from anywhere to SSH, RDP or every port."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tools.findings import Severity
from tools.terraform.model import Block
from tools.terraform.policies.base import CheckContext, Policy, Violation, registry_url
from tools.terraform.values import Scope, as_bool, as_int, as_list, as_str, is_expression

_ANYWHERE = {"0.0.0.0/0", "::/0"}
_OTHER_SOURCES = (
    "security_groups",
    "source_security_group_id",
    "prefix_list_ids",
    "referenced_security_group_id",
    "prefix_list_id",
)


@dataclass(frozen=True)
class IngressRule:
    """An ingress rule reduced to what matters: ports, protocol, whether the source is anywhere."""

    from_port: int | None
    to_port: int | None
    protocol: str
    open_to_world: bool
    line: int
    field_path: str

    @property
    def all_ports(self) -> bool:
        """True when the rule admits every port (protocol -1, 0-65535, or the 0/0 and -1/-1 forms)."""
        if self.protocol in ("-1", "all"):
            return True
        return (self.from_port, self.to_port) in ((0, 0), (-1, -1)) or (
            self.from_port is not None
            and self.to_port is not None
            and self.from_port <= 0
            and self.to_port >= 65535
        )

    def covers(self, port: int, protocols: tuple[str, ...]) -> bool:
        """True when the rule admits `port` over one of `protocols`."""
        if self.protocol not in (*protocols, "-1", "all"):
            return False
        if self.all_ports:
            return True
        if self.from_port is None or self.to_port is None:
            return False
        return self.from_port <= port <= self.to_port


def _open_to_world(values: dict[str, Any], cidr_keys: tuple[str, ...], scope: Scope) -> bool | None:
    """True: a source is 0.0.0.0/0 or ::/0, or no source at all is named; None: cannot tell."""
    cidrs: list[str] = []
    for key in cidr_keys:
        value = scope.resolve(values.get(key))
        if is_expression(value):
            return None
        cidrs.extend(str(v) for v in as_list(value) if not is_expression(v))
    if any(c.strip() in _ANYWHERE for c in cidrs):
        return True
    if cidrs:
        return False
    for key in _OTHER_SOURCES:
        if as_list(scope.resolve(values.get(key))):
            return False
    return as_bool(scope.resolve(values.get("self"))) is not True


def _rule(
    values: dict[str, Any], cidr_keys: tuple[str, ...], protocol_key: str, line: int, path: str, scope: Scope
) -> IngressRule | None:
    world = _open_to_world(values, cidr_keys, scope)
    if world is None:
        return None
    protocol = str(as_str(scope.resolve(values.get(protocol_key))) or scope.resolve(values.get(protocol_key)))
    return IngressRule(
        as_int(scope.resolve(values.get("from_port"))),
        as_int(scope.resolve(values.get("to_port"))),
        {"6": "tcp", "17": "udp"}.get(protocol.lower(), protocol.lower()),
        world,
        line,
        path,
    )


def ingress_rules(block: Block, scope: Scope) -> list[IngressRule]:
    """Ingress rules of a security group, a security-group rule or a VPC ingress rule resource."""
    rules: list[IngressRule | None] = []
    cidrs = ("cidr_blocks", "ipv6_cidr_blocks")
    if block.resource_type == "aws_security_group":
        for item in block.children("ingress"):
            rules.append(_rule(item.attrs, cidrs, "protocol", item.line, "ingress", scope))
    elif block.resource_type == "aws_security_group_rule":
        if as_str(scope.resolve(block.attrs.get("type"))) == "ingress":
            rules.append(_rule(block.attrs, cidrs, "protocol", block.line, "cidr_blocks", scope))
    elif block.resource_type == "aws_vpc_security_group_ingress_rule":
        line = block.line_of("cidr_ipv4")
        rules.append(_rule(block.attrs, ("cidr_ipv4", "cidr_ipv6"), "ip_protocol", line, "cidr_ipv4", scope))
    return [r for r in rules if r is not None]


def _port_check(describe: str, matches: Callable[[IngressRule], bool]) -> Any:
    def check(block: Block, context: CheckContext) -> list[Violation]:
        return [
            Violation(
                f"ingress from anywhere (0.0.0.0/0 or ::/0, or no source) reaches {describe}",
                rule.field_path,
                rule.line,
            )
            for rule in ingress_rules(block, context.scope)
            if rule.open_to_world and matches(rule)
        ]

    return check


_SG_TYPES = ("aws_security_group", "aws_security_group_rule", "aws_vpc_security_group_ingress_rule")
_URL = registry_url("aws", "aws_security_group")
_RESTRICT_FIX = (
    'ingress {\n  from_port   = {port}\n  to_port     = {port}\n  protocol    = "tcp"\n'
    '  cidr_blocks = ["10.20.0.0/16"] # your bastion or VPN range\n}'
)

POLICIES = [
    Policy(
        id="TF_AWS_SG_OPEN_SSH",
        severity=Severity.HIGH,
        title="Security group allows SSH (22) from anywhere",
        rationale="SSH open to the internet is scanned and brute-forced within minutes; reach it through a "
        "bastion, a VPN range or SSM Session Manager instead. A rule that names no source at all is treated "
        "as open too.",
        fix=_RESTRICT_FIX.replace("{port}", "22"),
        docs_url=_URL,
        resource_types=_SG_TYPES,
        check=_port_check("port 22 (SSH)", lambda r: r.covers(22, ("tcp",))),
    ),
    Policy(
        id="TF_AWS_SG_OPEN_RDP",
        severity=Severity.HIGH,
        title="Security group allows RDP (3389) from anywhere",
        rationale="RDP exposed to the internet is a leading ransomware entry point; restrict it to a VPN or "
        "bastion range.",
        fix=_RESTRICT_FIX.replace("{port}", "3389"),
        docs_url=_URL,
        resource_types=_SG_TYPES,
        check=_port_check("port 3389 (RDP)", lambda r: r.covers(3389, ("tcp", "udp"))),
    ),
    Policy(
        id="TF_AWS_SG_OPEN_ALL_PORTS",
        severity=Severity.CRITICAL,
        title="Security group allows every port from anywhere",
        rationale="Ingress on all ports from 0.0.0.0/0 exposes every service on the instance, including ones "
        "never meant to be public (databases, admin consoles, metrics).",
        fix='ingress {\n  from_port   = 443\n  to_port     = 443\n  protocol    = "tcp"\n'
        '  cidr_blocks = ["0.0.0.0/0"]\n}',
        docs_url=_URL,
        resource_types=_SG_TYPES,
        check=_port_check("every port", lambda r: r.all_ports),
    ),
]
