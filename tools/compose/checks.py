"""Security and reliability checks on the services of a Compose file, and its undefined references.

Each check looks at one service mapping and returns `Hit`s: the check's id, the path of
the field inside the file, and what was seen. Values written with `${...}` interpolation
are taken as set (their value is unknown here), never as a problem.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from tools.k8s.policies.reliability import image_tag
from tools.k8s.policies.security import RUNTIME_SOCKETS

Path = tuple[str | int, ...]
DANGEROUS_CAPABILITIES = frozenset({"ALL", "SYS_ADMIN"})
# a variable whose name says it holds a credential (and not a path, a name or a flag)
_SECRET_WORDS = (
    "PASSWORD",
    "PASSWD",
    "PASSPHRASE",
    "SECRET",
    "TOKEN",
    "CREDENTIAL",
    "PRIVATE_KEY",
    "API_KEY",
    "ACCESS_KEY",
    "APIKEY",
)
_NOT_SECRET_SUFFIXES = ("_FILE", "_PATH", "_DIR", "_NAME", "_URL", "_HOST", "_PORT", "_ID", "_TTL", "_TYPE")
_FLAGS = frozenset({"true", "false", "yes", "no", "on", "off", "0", "1"})


@dataclass(frozen=True)
class Hit:
    """One problem in one service: which check, where, and what was seen."""

    check: str
    path: Path
    text: str
    confidence: float = 1.0


def service_hits(name: str, service: dict[str, Any]) -> list[Hit]:
    """Every security and reliability problem of the service `name`."""
    at: Path = ("services", name)
    hits: list[Hit] = []
    hits += _privileges(at, service)
    hits += _host_access(at, service)
    hits += _sockets(at, service)
    hits += _limits_and_health(at, service)
    hits += _image(at, service)
    hits += _environment(at, service)
    return hits


def _privileges(at: Path, service: dict[str, Any]) -> Iterator[Hit]:
    if _true(service.get("privileged")):
        yield Hit("COMPOSE_PRIVILEGED", (*at, "privileged"), "privileged: true")
    added = [_capability(c) for c in _list(service.get("cap_add"))]
    for index, capability in enumerate(added):
        if capability in DANGEROUS_CAPABILITIES:
            yield Hit("COMPOSE_DANGEROUS_CAPABILITY", (*at, "cap_add", index), f"cap_add: {capability}")
    if "ALL" not in {_capability(c) for c in _list(service.get("cap_drop"))}:
        yield Hit("COMPOSE_CAPABILITIES_NOT_DROPPED", (*at, "cap_drop"), "cap_drop does not list ALL")
    user = service.get("user")
    if user is None:
        yield Hit("COMPOSE_RUN_AS_ROOT", at, "no user: the image's user (root for most images)")
    elif str(user).split(":", 1)[0].strip() in ("root", "0", ""):
        yield Hit("COMPOSE_RUN_AS_ROOT", (*at, "user"), f"user: {user}")
    options = [str(o).replace("=", ":").replace(" ", "") for o in _list(service.get("security_opt"))]
    if not any(o in ("no-new-privileges", "no-new-privileges:true") for o in options):
        where = (*at, "security_opt") if "security_opt" in service else at
        yield Hit("COMPOSE_NO_NEW_PRIVILEGES", where, "security_opt does not set no-new-privileges:true")
    if not _true(service.get("read_only")):
        where = (*at, "read_only") if "read_only" in service else at
        yield Hit("COMPOSE_WRITABLE_ROOT_FS", where, "read_only is not true")


def _host_access(at: Path, service: dict[str, Any]) -> Iterator[Hit]:
    if service.get("network_mode") == "host":
        yield Hit("COMPOSE_HOST_NETWORK", (*at, "network_mode"), "network_mode: host")
    for key in ("pid", "ipc"):
        if service.get(key) == "host":
            yield Hit("COMPOSE_HOST_NAMESPACE", (*at, key), f"{key}: host")


def _sockets(at: Path, service: dict[str, Any]) -> Iterator[Hit]:
    for index, volume in enumerate(_list(service.get("volumes"))):
        source = _bind_source(volume)
        if source is not None and (source.rstrip("/") or "/") in RUNTIME_SOCKETS:
            yield Hit("COMPOSE_DOCKER_SOCKET", (*at, "volumes", index), f"mounts {source}")


def _limits_and_health(at: Path, service: dict[str, Any]) -> Iterator[Hit]:
    limits = _map(_map(_map(service.get("deploy")).get("resources")).get("limits"))
    missing = []
    if limits.get("memory") is None and service.get("mem_limit") is None:
        missing.append("memory")
    if limits.get("cpus") is None and service.get("cpus") is None:
        missing.append("CPU")
    if missing:
        where = (*at, "deploy", "resources", "limits") if limits else at
        yield Hit("COMPOSE_NO_RESOURCE_LIMITS", where, f"no {' or '.join(missing)} limit")
    health = service.get("healthcheck")
    if not isinstance(health, dict):
        yield Hit("COMPOSE_NO_HEALTHCHECK", at, "no healthcheck", 0.7)
    elif _true(health.get("disable")) or _list(health.get("test"))[:1] == ["NONE"]:
        yield Hit("COMPOSE_NO_HEALTHCHECK", (*at, "healthcheck"), "healthcheck disabled", 0.9)


def _image(at: Path, service: dict[str, Any]) -> Iterator[Hit]:
    image = service.get("image")
    if not isinstance(image, str) or not image.strip() or "$" in image:
        return  # built here, missing (the schema's concern) or interpolated
    tag, digest = image_tag(image)
    if digest is None and tag in (None, "latest"):
        shown = f"image {image} has no tag" if tag is None else f"image {image}"
        yield Hit("COMPOSE_LATEST_TAG", (*at, "image"), shown)


def _environment(at: Path, service: dict[str, Any]) -> Iterator[Hit]:
    environment = service.get("environment")
    pairs: list[tuple[str | int, str, Any]] = []
    if isinstance(environment, dict):
        pairs = [(key, key, value) for key, value in environment.items()]
    elif isinstance(environment, list):
        for index, item in enumerate(environment):
            if isinstance(item, str) and "=" in item:
                key, _, value = item.partition("=")
                pairs.append((index, key, value))
    for where, key, value in pairs:
        if _looks_secret(key) and isinstance(value, str | int | float) and not isinstance(value, bool):
            text = str(value).strip()
            if text and "$" not in text and text.lower() not in _FLAGS:
                shown = f"{key} is written inline ({len(text)} characters, not shown)"
                yield Hit("COMPOSE_SECRET_IN_ENVIRONMENT", (*at, "environment", where), shown, 0.8)


def undefined_references(name: str, service: dict[str, Any], top: dict[str, Any]) -> list[Hit]:
    """Networks, named volumes, secrets and configs the service uses that the file does not define."""
    at: Path = ("services", name)
    hits: list[Hit] = []
    defined = {
        section: set(_map(top.get(section))) for section in ("networks", "volumes", "secrets", "configs")
    }
    defined["networks"].add("default")
    networks = service.get("networks")
    used_networks = networks if isinstance(networks, list) else list(_map(networks))
    for index, network in enumerate(used_networks):
        if isinstance(network, str) and network not in defined["networks"]:
            where = index if isinstance(networks, list) else network
            hits.append(_undefined(at, "networks", where, "network", network))
    for section in ("secrets", "configs"):
        for index, item in enumerate(_list(service.get(section))):
            source = item if isinstance(item, str) else _map(item).get("source")
            if isinstance(source, str) and "$" not in source and source not in defined[section]:
                hits.append(_undefined(at, section, index, section[:-1], source))
    for index, volume in enumerate(_list(service.get("volumes"))):
        source = _volume_name(volume)
        if source is not None and source not in defined["volumes"]:
            hits.append(_undefined(at, "volumes", index, "volume", source))
    return hits


def _undefined(at: Path, section: str, where: str | int, what: str, name: str) -> Hit:
    return Hit("COMPOSE_UNDEFINED_REFERENCE", (*at, section, where), f"refers to undefined {what} {name}")


def _bind_source(volume: Any) -> str | None:
    """The host path a volume entry mounts (short `src:dst[:mode]` or long `type: bind`), if any."""
    if isinstance(volume, str):
        parts = volume.split(":")
        return parts[0] if len(parts) >= 2 and parts[0].startswith("/") else None
    entry = _map(volume)
    source = entry.get("source")
    if entry.get("type") == "bind" and isinstance(source, str):
        return source
    return None


def _volume_name(volume: Any) -> str | None:
    """The named volume a volume entry uses (None for bind mounts, tmpfs and anonymous volumes)."""
    if isinstance(volume, str):
        parts = volume.split(":")
        source = parts[0] if len(parts) >= 2 else ""
        if len(source) == 1 and parts[1].startswith(("\\", "/")):
            return None  # a Windows drive: C:\data:/data
    else:
        entry = _map(volume)
        named = entry.get("source") if entry.get("type") == "volume" else None
        if not isinstance(named, str):
            return None
        source = named
    if not source or source.startswith(("/", ".", "~", "$")) or "\\" in source:
        return None
    return source


def _looks_secret(name: str) -> bool:
    upper = name.upper()
    return any(word in upper for word in _SECRET_WORDS) and not upper.endswith(_NOT_SECRET_SUFFIXES)


def _capability(value: Any) -> str:
    return value.upper().removeprefix("CAP_") if isinstance(value, str) else ""


def _true(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _map(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
