"""What the fake Kubernetes API server knows of the API: paths, selectors, pages, logs, Status errors."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from typing import Any

from tests.support.label_selector import matches, parse_selector
from tools.kube.snapshot import KIND_NAMES

# kind key -> (API group, version, namespaced)
SERVED: dict[str, tuple[str, str, bool]] = {
    **{k: ("", "v1", True) for k in ("pods", "events", "services", "endpoints", "persistentvolumeclaims")},
    **{k: ("", "v1", True) for k in ("resourcequotas", "configmaps", "secrets")},
    **{k: ("", "v1", False) for k in ("nodes", "persistentvolumes", "namespaces")},
    **{k: ("apps", "v1", True) for k in ("deployments", "replicasets", "statefulsets", "daemonsets")},
    "ingresses": ("networking.k8s.io", "v1", True),
    "horizontalpodautoscalers": ("autoscaling", "v2", True),
    "jobs": ("batch", "v1", True),
    "cronjobs": ("batch", "v1", True),
    "storageclasses": ("storage.k8s.io", "v1", False),
}
LIST_KINDS = {**KIND_NAMES, "namespaces": "Namespace"}


class ApiError(Exception):
    """An error the server answers with a Status object."""

    def __init__(self, code: int, reason: str, message: str, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.code, self.reason, self.message, self.details = code, reason, message, details or {}

    def status(self) -> dict[str, Any]:
        """The Status body, as the API server sends it."""
        body: dict[str, Any] = {
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": self.message,
            "reason": self.reason,
            "code": self.code,
        }
        if self.details:
            body["details"] = self.details
        return body


def not_found(kind: str, name: str) -> ApiError:
    """404 for a named object."""
    return ApiError(404, "NotFound", f'{kind} "{name}" not found', {"name": name, "kind": kind})


NO_ROUTE = ApiError(404, "NotFound", "the server could not find the requested resource", {})


@dataclass(frozen=True)
class Route:
    """A parsed resource path: a list (name None) or one object, optionally a subresource."""

    kind: str
    namespace: str | None = None
    name: str | None = None
    sub: str | None = None

    @property
    def group(self) -> str:
        """The API group ("" for core)."""
        return SERVED[self.kind][0]

    @property
    def resource(self) -> str:
        """The RBAC resource name ("pods", "pods/log")."""
        return f"{self.kind}/{self.sub}" if self.sub else self.kind


def parse_route(path: str) -> Route:
    """The route of a path under /api/v1 or /apis/GROUP/VERSION; 404 when it is not one."""
    parts = [p for p in path.split("/") if p]
    if parts[:2] == ["api", "v1"]:
        group, version, rest = "", "v1", parts[2:]
    elif len(parts) >= 3 and parts[0] == "apis":
        group, version, rest = parts[1], parts[2], parts[3:]
    else:
        raise NO_ROUTE
    namespace = None
    if len(rest) >= 3 and rest[0] == "namespaces":
        namespace, rest = rest[1], rest[2:]
    if not rest or len(rest) > 3 or rest[0] not in SERVED or SERVED[rest[0]][:2] != (group, version):
        raise NO_ROUTE
    kind = rest[0]
    namespaced = SERVED[kind][2]
    if (namespace is not None and not namespaced) or (namespace is None and namespaced and len(rest) > 1):
        raise NO_ROUTE
    if len(rest) == 3 and (kind, rest[2]) != ("pods", "log"):
        raise NO_ROUTE
    return Route(kind, namespace, rest[1] if len(rest) > 1 else None, rest[2] if len(rest) == 3 else None)


def _field(obj: dict[str, Any], dotted: str) -> str:
    value: Any = obj
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return "" if value is None else str(value)


def select(items: list[dict[str, Any]], label_selector: str, field_selector: str) -> list[dict[str, Any]]:
    """The items matching both selectors; 400 with the API's wording when one does not parse."""
    try:
        requirements = parse_selector(label_selector)
    except ValueError as err:
        raise ApiError(400, "BadRequest", f"unable to parse requirement: {err}") from None
    fields: list[tuple[str, bool, str]] = []
    for term in filter(None, (t.strip() for t in field_selector.split(","))):
        negate = "!=" in term
        key, _, value = term.replace("!=", "=").replace("==", "=").partition("=")
        if not value and "=" not in term:
            raise ApiError(400, "BadRequest", f"invalid selector: '{term}'; can't understand '{term}'")
        fields.append((key.strip(), negate, value.strip()))
    return [
        obj
        for obj in items
        if matches(requirements, (obj.get("metadata") or {}).get("labels") or {})
        and all((_field(obj, key) == value) != negate for key, negate, value in fields)
    ]


@dataclass
class Page:
    """One page of a list and the token for the next."""

    items: list[dict[str, Any]]
    token: str = ""
    remaining: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def paginate(items: list[dict[str, Any]], limit: str, token: str, resource_version: str) -> Page:
    """Cut `items` at the continue token's offset, `limit` items long (all when no limit)."""
    start = 0
    if token:
        try:
            start = int(json.loads(base64.urlsafe_b64decode(token.encode()))["start"])
        except (ValueError, KeyError, TypeError, binascii.Error):
            raise ApiError(400, "BadRequest", "continue key is not valid: illegal base64 data") from None
    size = int(limit) if limit.isdigit() and int(limit) > 0 else len(items)
    end = start + size
    page = Page(items[start:end])
    if end < len(items):
        state = {"v": "meta.k8s.io/v1", "rv": int(resource_version), "start": str(end)}
        page.token = base64.urlsafe_b64encode(json.dumps(state).encode()).decode()
        page.remaining = len(items) - end
    return page


def _waiting_reason(pod: dict[str, Any], container: str) -> str | None:
    for status in (pod.get("status") or {}).get("containerStatuses") or []:
        if status.get("name") == container and "waiting" in (status.get("state") or {}):
            reason = str(status["state"]["waiting"].get("reason", "ContainerCreating"))
            if reason in ("ErrImagePull", "ImagePullBackOff"):
                return "trying and failing to pull image"
            return None if reason == "CrashLoopBackOff" else reason
    return None


def pod_log(pod: dict[str, Any], logs: dict[str, dict[str, str]], query: dict[str, str]) -> str:
    """A container's log as the kubelet serves it through the API, or the API's 400."""
    name, namespace = pod["metadata"]["name"], pod["metadata"].get("namespace", "")
    spec = pod.get("spec") or {}
    names = [c["name"] for c in (spec.get("initContainers") or []) + (spec.get("containers") or [])]
    container = query.get("container") or ""
    if not container:
        if len(spec.get("containers") or []) != 1:
            choices = " ".join(c["name"] for c in spec.get("containers") or [])
            raise ApiError(
                400,
                "BadRequest",
                f"a container name must be specified for pod {name}, choose one of: [{choices}]",
            )
        container = names[-1]
    if container not in names:
        raise ApiError(400, "BadRequest", f"container {container} is not valid for pod {name}")
    texts = logs.get(f"{namespace}/{name}/{container}", {})
    if query.get("previous") == "true":
        if "previous" not in texts:
            raise ApiError(
                400, "BadRequest", f'previous terminated container "{container}" in pod "{name}" not found'
            )
        text = texts["previous"]
    elif "current" in texts:
        text = texts["current"]
    elif not spec.get("nodeName"):
        raise ApiError(400, "BadRequest", f"pod {name} does not have a host assigned")
    elif (reason := _waiting_reason(pod, container)) is not None:
        raise ApiError(
            400, "BadRequest", f'container "{container}" in pod "{name}" is waiting to start: {reason}'
        )
    else:
        text = ""
    tail = query.get("tailLines", "")
    if tail.isdigit():
        lines = text.splitlines(keepends=True)
        text = "".join(lines[-int(tail) :]) if int(tail) else ""
    limit = query.get("limitBytes", "")
    if limit.isdigit() and int(limit) > 0:
        text = text.encode()[: int(limit)].decode("utf-8", errors="ignore")
    return text
