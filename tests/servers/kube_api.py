"""A local, read-only Kubernetes API server that serves a fixed set of objects and logs.

It answers GETs as a real API server does: lists (namespaced, all-namespace and cluster forms)
with labelSelector, fieldSelector and limit/continue pages; single objects; PartialObjectMetadataList
for ConfigMaps and Secrets (whose data it never sends); pod logs (previous, tailLines, limitBytes);
/version. Errors are Status objects worded as Kubernetes words them: 401 without the Bearer
token, 403 for the forbidden resources ("pods" everywhere, "pods@shop" in one namespace, "nodes",
"pods/log"). Every request is recorded, for counting calls.

    with kube_api_server(scenario.objects, scenario.logs, forbidden=["nodes"]) as api:
        kubeconfig = write_kubeconfig(tmp_path / "config", api.base_url, api.token)
        ...
        assert len(api.calls("/pods")) == 1
"""

from __future__ import annotations

import copy
import json
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import yaml

from tests.servers.kube_routes import (
    LIST_KINDS,
    SERVED,
    ApiError,
    Route,
    not_found,
    paginate,
    parse_route,
    pod_log,
)
from tests.servers.kube_routes import select as select_items
from tests.support.cluster_scenarios import METADATA_ONLY, plural

USER = "system:serviceaccount:ops:shipmate"
TOKEN = "shipmate-test-token"
RESOURCE_VERSION = "48213"
VERSION = {
    "major": "1",
    "minor": "30",
    "gitVersion": "v1.30.2",
    "gitCommit": "39683505b630ff2121012f3c5b16215a1449d5ed",
    "gitTreeState": "clean",
    "buildDate": "2024-06-11T20:21:00Z",
    "goVersion": "go1.22.4",
    "compiler": "gc",
    "platform": "linux/amd64",
}
PARTIAL = "as=PartialObjectMetadata"


@dataclass(frozen=True)
class Request:
    """One request as received (query parameters decoded; the last value of each wins)."""

    method: str
    path: str
    query: dict[str, str]
    accept: str


@dataclass
class KubeApiServer:
    """The running server, as a test sees it."""

    store: dict[tuple[str, str | None], list[dict[str, Any]]]  # (kind key, namespace) -> objects
    logs: dict[str, dict[str, str]]
    forbidden: Sequence[str] = ()
    token: str | None = TOKEN
    delay: float = 0.0
    user: str = USER
    base_url: str = ""
    requests: list[Request] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def calls(self, path_contains: str = "") -> list[Request]:
        """The requests whose path contains the text (all of them by default)."""
        with self._lock:
            return [r for r in self.requests if path_contains in r.path]

    def record(self, request: Request) -> None:
        """Keep a request for the test to count."""
        with self._lock:
            self.requests.append(request)

    def objects(self, kind: str, namespace: str | None) -> list[dict[str, Any]]:
        """The objects of a kind in one namespace, or in all of them (ordered by namespace)."""
        if namespace is not None:
            return list(self.store.get((kind, namespace), []))
        keys = sorted((key for key in self.store if key[0] == kind), key=lambda key: key[1] or "")
        return [obj for key in keys for obj in self.store[key]]

    def check_allowed(self, route: Route) -> None:
        """Raise the 403 a real server gives when the identity lacks the permission."""
        verb = "get" if route.name else "list"
        for entry in self.forbidden:
            resource, _, only_in = entry.partition("@")
            # an all-namespace list needs the permission everywhere, so any denial forbids it
            if resource != route.resource or (only_in and route.namespace not in (None, only_in)):
                continue
            subject = f'{route.kind} "{route.name}"' if route.name else route.kind
            where = f' in the namespace "{route.namespace}"' if route.namespace else " at the cluster scope"
            message = (
                f'{subject} is forbidden: User "{self.user}" cannot {verb} resource "{route.resource}" '
                f'in API group "{route.group}"{where}'
            )
            details = {"name": route.name, "kind": route.kind} if route.name else {"kind": route.kind}
            raise ApiError(403, "Forbidden", message, details)

    def answer(self, route: Route, query: dict[str, str], accept: str) -> dict[str, Any] | str:
        """The body for a GET of this route: an object, a list, or log text."""
        self.check_allowed(route)
        if route.name is None:
            return self._list(route, query, accept)
        found = [o for o in self.objects(route.kind, route.namespace) if o["metadata"]["name"] == route.name]
        if not found:
            raise not_found(route.kind, route.name)
        if route.sub == "log":
            return pod_log(found[0], self.logs, query)
        if PARTIAL in accept:
            return _partial(found[0])
        return copy.deepcopy(found[0])

    def _list(self, route: Route, query: dict[str, str], accept: str) -> dict[str, Any]:
        items = select_items(
            self.objects(route.kind, route.namespace),
            query.get("labelSelector", ""),
            query.get("fieldSelector", ""),
        )
        page = paginate(items, query.get("limit", ""), query.get("continue", ""), RESOURCE_VERSION)
        metadata: dict[str, Any] = {"resourceVersion": RESOURCE_VERSION}
        if page.token:
            metadata["continue"] = page.token
            if not query.get("labelSelector") and not query.get("fieldSelector"):
                metadata["remainingItemCount"] = page.remaining
        if PARTIAL in accept:
            return {
                "kind": "PartialObjectMetadataList",
                "apiVersion": "meta.k8s.io/v1",
                "metadata": metadata,
                "items": [_partial(obj) for obj in page.items],
            }
        group, version, _ = SERVED[route.kind]
        listed = []
        for obj in page.items:
            item = copy.deepcopy(obj)
            item.pop("kind", None)  # list items come without kind and apiVersion
            item.pop("apiVersion", None)
            listed.append(item)
        return {
            "kind": f"{LIST_KINDS[route.kind]}List",
            "apiVersion": f"{group}/{version}" if group else version,
            "metadata": metadata,
            "items": listed,
        }


def _partial(obj: dict[str, Any]) -> dict[str, Any]:
    return {
        "kind": "PartialObjectMetadata",
        "apiVersion": "meta.k8s.io/v1",
        "metadata": copy.deepcopy(obj["metadata"]),
    }


def group_objects(objects: list[dict[str, Any]]) -> dict[tuple[str, str | None], list[dict[str, Any]]]:
    """Objects by (kind key, namespace); Secrets and ConfigMaps lose their data; Namespaces are made up."""
    store: dict[tuple[str, str | None], list[dict[str, Any]]] = {}
    for obj in objects:
        kind = plural(obj)
        item = copy.deepcopy(obj)
        if kind in METADATA_ONLY:
            for content in ("data", "stringData", "binaryData"):
                item.pop(content, None)
        store.setdefault((kind, item["metadata"].get("namespace")), []).append(item)
    known = {o["metadata"]["name"] for o in store.get(("namespaces", None), [])}
    for namespace in sorted({ns for (_, ns) in store if ns} - known):
        store.setdefault(("namespaces", None), []).append(
            {
                "apiVersion": "v1",
                "kind": "Namespace",
                "metadata": {"name": namespace, "labels": {"kubernetes.io/metadata.name": namespace}},
                "spec": {"finalizers": ["kubernetes"]},
                "status": {"phase": "Active"},
            }
        )
    return store


@contextmanager
def kube_api_server(
    objects: list[dict[str, Any]],
    logs: dict[str, dict[str, str]] | None = None,
    forbidden: Sequence[str] = (),
    token: str | None = TOKEN,
    delay: float = 0.0,
) -> Iterator[KubeApiServer]:
    """Serve the objects on a free loopback port for the block; `token=None` accepts any caller."""
    state = KubeApiServer(group_objects(objects), logs or {}, tuple(forbidden), token, delay)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def log_message(self, *_: object) -> None:
            return None

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            query = dict(parse_qsl(url.query, keep_blank_values=True))
            accept = self.headers.get("Accept", "")
            state.record(Request("GET", url.path, query, accept))
            if state.delay:
                time.sleep(state.delay)
            try:
                if state.token is not None and self.headers.get("Authorization") != f"Bearer {state.token}":
                    raise ApiError(401, "Unauthorized", "Unauthorized")
                if url.path.rstrip("/") == "/version":
                    self._send(200, VERSION)
                    return
                self._send(200, state.answer(parse_route(url.path), query, accept))
            except ApiError as err:
                self._send(err.code, err.status())

        def _send(self, status: int, body: dict[str, Any] | str) -> None:
            is_text = isinstance(body, str)
            data = (body if isinstance(body, str) else json.dumps(body)).encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/plain" if is_text else "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    # a short poll interval: shutdown() waits up to one interval, 0.5 s by default
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def write_kubeconfig(
    path: Path, server_url: str, token: str | None, context: str = "test", namespace: str = "default"
) -> Path:
    """A kubeconfig with one cluster (plain http), one token user and one context, made current."""
    user: dict[str, Any] = {"token": token} if token else {}
    config = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": f"{context}-cluster", "cluster": {"server": server_url}}],
        "users": [{"name": f"{context}-user", "user": user}],
        "contexts": [
            {
                "name": context,
                "context": {
                    "cluster": f"{context}-cluster",
                    "user": f"{context}-user",
                    "namespace": namespace,
                },
            }
        ],
        "current-context": context,
        "preferences": {},
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path
