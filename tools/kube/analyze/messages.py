"""Reading Kubernetes status and event messages: which taxonomy category a message points to."""

from __future__ import annotations

import re
from dataclasses import dataclass

_MISSING_REF = re.compile(
    r'(?P<kind>secret|configmap)s? "(?P<name>[^"]+)" not found'
    r"|couldn't find key (?P<key>\S+) in (?P<kind2>Secret|ConfigMap) (?:[\w.-]+/)?(?P<name2>[\w.-]+)",
    re.IGNORECASE,
)
_SCHEDULING_PART = re.compile(r"^\s*(\d+)\s+(.*)$")
_CONTROL_PLANE_TAINT = re.compile(r"node-role\.kubernetes\.io/(control-plane|master)")


@dataclass(frozen=True)
class Reading:
    """What a message points to: a category, how sure, and the object it names if any."""

    category: str
    confidence: float
    detail: str = ""


def image_pull(message: str) -> Reading:
    """ErrImagePull / ImagePullBackOff text -> image.pull.auth, image.pull.not_found, or a network cause."""
    text = message.lower()
    if any(
        m in text
        for m in ("401", "unauthorized", "403 forbidden", "no basic auth", "authentication required")
    ):
        return Reading("image.pull.auth", 0.9, "the registry refused the credentials")
    if "pull access denied" in text or "insufficient_scope" in text or "access denied" in text:
        # Docker Hub answers this for private and for nonexistent repositories alike.
        return Reading("image.pull.auth", 0.7, "the registry denied access (private, or no such repository)")
    if any(
        m in text for m in ("not found", "manifest unknown", "name unknown", "notfound", "does not exist")
    ):
        return Reading("image.pull.not_found", 0.9, "the image or tag does not exist")
    if "no such host" in text or "server misbehaving" in text:
        return Reading("network.dns_resolution", 0.8, "the registry's name does not resolve")
    if "i/o timeout" in text or "deadline exceeded" in text or "tls handshake timeout" in text:
        return Reading("network.timeout", 0.7, "the registry did not answer in time")
    if "invalidimagename" in text or "invalid reference format" in text:
        return Reading("image.pull.not_found", 0.8, "the image reference is malformed")
    return Reading("image.pull.not_found", 0.5, "the image cannot be pulled")


def missing_reference(message: str) -> Reading | None:
    """`secret "x" not found`, `couldn't find key K in ConfigMap ns/x` -> missing_secret/missing_configmap."""
    found = _MISSING_REF.search(message)
    if found is None:
        return None
    kind = (found.group("kind") or found.group("kind2") or "").lower()
    name = found.group("name") or found.group("name2") or ""
    key = found.group("key")
    category = "container.config.missing_secret" if kind == "secret" else "container.config.missing_configmap"
    shown = "Secret" if kind == "secret" else "ConfigMap"
    detail = f"key {key} of {shown} {name}" if key else f"{shown} {name}"
    return Reading(category, 0.95, detail)


def config_error(message: str) -> Reading:
    """CreateContainerConfigError / CreateContainerError text -> a config category."""
    reference = missing_reference(message)
    if reference is not None:
        return reference
    lowered = message.lower()
    if "runasnonroot" in lowered or "permission denied" in lowered:
        return Reading("container.permission_denied", 0.85, "the security context conflicts with the image")
    if "secret" in lowered:
        return Reading("container.config.missing_secret", 0.6, "a Secret it references")
    if "configmap" in lowered:
        return Reading("container.config.missing_configmap", 0.6, "a ConfigMap it references")
    return Reading("container.config.missing_env", 0.5, "its configuration cannot be built")


def run_error(message: str) -> Reading:
    """RunContainerError / StartError / ContainerCannotRun text -> the start failure's category."""
    lowered = message.lower()
    if "exec format error" in lowered:
        return Reading("image.arch_mismatch", 0.9, "the binary is built for another CPU architecture")
    if "executable file not found" in lowered or (
        "no such file or directory" in lowered and "exec" in lowered
    ):
        return Reading("container.command_not_found", 0.9, "the command is not in the image")
    if "permission denied" in lowered or "read-only file system" in lowered:
        return Reading("container.permission_denied", 0.85, "the process may not execute or write a path")
    if "address already in use" in lowered:
        return Reading("port.in_use", 0.85, "the port is taken")
    return Reading("container.crash.app_error", 0.5, "the container cannot start")


def _reason_category(reason: str) -> str | None:
    lowered = reason.lower()
    if "persistentvolumeclaim" in lowered:
        return "scheduling.pvc_unbound"
    if "insufficient" in lowered or "too many pods" in lowered:
        return "scheduling.insufficient_resources"
    if "taint" in lowered or "didn't tolerate" in lowered:
        return "scheduling.taint_toleration"
    if "affinity" in lowered or "selector" in lowered:
        return "scheduling.affinity_selector"
    return None


def scheduling(message: str) -> Reading:
    """FailedScheduling / Unschedulable text -> the scheduling category that rules out the most nodes."""
    lowered = message.lower()
    if "unbound immediate persistentvolumeclaims" in lowered or re.search(
        r'persistentvolumeclaim "[^"]+" not found', lowered
    ):
        return Reading("scheduling.pvc_unbound", 0.9, "it waits on an unbound PersistentVolumeClaim")
    head = message.split(". preemption:", 1)[0].split("preemption:", 1)[0]
    _, _, listed = head.partition("are available:")
    weights: dict[str, float] = {}
    heaviest: dict[str, tuple[float, str]] = {}  # category -> its part that rules out the most nodes
    for part in listed.split(","):
        matched = _SCHEDULING_PART.match(part.strip().rstrip("."))
        if matched is None:
            continue
        reason = matched.group(2)
        category = _reason_category(reason)
        if category is None:
            continue
        weight = float(matched.group(1))
        if _CONTROL_PLANE_TAINT.search(reason):
            weight *= 0.1  # control-plane nodes are tainted on purpose; rarely what the user must fix
        weights[category] = weights.get(category, 0.0) + weight
        if weight > heaviest.get(category, (-1.0, ""))[0]:
            heaviest[category] = (weight, reason)
    if weights:
        best = max(weights, key=lambda c: weights[c])
        return Reading(best, 0.9, heaviest[best][1])
    category = _reason_category(message)
    if category is not None:
        return Reading(category, 0.7, message)
    return Reading("scheduling.insufficient_resources", 0.4, message)


def probe_kind(message: str) -> str | None:
    """`Liveness probe failed: ...` -> "liveness" (also readiness, startup); None for other text."""
    lowered = message.lower()
    for kind in ("liveness", "readiness", "startup"):
        if lowered.startswith(f"{kind} probe") or f"failed {kind} probe" in lowered:
            return kind
    return None
