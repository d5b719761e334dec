"""Reading a cluster, read-only, in a bounded number of API calls.

Each kind is listed once per namespace (or once for all namespaces), 500 objects a page,
in a few threads; objects stay raw JSON. Nothing is read per object except the logs of
the containers the analyzers ask for, at most `log_limit` of them. ConfigMaps and Secrets
are listed as metadata only, so a Secret's content never reaches this process. A kind the
credentials may not list is recorded with the permission it needs, and the rest goes on.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from tools.errors import InputError
from tools.kube.config import KubeTarget
from tools.kube.snapshot import CLUSTER_KINDS, NAMESPACED_KINDS, ClusterSnapshot, LogKey

PAGE = 500
METADATA_ONLY = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1"
_GROUPS = {
    "deployments": "/apis/apps/v1",
    "replicasets": "/apis/apps/v1",
    "statefulsets": "/apis/apps/v1",
    "daemonsets": "/apis/apps/v1",
    "ingresses": "/apis/networking.k8s.io/v1",
    "horizontalpodautoscalers": "/apis/autoscaling/v2",
    "jobs": "/apis/batch/v1",
    "cronjobs": "/apis/batch/v1",
    "storageclasses": "/apis/storage.k8s.io/v1",
}
_API_GROUPS = {"/api/v1": "", "/apis/apps/v1": "apps", "/apis/networking.k8s.io/v1": "networking.k8s.io"}
_API_GROUPS |= {"/apis/autoscaling/v2": "autoscaling", "/apis/batch/v1": "batch"}
_API_GROUPS |= {"/apis/storage.k8s.io/v1": "storage.k8s.io"}
# A label selector narrows these; events, quotas, nodes and volumes are read whole.
LABEL_SELECTABLE = frozenset(
    {"pods", "deployments", "replicasets", "statefulsets", "daemonsets", "services", "endpoints"}
    | {"ingresses", "persistentvolumeclaims", "horizontalpodautoscalers", "jobs", "cronjobs"}
)
LOG_TAIL_LINES = 400
LOG_LIMIT_BYTES = 256 * 1024

NeedsLogs = Callable[[ClusterSnapshot], list[LogKey]]


def api_group(kind: str) -> str:
    """The API group a kind key is listed from ("" for the core group): what an RBAC rule names."""
    return _API_GROUPS[_GROUPS.get(kind, "/api/v1")]


@dataclass
class _Listed:
    kind: str
    items: list[dict[str, Any]]
    forbidden: str | None = None
    error: str | None = None


class KubeApi:
    """GETs through the official client, counted; each answer as (status, body bytes)."""

    def __init__(self, target: KubeTarget, timeout: float) -> None:
        self.target = target
        self.timeout = timeout
        self.calls = 0
        self.bytes = 0
        self._lock = threading.Lock()

    def get(
        self, path: str, query: Sequence[tuple[str, Any]] = (), accept: str = "application/json"
    ) -> tuple[int, bytes]:
        """One GET; InputError when the server cannot be reached or refuses the credentials."""
        from urllib3.exceptions import HTTPError

        client = self.target.client
        with self._lock:
            self.calls += 1
        request = client.param_serialize(
            "GET",
            path,
            query_params=list(query),
            header_params={"Accept": accept},
            auth_settings=["BearerToken"],
        )
        try:
            response = client.call_api(*request, _request_timeout=self.timeout)
            response.read()
        except (HTTPError, OSError) as err:
            where = f"cannot reach the API server {self.target.server}"
            raise InputError(
                f"context {self.target.context}", f"{where}: {_reason(err)} (timeout {self.timeout:g} s)"
            ) from err
        data: bytes = response.data or b""
        with self._lock:
            self.bytes += len(data)
        if response.status == 401:
            raise InputError(
                f"context {self.target.context}",
                "the API server refused the credentials (401 Unauthorized): log in again or renew the token",
            )
        return response.status, data


def read_cluster(
    target: KubeTarget,
    namespaces: Sequence[str] | None,
    label_selector: str | None = None,
    *,
    needs_logs: NeedsLogs | None = None,
    timeout: float = 10.0,
    threads: int = 8,
) -> ClusterSnapshot:
    """Read every kind of `NAMESPACED_KINDS` in `namespaces` (None: all) and `CLUSTER_KINDS`, then the logs
    `needs_logs` asks for. Raises InputError when the API server is unreachable or refuses the credentials."""
    api = KubeApi(target, timeout)
    status, _ = api.get("/version")
    if status >= 500:
        raise InputError(f"context {target.context}", f"the API server answered {status} to /version")
    snapshot = ClusterSnapshot(context=target.context, namespaces=list(namespaces) if namespaces else None)
    scopes: list[str | None] = list(namespaces) if namespaces else [None]
    tasks = [(kind, scope) for kind in NAMESPACED_KINDS for scope in scopes]
    tasks += [(kind, None) for kind in CLUSTER_KINDS]
    with ThreadPoolExecutor(max_workers=threads) as pool:
        listed = list(pool.map(lambda task: _list(api, task[0], task[1], label_selector), tasks))
    for result in listed:
        if result.forbidden:
            snapshot.forbidden.setdefault(result.kind, result.forbidden)
        elif result.error:
            snapshot.errors.setdefault(result.kind, result.error)
        else:
            snapshot.objects.setdefault(result.kind, []).extend(result.items)
    for kind in list(snapshot.objects):
        if kind in snapshot.forbidden or kind in snapshot.errors:
            del snapshot.objects[kind]  # read in some namespaces only: not a whole picture, say so
    if needs_logs is not None and snapshot.readable("pods"):
        wanted = needs_logs(snapshot)
        with ThreadPoolExecutor(max_workers=threads) as pool:
            for key, text, problem in pool.map(lambda key: _log(api, key), wanted):
                if text:
                    snapshot.logs[key] = text
                elif problem:
                    snapshot.errors.setdefault(f"logs {key.namespace}/{key.pod}/{key.container}", problem)
    snapshot.api_calls = api.calls
    snapshot.bytes_read = api.bytes
    return snapshot


def _list(api: KubeApi, kind: str, namespace: str | None, label_selector: str | None) -> _Listed:
    prefix = _GROUPS.get(kind, "/api/v1")
    path = f"{prefix}/namespaces/{namespace}/{kind}" if namespace else f"{prefix}/{kind}"
    accept = METADATA_ONLY if kind in ("secrets", "configmaps") else "application/json"
    items: list[dict[str, Any]] = []
    token = ""
    started = time.perf_counter()
    while True:
        query: list[tuple[str, Any]] = [("limit", PAGE)]
        if label_selector and kind in LABEL_SELECTABLE:
            query.append(("labelSelector", label_selector))
        if token:
            query.append(("continue", token))
        try:
            status, body = api.get(path, query, accept)
        except InputError as err:
            if "timeout" in err.problem and time.perf_counter() - started >= api.timeout:
                return _Listed(kind, [], error=f"listing {kind} timed out after {api.timeout:g} s")
            raise
        if status == 403:
            return _Listed(kind, [], forbidden=_permission(kind, prefix, namespace))
        if status == 404:
            return _Listed(kind, [], error=f"{kind} is not served by this cluster ({prefix})")
        if status != 200:
            return _Listed(kind, [], error=f"listing {kind} failed: {status} {_message(body)}")
        try:
            page = json.loads(body)
        except ValueError:
            return _Listed(kind, [], error=f"listing {kind}: the answer is not JSON")
        for item in page.get("items") or []:
            # names only for ConfigMaps and Secrets, whatever the server sent
            items.append(
                {"metadata": item.get("metadata") or {}} if kind in ("secrets", "configmaps") else item
            )
        token = (page.get("metadata") or {}).get("continue") or ""
        if not token:
            return _Listed(kind, items)


def _log(api: KubeApi, key: LogKey) -> tuple[LogKey, str, str]:
    path = f"/api/v1/namespaces/{key.namespace}/pods/{key.pod}/log"
    query = [
        ("container", key.container),
        ("previous", "true" if key.previous else "false"),
        ("tailLines", LOG_TAIL_LINES),
        ("limitBytes", LOG_LIMIT_BYTES),
    ]
    status, body = api.get(path, query, accept="*/*")
    if status == 200:
        return key, body.decode("utf-8", errors="replace"), ""
    if status == 403:
        return key, "", f"forbidden: get pods/log in namespace {key.namespace}"
    if status == 400:
        return key, "", ""  # no previous container (it never restarted): nothing to read
    return key, "", f"{status} {_message(body)}"


def _permission(kind: str, prefix: str, namespace: str | None) -> str:
    group = _API_GROUPS.get(prefix, prefix)
    where = f"in namespace {namespace}" if namespace else "at the cluster scope (all namespaces)"
    return f"list {kind}" + (f" ({group})" if group else "") + f" {where}"


def _message(body: bytes) -> str:
    try:
        message = json.loads(body).get("message", "")
    except (ValueError, AttributeError):
        message = body[:200].decode("utf-8", errors="replace")
    return str(message).splitlines()[0][:200] if message else ""


def _reason(err: Exception) -> str:
    reason = getattr(err, "reason", None) or err
    text = str(reason)
    if "Connection refused" in text:
        return "connection refused"
    if "timed out" in text.lower():
        return "timed out"
    if "Name or service not known" in text or "nodename nor servname" in text:
        return "unknown host"
    return text.splitlines()[0][:160]
