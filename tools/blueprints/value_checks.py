"""Checks on parameter values before rendering, so a bad `--set` is refused, not rendered.

Schemas do not check what Kubernetes' API server checks by code: DNS names, resource
quantities, port ranges. Parameters with the well-known names below are checked here for
every Kubernetes blueprint; every text value of every blueprint must be free of control
characters (a newline in a value would be a way to inject lines into generated files).
"""

from __future__ import annotations

import re
from typing import Any

from tools.errors import InputError

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_DNS_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")
_DNS_SUBDOMAIN = re.compile(r"(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")
_QUANTITY = re.compile(r"\d+(\.\d+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?|\.\d+(m|k|M|G|T|Ki|Mi|Gi|Ti)?")

_LABELS = {
    "name",
    "namespace",
    "client_namespace",
    "config_map",
    "secret",
    "password_secret",
    "api_key_secret",
    "hf_token_secret",
    "aws_credentials_secret",
    "service_account",
}
_SUBDOMAINS = {"storage_class", "host"}
_QUANTITIES = {
    "cpu_request",
    "cpu_limit",
    "memory_request",
    "memory_limit",
    "memory_reservation",
    "storage",
    "cache_size",
    "scratch_size",
    "shm_size",
}


def check_value(target: str, name: str, value: Any) -> None:
    """Raise InputError naming `--set name` when `value` cannot be right for that parameter."""
    if not isinstance(value, str | int) or isinstance(value, bool) or value == "":
        return
    where = f"--set {name}"
    if isinstance(value, str) and _CONTROL.search(value):
        raise InputError(where, "contains a control character (a newline or tab)")
    if target != "kubernetes":
        return
    if name.endswith("port") and isinstance(value, int) and not 1 <= value <= 65535:
        raise InputError(where, f"{value} is not a port (1 to 65535)")
    if not isinstance(value, str):
        return
    if name in _LABELS:
        dns_label(value, name)
    if name in _SUBDOMAINS and not _DNS_SUBDOMAIN.fullmatch(value):
        raise InputError(where, f"{value!r} is not a DNS name: lower-case letters, digits, '-' and '.'")
    if name in _QUANTITIES:
        quantity(value, name)
    if name == "health_path" and not value.startswith("/"):
        raise InputError(where, f"{value!r} is not an HTTP path: it starts with /")


def dns_label(value: str, parameter: str) -> str:
    """`value` when it is a DNS-1123 label (names of objects and namespaces), else a clear error."""
    if not _DNS_LABEL.fullmatch(value):
        raise InputError(
            f"--set {parameter}",
            f"{value!r} is not a valid name: lower-case letters, digits and '-', at most 63 characters",
        )
    return value


def quantity(value: str, parameter: str) -> str:
    """`value` when it is a Kubernetes quantity (`10Gi`, `500m`, `1`), else a clear error."""
    if not _QUANTITY.fullmatch(value):
        raise InputError(f"--set {parameter}", f"{value!r} is not a quantity such as 500m, 2, 256Mi or 10Gi")
    return value
