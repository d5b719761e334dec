"""The fake Kubernetes API server, driven by the official `kubernetes` client through a kubeconfig."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from kubernetes import client, config
from kubernetes.client.rest import ApiException

from evals.perf.cluster_fixture import big_namespace
from tests.servers.kube_api import KubeApiServer, kube_api_server, write_kubeconfig
from tests.support.cluster_scenarios import check_findings, load_scenarios, snapshot_from_scenario
from tools.kube.analyze import analyze, containers_needing_logs
from tools.kube.config import connect
from tools.kube.log_causes import attach_log_causes
from tools.kube.read import read_cluster
from tools.kube.snapshot import LogKey

PARTIAL = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1"
USER = "system:serviceaccount:ops:shipmate"


def _pod(
    name: str, namespace: str, labels: dict[str, str], containers: tuple[str, ...] = ("app",)
) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": namespace, "labels": labels, "uid": f"uid-{name}"},
        "spec": {
            "containers": [{"name": c, "image": "nginx:1.27"} for c in containers],
            "nodeName": "worker-1",
        },
        "status": {"phase": "Running"},
    }


OBJECTS: list[dict[str, Any]] = [
    *[_pod(f"api-{i}", "shop", {"app": "api", "tier": "backend"}) for i in range(5)],
    _pod("web-0", "shop", {"app": "web", "tier": "frontend"}),
    _pod("cache-0", "shop", {"app": "cache"}),
    _pod("sidecar-0", "shop", {"app": "api2"}, containers=("app", "proxy")),
    _pod("other-0", "ops", {"app": "api", "tier": "backend"}),
    {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "payments-db", "namespace": "shop"},
        "type": "Opaque",
        "data": {"password": "aHVudGVyMg=="},
    },
    {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "settings", "namespace": "shop"},
        "data": {"a": "b"},
    },
    {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "worker-1"}, "status": {}},
    {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "api", "namespace": "shop", "labels": {"app": "api"}},
        "spec": {"selector": {"matchLabels": {"app": "api"}}, "template": {"spec": {"containers": []}}},
    },
]
LOGS = {"shop/api-0/app": {"previous": "line 1\nline 2\nKeyError: 'DATABASE_URL'\n", "current": "starting\n"}}


def _client(tmp_path: Path, api: KubeApiServer, token: str | None = None) -> client.ApiClient:
    path = write_kubeconfig(
        tmp_path / "kubeconfig", api.base_url, api.token if token is None else token, namespace="shop"
    )
    return config.new_client_from_config(config_file=str(path), context="test", persist_config=False)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[KubeApiServer, client.CoreV1Api]]:
    with kube_api_server(OBJECTS, LOGS) as api:
        yield api, client.CoreV1Api(_client(tmp_path, api))


def test_list_pods_with_label_selector_in_pages(served: tuple[KubeApiServer, client.CoreV1Api]) -> None:
    api, core = served
    names, token, pages = [], None, 0
    while True:
        page = core.list_namespaced_pod(
            "shop", label_selector="app in (api,web),tier!=frontend", limit=2, _continue=token
        )
        names += [p.metadata.name for p in page.items]
        pages += 1
        token = page.metadata._continue
        if not token:
            break
    assert names == [f"api-{i}" for i in range(5)]
    assert pages == 3
    calls = api.calls("/api/v1/namespaces/shop/pods")
    assert len(calls) == 3
    assert all(
        c.query["limit"] == "2" and c.query["labelSelector"] == "app in (api,web),tier!=frontend"
        for c in calls
    )
    assert "continue" not in calls[0].query
    assert calls[1].query["continue"]


def test_selectors_and_scopes(served: tuple[KubeApiServer, client.CoreV1Api]) -> None:
    _, core = served

    def names(items: Any) -> list[str]:
        return sorted(p.metadata.name for p in items.items)

    assert names(core.list_namespaced_pod("shop", label_selector="!tier")) == ["cache-0", "sidecar-0"]
    assert names(core.list_namespaced_pod("shop", label_selector="tier")) == [
        *[f"api-{i}" for i in range(5)],
        "web-0",
    ]
    assert names(core.list_namespaced_pod("shop", label_selector="app notin (api,api2)")) == [
        "cache-0",
        "web-0",
    ]
    assert names(
        core.list_pod_for_all_namespaces(label_selector="app=api", field_selector="metadata.namespace=ops")
    ) == ["other-0"]
    assert [n.metadata.name for n in core.list_node().items] == ["worker-1"]
    assert sorted(n.metadata.name for n in core.list_namespace().items) == ["ops", "shop"]
    deployments = client.AppsV1Api(core.api_client).list_namespaced_deployment("shop")
    assert [d.metadata.name for d in deployments.items] == ["api"]
    assert core.read_namespaced_pod("web-0", "shop").metadata.labels["tier"] == "frontend"
    with pytest.raises(ApiException) as missing:
        core.read_namespaced_pod("nope", "shop")
    assert missing.value.status == 404
    assert json.loads(missing.value.body)["message"] == 'pods "nope" not found'
    with pytest.raises(ApiException) as bad:
        core.list_namespaced_pod("shop", label_selector="app in (api")
    assert bad.value.status == 400


def test_version_and_raw_list_shape(served: tuple[KubeApiServer, client.CoreV1Api]) -> None:
    api, core = served
    assert client.VersionApi(core.api_client).get_code().git_version == "v1.30.2"
    raw = core.list_namespaced_pod("shop", limit=3, _preload_content=False)
    body = json.loads(raw.data)
    assert body["kind"] == "PodList"
    assert body["apiVersion"] == "v1"
    assert body["metadata"]["remainingItemCount"] == 5
    assert body["metadata"]["continue"]
    assert "kind" not in body["items"][0]
    assert api.calls("/version")[0].method == "GET"


def test_previous_and_current_logs(served: tuple[KubeApiServer, client.CoreV1Api]) -> None:
    _, core = served
    previous = core.read_namespaced_pod_log("api-0", "shop", container="app", previous=True)
    assert previous.endswith("KeyError: 'DATABASE_URL'\n")
    assert core.read_namespaced_pod_log("api-0", "shop", container="app", previous=True, tail_lines=1) == (
        "KeyError: 'DATABASE_URL'\n"
    )
    assert (
        core.read_namespaced_pod_log("api-0", "shop", container="app", previous=True, limit_bytes=6)
        == "line 1"
    )
    assert core.read_namespaced_pod_log("api-0", "shop") == "starting\n"
    with pytest.raises(ApiException) as never_restarted:
        core.read_namespaced_pod_log("api-1", "shop", container="app", previous=True)
    assert never_restarted.value.status == 400
    assert json.loads(never_restarted.value.body)["message"] == (
        'previous terminated container "app" in pod "api-1" not found'
    )
    with pytest.raises(ApiException) as which:
        core.read_namespaced_pod_log("sidecar-0", "shop")
    assert "choose one of: [app proxy]" in json.loads(which.value.body)["message"]


def test_forbidden_is_a_kubernetes_403(tmp_path: Path) -> None:
    with kube_api_server(OBJECTS, LOGS, forbidden=["pods@shop", "nodes", "pods/log"]) as api:
        core = client.CoreV1Api(_client(tmp_path, api))
        with pytest.raises(ApiException) as denied:
            core.list_namespaced_pod("shop")
        status = json.loads(denied.value.body)
        assert denied.value.status == 403
        assert status == {
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": f'pods is forbidden: User "{USER}" cannot list resource "pods" in API group "" '
            'in the namespace "shop"',
            "reason": "Forbidden",
            "code": 403,
            "details": {"kind": "pods"},
        }
        assert [p.metadata.name for p in core.list_namespaced_pod("ops").items] == ["other-0"]
        with pytest.raises(ApiException) as cluster:
            core.list_node()
        assert json.loads(cluster.value.body)["message"] == (
            f'nodes is forbidden: User "{USER}" cannot list resource "nodes" in API group "" at the cluster scope'
        )
        with pytest.raises(ApiException) as everywhere:
            core.list_pod_for_all_namespaces()
        assert everywhere.value.status == 403
        with pytest.raises(ApiException) as logs:
            core.read_namespaced_pod_log("other-0", "ops", container="app")
        assert 'cannot get resource "pods/log"' in json.loads(logs.value.body)["message"]
        apps = client.AppsV1Api(core.api_client)
        assert [d.metadata.name for d in apps.list_deployment_for_all_namespaces().items] == ["api"]


def test_wrong_token_is_401(tmp_path: Path) -> None:
    with kube_api_server(OBJECTS, LOGS, token="right") as api:
        core = client.CoreV1Api(_client(tmp_path, api, token="wrong"))
        with pytest.raises(ApiException) as refused:
            core.list_namespaced_pod("shop")
        assert refused.value.status == 401
        assert json.loads(refused.value.body)["reason"] == "Unauthorized"
        assert len(api.calls()) == 1


def test_secrets_as_partial_object_metadata(served: tuple[KubeApiServer, client.CoreV1Api]) -> None:
    api, core = served
    for kind in ("secrets", "configmaps"):
        request = core.api_client.param_serialize(
            "GET",
            f"/api/v1/namespaces/shop/{kind}",
            query_params=[("limit", 500)],
            header_params={"Accept": PARTIAL},
            auth_settings=["BearerToken"],
        )
        response = core.api_client.call_api(*request)
        response.read()
        body = json.loads(response.data)
        assert body["kind"] == "PartialObjectMetadataList"
        assert body["apiVersion"] == "meta.k8s.io/v1"
        assert [set(item) for item in body["items"]] == [{"kind", "apiVersion", "metadata"}]
        assert body["items"][0]["kind"] == "PartialObjectMetadata"
    assert api.calls("/secrets")[0].accept == PARTIAL
    # even asked for full objects, the fake never sends a Secret's data
    full = json.loads(core.list_namespaced_secret("shop", _preload_content=False).data)
    assert full["items"][0]["metadata"]["name"] == "payments-db"
    assert "data" not in full["items"][0]
    assert "aHVudGVyMg" not in json.dumps(full)


def _by_name(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(items, key=lambda o: (o["metadata"].get("namespace", ""), o["metadata"]["name"]))


@pytest.mark.parametrize("scenario", load_scenarios(), ids=lambda s: s.name)
def test_reader_through_the_server_sees_what_the_scenario_snapshot_holds(
    scenario: Any, tmp_path: Path
) -> None:
    expected = snapshot_from_scenario(scenario)
    with kube_api_server(scenario.objects, scenario.logs, forbidden=scenario.forbidden) as api:
        target = connect(kubeconfig=write_kubeconfig(tmp_path / "config", api.base_url, api.token))
        read = read_cluster(target, scenario.namespaces(), scenario.label_selector or None)
    assert read.forbidden == expected.forbidden
    assert set(read.objects) == set(expected.objects)
    for kind, items in expected.objects.items():
        assert _by_name(read.objects[kind]) == _by_name(items), kind


def test_scenarios_are_well_formed() -> None:
    scenarios = load_scenarios()
    assert len({s.name for s in scenarios}) == len(scenarios)
    for s in scenarios:
        assert s.expected or s.no_findings, s.name
        assert check_findings(s, []) == ([] if s.no_findings else check_findings(s, [])), s.name
        if not s.no_findings:
            assert check_findings(s, []), s.name


def test_big_namespace_is_read_in_pages_of_500(tmp_path: Path) -> None:
    objects, logs = big_namespace(pods=2000, broken=20)
    with kube_api_server(objects, logs) as api:
        target = connect(kubeconfig=write_kubeconfig(tmp_path / "config", api.base_url, api.token))
        snapshot = read_cluster(target, ["shop"])
        broken = [LogKey("shop", key.split("/")[1], key.split("/")[2], previous=True) for key in logs]
        previous = client.CoreV1Api(target.client).read_namespaced_pod_log(
            broken[0].pod, "shop", container=broken[0].container, previous=True
        )
        pod_calls = [r for r in api.calls() if r.path == "/api/v1/namespaces/shop/pods"]
    assert len(snapshot.items("pods")) == 2000
    assert len(pod_calls) == 4
    assert len(logs) == 20
    waiting = [p for p in snapshot.items("pods") if "waiting" in p["status"]["containerStatuses"][0]["state"]]
    assert len(waiting) == 20
    assert previous == logs[f"shop/{broken[0].pod}/{broken[0].container}"]["previous"]


@pytest.mark.parametrize("scenario", load_scenarios(), ids=lambda s: s.name)
def test_scenario_read_through_the_server_is_diagnosed_as_expected(scenario: Any, tmp_path: Path) -> None:
    with kube_api_server(scenario.objects, scenario.logs, forbidden=scenario.forbidden) as api:
        target = connect(kubeconfig=write_kubeconfig(tmp_path / "config", api.base_url, api.token))
        snapshot = read_cluster(
            target, scenario.namespaces(), scenario.label_selector or None, needs_logs=containers_needing_logs
        )
    findings = attach_log_causes(analyze(snapshot), snapshot)
    assert check_findings(scenario, findings, with_logs=True) == []
