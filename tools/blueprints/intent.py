"""Offline intent parsing: common phrasings to a blueprint and its parameters.

"deploy nginx:1.27 with 3 replicas on port 80, autoscale to 10" becomes the web-service
blueprint with image, replicas, port and autoscale_max set. The blueprint is the one of
the target whose keywords the ask matches most (the web service when a Kubernetes ask
names only an image or a service); the shared parameters (image, replicas, port, name,
namespace, region, ...) are read for every blueprint and kept where it has them, and a
blueprint's own `extract` reads the rest. What the words do not say comes from `--set`
or the defaults. An ask no blueprint covers, or one that fits several equally, gets the
list of what is supported and the parameters each takes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from tools.blueprints.model import Blueprint, Target
from tools.errors import InputError

TARGETS: dict[str, Target] = {
    "k8s": "kubernetes",
    "kubernetes": "kubernetes",
    "kube": "kubernetes",
    "terraform": "terraform",
    "tf": "terraform",
    "compose": "compose",
    "docker-compose": "compose",
    "swarm": "compose",
}

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
_NAME = re.compile(r"\b(?:called|named)\s+([a-z0-9][a-z0-9._-]*[a-z0-9]|[a-z0-9])\b", re.IGNORECASE)
_HEALTH = re.compile(
    r"\b(?:health(?:\s*check)?|readiness|probe)\s+(?:on\s+|at\s+)?(/[\w/.-]*)", re.IGNORECASE
)
_REGION = re.compile(
    r"\b((?:us|eu|ap|ca|sa|me|af|il|mx)-(?:gov-)?[a-z]+-\d"  # AWS: eu-west-1
    r"|(?:us|europe|asia|australia|northamerica|southamerica|me|africa)-[a-z]+\d+"  # GCP: europe-west4
    r"|(?:east|west|north|south|central|northcentral|southcentral|westcentral)(?:us|europe)\d?"  # Azure
    r"|uksouth|ukwest|japaneast|japanwest|australiaeast|southeastasia|eastasia|canadacentral"
    r"|francecentral|germanywestcentral|swedencentral|switzerlandnorth|norwayeast|brazilsouth"
    r"|koreacentral|centralindia|uaenorth|southafricanorth)\b"
)
# scheme://... and MLflow's models:/name/1 and runs:/id/path (one slash)
_URL = re.compile(r"\b(?:[a-z][a-z0-9+.-]*://|(?:models|runs):/)[^\s'\"`,;]+", re.IGNORECASE)
_CLOCK = re.compile(r"(?<![\w.:/-])\d{1,2}:\d{2}(?![\w.:/-])")
_SERVICE_WORDS = re.compile(
    r"\b(deploy|run|web|service|api|app|server|nginx|http|expose|container)\b", re.IGNORECASE
)
_FALLBACK: dict[Target, str] = {"kubernetes": "k8s-web-service", "compose": "compose-stack"}
# Kinds the fallback does not render: an ask for one of them is not a web service.
_OTHER_KINDS = re.compile(
    r"\b(daemon\s?sets?|(?<!cron)jobs?\b(?!\s+(?:worker|queue))|resource\s?quotas?|limit\s?ranges?|"
    r"(?:cluster\s?)?role(?:\s?binding)?s?|service\s?accounts?|custom\s+resources?|crds?|operators?|"
    r"persistent\s?volumes?|storage\s?class(?:es)?)\b",
    re.IGNORECASE,
)


@dataclass
class Intent:
    """The blueprint an ask maps to, with the parameters its words gave."""

    blueprint: str
    parameters: dict[str, Any] = field(default_factory=dict)


def target_of(word: str) -> Target:
    """The target a CLI word names: k8s, terraform or compose (and their aliases)."""
    target = TARGETS.get(word.strip().lower())
    if target is None:
        raise InputError(word, "is not a target: use k8s, terraform or compose")
    return target


def parse_intent(target: str, text: str, blueprint_name: str | None = None) -> Intent:
    """The blueprint and parameters for `text` under `target`; `blueprint_name` skips choosing."""
    from tools.blueprints.registry import all_blueprints, blueprint

    kind = target_of(target)
    if blueprint_name:
        chosen = blueprint(blueprint_name)
        if chosen.target != kind:
            raise InputError(blueprint_name, f"is a {chosen.target} blueprint, not {kind}")
    else:
        candidates = [b for b in all_blueprints().values() if b.target == kind]
        chosen = _choose(kind, text, candidates)
    return Intent(chosen.name, parameters_from(chosen, text))


def parameters_from(chosen: Blueprint, text: str) -> dict[str, Any]:
    """The parameters of `chosen` that the words of `text` give."""
    found = shared_parameters(text)
    if chosen.extract is not None:
        found.update({k: v for k, v in chosen.extract(text).items() if v is not None})
    known = {p.name for p in chosen.parameters}
    return {key: value for key, value in found.items() if key in known}


def _choose(kind: Target, text: str, candidates: list[Blueprint]) -> Blueprint:
    scores = {b.name: sum(1 for k in b.keywords if re.search(k, text, re.IGNORECASE)) for b in candidates}
    best = max(scores.values(), default=0)
    by_name = {b.name: b for b in candidates}
    if best == 0:
        fallback = _FALLBACK.get(kind)
        wanted = _SERVICE_WORDS.search(text) or _IMAGE.search(text)
        if fallback in by_name and wanted and not _OTHER_KINDS.search(text):
            return by_name[fallback]
        raise InputError("intent", f"not understood; {supported(kind, candidates)}")
    tied = sorted(name for name, score in scores.items() if score == best)
    if len(tied) > 1:
        choices = "; ".join(
            f"{name} ({', '.join(p.name for p in by_name[name].parameters)})" for name in tied
        )
        raise InputError(
            "intent", f"fits several blueprints equally: {choices}; say which with --blueprint NAME"
        )
    return by_name[tied[0]]


def supported(kind: Target, candidates: list[Blueprint]) -> str:
    """What `kind` asks can be about: each blueprint with an example ask."""
    if not candidates:
        return f"no {kind} blueprints yet"
    parts = [f"{b.name} (e.g. '{b.example_ask}')" if b.example_ask else b.name for b in candidates]
    return (
        f"supported {kind} blueprints: {'; '.join(parts)}. Give parameters in words or with --set "
        "key=value; `shipmate generate --list` shows every parameter"
    )


def shared_parameters(text: str) -> dict[str, Any]:
    """The parameters every blueprint may take, as the words of `text` give them.

    URLs and clock times are blanked first: the host and port in "https://api.x:8443" or
    the "02:30" in "daily at 02:30" are not this service's host, port or image.
    """
    text = _URL.sub(" ", _CLOCK.sub(" ", text))
    parameters: dict[str, Any] = {}
    for pattern, key in (
        (_REPLICAS, "replicas"),
        (_AUTOSCALE, "autoscale_max"),
        (_NAMESPACE, "namespace"),
        (_NAME, "name"),
        (_HEALTH, "health_path"),
        (_REGION, "region"),
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
    return parameters
