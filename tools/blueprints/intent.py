"""Offline intent parsing: common phrasings to a blueprint and its parameters.

"deploy nginx:1.27 with 3 replicas on port 80, autoscale to 10" becomes the web-service
blueprint with image, replicas, port and autoscale_max set. What the words do not say
comes from `--set` or the defaults; an ask no blueprint covers gets the list of what is
supported and the parameters each takes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from tools.errors import InputError

_IMAGE = re.compile(
    r"\b((?:[a-z0-9.-]+(?::\d+)?/)?[a-z0-9._/-]+:[A-Za-z0-9._-]+|[a-z0-9._/-]+@sha256:[0-9a-f]{64})\b"
)
_REPLICAS = re.compile(r"\b(\d+)\s+(?:replicas?|instances?|copies|pods)\b", re.IGNORECASE)
_PORT = re.compile(
    r"\bport\s+(\d{1,5})\b|\blisten(?:s|ing)?\s+on\s+(\d{1,5})\b|:(\d{2,5})\b(?![.\w])", re.IGNORECASE
)
_AUTOSCALE = re.compile(
    r"\b(?:autoscal\w*|scal\w*)\s+(?:up\s+)?(?:to|until|max(?:imum)?(?:\s+of)?)\s+(\d+)\b", re.IGNORECASE
)
_NAMESPACE = re.compile(
    r"\bnamespace\s+([a-z0-9][a-z0-9-]*)\b|\bin\s+(?:the\s+)?([a-z0-9][a-z0-9-]*)\s+namespace\b",
    re.IGNORECASE,
)
_HOST = re.compile(r"\b(?:host|domain|at|on)\s+((?:[a-z0-9-]+\.)+[a-z]{2,})\b", re.IGNORECASE)
_NAME = re.compile(r"\b(?:called|named)\s+([a-z0-9][a-z0-9-]*)\b", re.IGNORECASE)
_HEALTH = re.compile(
    r"\b(?:health(?:\s*check)?|readiness|probe)\s+(?:on\s+|at\s+)?(/[\w/.-]*)", re.IGNORECASE
)
_WEB_WORDS = re.compile(
    r"\b(deploy|run|web|service|api|app|server|nginx|http|expose|container)\b", re.IGNORECASE
)


@dataclass
class Intent:
    """The blueprint an ask maps to, with the parameters its words gave."""

    blueprint: str
    parameters: dict[str, Any] = field(default_factory=dict)


def parse_intent(target: str, text: str) -> Intent:
    """The blueprint and parameters for `text`, for target `kubernetes` (Terraform blueprints come next)."""
    if target not in ("k8s", "kubernetes"):
        raise InputError(target, "offline generation covers Kubernetes so far: use `shipmate generate k8s`")
    if not text.strip() or (not _WEB_WORDS.search(text) and not _IMAGE.search(text)):
        raise InputError(
            "intent",
            "not understood; supported: a web service, e.g. 'deploy ghcr.io/acme/api:1.4 with 3 replicas on "
            "port 8000, autoscale to 10' (parameters: image, name, namespace, port, replicas, autoscale_max, "
            "host, health_path, cpu_request, memory_request, memory_limit; give them with --set)",
        )
    parameters: dict[str, Any] = {}
    for pattern, key in (
        (_REPLICAS, "replicas"),
        (_AUTOSCALE, "autoscale_max"),
        (_NAMESPACE, "namespace"),
        (_NAME, "name"),
        (_HEALTH, "health_path"),
    ):
        match = pattern.search(text)
        if match:
            parameters[key] = next(group for group in match.groups() if group)
    host = _HOST.search(text)
    if host:
        parameters["host"] = host.group(1)
    without_host = text.replace(parameters.get("host", "\0"), " ")
    image = _IMAGE.search(without_host)
    if image:
        parameters["image"] = image.group(1)
    port = _PORT.search(_IMAGE.sub(" ", without_host))
    if port:
        parameters["port"] = next(group for group in port.groups() if group)
    return Intent("k8s-web-service", parameters)
