"""Reading one pod closely: its status and events, and a container's log (for the agent's questions)."""

from __future__ import annotations

import json
from typing import Any

from tools.errors import InputError
from tools.kube.config import KubeTarget
from tools.kube.read import LOG_LIMIT_BYTES, KubeApi
from tools.kube.snapshot import LogKey

MAX_TAIL = 1000


def pod_summary(target: KubeTarget, namespace: str, name: str, timeout: float = 10.0) -> str:
    """The pod's phase, conditions and containers' states, then its events, newest last (like describe)."""
    api = KubeApi(target, timeout)
    pod = _get_json(api, f"/api/v1/namespaces/{namespace}/pods/{name}", f"pod {namespace}/{name}")
    status = pod.get("status") or {}
    node = (pod.get("spec") or {}).get("nodeName", "-")
    lines = [f"Pod {namespace}/{name}: phase {status.get('phase', '?')}, node {node}"]
    for condition in status.get("conditions") or []:
        reason = (
            f" ({condition.get('reason')}: {condition.get('message', '')})" if condition.get("reason") else ""
        )
        lines.append(f"  condition {condition.get('type')}={condition.get('status')}{reason}")
    for container in (status.get("initContainerStatuses") or []) + (status.get("containerStatuses") or []):
        lines.append(
            f"  container {container.get('name')}: ready={container.get('ready')} "
            f"restarts={container.get('restartCount', 0)} image={container.get('image')}"
        )
        for label, state in (("state", container.get("state")), ("last", container.get("lastState"))):
            for phase, found in (state or {}).items():
                detail = found or {}
                extra = " ".join(
                    f"{key}={detail[key]}"
                    for key in ("reason", "exitCode", "message")
                    if detail.get(key) is not None
                )
                lines.append(f"    {label}: {phase} {extra}".rstrip())
    lines += event_lines(target, namespace, name, timeout)
    return "\n".join(lines)


def event_lines(target: KubeTarget, namespace: str, name: str = "", timeout: float = 10.0) -> list[str]:
    """Events of the namespace (or of the object `name`), de-duplicated, oldest first, one line each."""
    api = KubeApi(target, timeout)
    query = [("fieldSelector", f"involvedObject.name={name}")] if name else []
    body = _get_json(api, f"/api/v1/namespaces/{namespace}/events", f"events in {namespace}", query)
    events = sorted(body.get("items") or [], key=_event_time)
    lines = []
    for event in events[-200:]:
        involved = event.get("involvedObject") or {}
        lines.append(
            f"  {_event_time(event) or '-'} {event.get('type', '')} {event.get('reason', '')} "
            f"{involved.get('kind', '')}/{involved.get('name', '')} (x{event.get('count') or 1}): "
            f"{' '.join(str(event.get('message', '')).split())}"
        )
    return lines or ["  (no events)"]


def container_log(
    target: KubeTarget, key: LogKey, tail: int = 200, since_seconds: int = 0, timeout: float = 10.0
) -> str:
    """The last `tail` lines of a container's log (the previous run's when `key.previous`), of the last
    `since_seconds` only when that is set."""
    api = KubeApi(target, timeout)
    query: list[tuple[str, Any]] = [
        ("container", key.container),
        ("previous", "true" if key.previous else "false"),
        ("tailLines", max(1, min(tail, MAX_TAIL))),
        ("limitBytes", LOG_LIMIT_BYTES),
    ]
    if since_seconds > 0:
        query.append(("sinceSeconds", since_seconds))
    status, body = api.get(f"/api/v1/namespaces/{key.namespace}/pods/{key.pod}/log", query, accept="*/*")
    if status != 200:
        raise InputError(f"log of {key.namespace}/{key.pod}/{key.container}", _problem(status, body))
    return body.decode("utf-8", errors="replace")


def _get_json(
    api: KubeApi, path: str, what: str, query: list[tuple[str, Any]] | None = None
) -> dict[str, Any]:
    status, body = api.get(path, query or [])
    if status != 200:
        raise InputError(what, _problem(status, body))
    try:
        loaded: dict[str, Any] = json.loads(body)
    except ValueError as err:
        raise InputError(what, "the API server's answer is not JSON") from err
    return loaded


def _problem(status: int, body: bytes) -> str:
    try:
        message = str(json.loads(body).get("message", ""))
    except (ValueError, AttributeError):
        message = body[:200].decode("utf-8", errors="replace")
    names = {403: "forbidden", 404: "not found", 400: "bad request"}
    return f"{names.get(status, status)}: {message.splitlines()[0] if message else ''}".rstrip(": ")


def _event_time(event: dict[str, Any]) -> str:
    return str(event.get("lastTimestamp") or event.get("eventTime") or event.get("firstTimestamp") or "")
