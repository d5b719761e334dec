"""Pod analyzers on small objects shaped like the API's list items; builders shared by the other tests."""

from __future__ import annotations

from typing import Any

from tools.findings import Finding
from tools.kube.analyze import analyze, containers_needing_logs
from tools.kube.snapshot import CLUSTER_KINDS, NAMESPACED_KINDS, ClusterSnapshot, LogKey

Obj = dict[str, Any]
T0 = "2025-03-04T10:00:00Z"


def snapshot(forbidden: tuple[str, ...] = (), **objects: list[Obj]) -> ClusterSnapshot:
    """Every kind readable (empty unless given), except the forbidden ones."""
    kinds = {k: [] for k in (*NAMESPACED_KINDS, *CLUSTER_KINDS) if k not in forbidden}
    kinds.update(objects)
    return ClusterSnapshot(
        context="test", namespaces=["shop"], objects=kinds, forbidden={k: f"list {k}" for k in forbidden}
    )


def meta(
    name: str,
    ns: str | None = "shop",
    labels: dict[str, str] | None = None,
    owner: tuple[str, str] | None = None,
) -> Obj:
    result: Obj = {"name": name, "uid": f"uid-{name}", "creationTimestamp": "2025-03-04T09:00:00Z"}
    if ns:
        result["namespace"] = ns
    if labels:
        result["labels"] = labels
    if owner:
        result["ownerReferences"] = [
            {"apiVersion": "apps/v1", "kind": owner[0], "name": owner[1], "uid": "u", "controller": True}
        ]
    return result


def terminated(reason: str = "Error", exit_code: int = 1, message: str | None = None) -> Obj:
    t: Obj = {
        "reason": reason,
        "exitCode": exit_code,
        "startedAt": "2025-03-04T09:57:00Z",
        "finishedAt": "2025-03-04T09:58:00Z",
    }
    if message:
        t["message"] = message
    return {"terminated": t}


def running_cs(name: str = "app", restarts: int = 0, ready: bool = True, last: Obj | None = None) -> Obj:
    return {
        "name": name,
        "image": f"registry.example.com/{name}:1.0",
        "ready": ready,
        "started": True,
        "restartCount": restarts,
        "state": {"running": {"startedAt": "2025-03-04T09:00:00Z"}},
        "lastState": last or {},
    }


def waiting_cs(
    name: str,
    reason: str,
    message: str = "",
    restarts: int = 0,
    last: Obj | None = None,
    image: str | None = None,
) -> Obj:
    return {
        "name": name,
        "image": image or f"registry.example.com/{name}:1.0",
        "ready": False,
        "started": False,
        "restartCount": restarts,
        "state": {"waiting": {"reason": reason, "message": message}},
        "lastState": last or {},
    }


def pod(
    name: str,
    statuses: list[Obj] | None = None,
    *,
    ns: str = "shop",
    labels: dict[str, str] | None = None,
    owner: tuple[str, str] | None = ("ReplicaSet", "api-7d9f"),
    phase: str = "Running",
    node: str | None = "worker-1",
    ready: bool | None = None,
    volumes: list[Obj] | None = None,
    containers: list[Obj] | None = None,
    scheduled_message: str = "",
    init: list[Obj] | None = None,
) -> Obj:
    statuses = statuses if statuses is not None else [running_cs()]
    is_ready = all(s.get("ready") for s in statuses) if ready is None else ready
    conditions = [
        {
            "type": "Ready",
            "status": "True" if is_ready else "False",
            "reason": "" if is_ready else "ContainersNotReady",
        }
    ]
    if node:
        conditions.append({"type": "PodScheduled", "status": "True"})
    else:
        conditions.append(
            {
                "type": "PodScheduled",
                "status": "False",
                "reason": "Unschedulable",
                "message": scheduled_message,
            }
        )
    spec: Obj = {
        "containers": containers
        or [{"name": s["name"], "image": s["image"]} for s in statuses]
        or [{"name": "app", "image": "x"}]
    }
    if node:
        spec["nodeName"] = node
    if volumes:
        spec["volumes"] = volumes
    status: Obj = {"phase": phase, "conditions": conditions, "startTime": "2025-03-04T09:00:00Z"}
    if node:
        status["containerStatuses"] = statuses
    if init:
        status["initContainerStatuses"] = init
    return {"metadata": meta(name, ns, labels or {"app": "api"}, owner), "spec": spec, "status": status}


def event(
    kind: str,
    name: str,
    reason: str,
    message: str,
    *,
    ns: str | None = "shop",
    type: str = "Warning",
    count: int = 1,
    last: str = T0,
    field_path: str = "",
) -> Obj:
    involved: Obj = {"kind": kind, "name": name, "uid": f"uid-{name}"}
    if ns:
        involved["namespace"] = ns
    if field_path:
        involved["fieldPath"] = field_path
    return {
        "metadata": {
            "name": f"{name}.{abs(hash((reason, message, last))) % 10**8:x}",
            "namespace": ns or "default",
        },
        "involvedObject": involved,
        "reason": reason,
        "message": message,
        "type": type,
        "count": count,
        "firstTimestamp": "2025-03-04T09:00:00Z",
        "lastTimestamp": last,
        "source": {"component": "kubelet"},
    }


def only(findings: list[Finding], category: str) -> Finding:
    hits = [f for f in findings if f.category == category]
    assert len(hits) == 1, [(f.category, f.resource, f.role) for f in findings]
    return hits[0]


def texts(finding: Finding) -> str:
    return "\n".join(e.text for e in finding.evidence)


def test_crash_loop_is_an_application_error_with_its_exit_code() -> None:
    crashing = pod(
        "api-7d9f-a",
        [
            waiting_cs(
                "api", "CrashLoopBackOff", "back-off 5m0s restarting failed container=api", 7, terminated()
            )
        ],
    )
    events = [
        event(
            "Pod",
            "api-7d9f-a",
            "BackOff",
            "Back-off restarting failed container api in pod api-7d9f-a_shop(x)",
            count=31,
        )
    ]
    findings = analyze(snapshot(pods=[crashing, pod("api-7d9f-b")], events=events))
    found = only(findings, "container.crash.app_error")
    assert found.resource == "Pod/shop/api-7d9f-a"
    assert found.role == "cause"
    assert found.engine == "cluster"
    assert found.id == "cluster-pod-crashloop"
    assert "exit code 1" in found.title
    assert "7 restarts" in found.title
    assert "CrashLoopBackOff" in texts(found)
    assert "x31" in texts(found)
    assert found.evidence[0].source == "Pod/shop/api-7d9f-a status"
    assert found.evidence[-1].source == "Pod/shop/api-7d9f-a events"
    assert found.occurrence is not None
    assert found.occurrence.count == 31


def test_image_pull_not_found_and_unauthorized_are_told_apart() -> None:
    missing = pod(
        "web-1",
        [
            waiting_cs(
                "web",
                "ErrImagePull",
                'rpc error: code = NotFound desc = failed to pull and unpack image "ghcr.io/acme/web:2.4.0": failed to resolve reference "ghcr.io/acme/web:2.4.0": ghcr.io/acme/web:2.4.0: not found',
                image="ghcr.io/acme/web:2.4.0",
            )
        ],
    )
    private = pod(
        "billing-1",
        [waiting_cs("billing", "ImagePullBackOff", 'Back-off pulling image "ghcr.io/acme/billing:1.2"')],
    )
    events = [
        event(
            "Pod",
            "billing-1",
            "Failed",
            'Failed to pull image "ghcr.io/acme/billing:1.2": failed to authorize: failed to fetch anonymous token: unexpected status: 401 Unauthorized',
            field_path="spec.containers{billing}",
        )
    ]
    findings = analyze(snapshot(pods=[missing, private], events=events))
    assert only(findings, "image.pull.not_found").resource == "Pod/shop/web-1"
    auth = only(findings, "image.pull.auth")
    assert auth.resource == "Pod/shop/billing-1"
    assert "401 Unauthorized" in texts(auth)
    assert "imagePullSecrets" in auth.fix


def test_missing_secret_is_checked_against_the_secrets_listed() -> None:
    stuck = pod("pay-1", [waiting_cs("pay", "CreateContainerConfigError", 'secret "payments-db" not found')])
    found = only(
        analyze(snapshot(pods=[stuck], secrets=[{"metadata": meta("other")}])),
        "container.config.missing_secret",
    )
    assert "no Secret named payments-db exists in namespace shop" in texts(found)
    key = pod(
        "pay-2",
        [
            waiting_cs(
                "pay",
                "CreateContainerConfigError",
                "couldn't find key DB_PASSWORD in Secret shop/payments-db",
            )
        ],
    )
    found = only(
        analyze(snapshot(pods=[key], secrets=[{"metadata": meta("payments-db")}])),
        "container.config.missing_secret",
    )
    assert "key DB_PASSWORD" in found.title
    assert "a key it references is missing" in texts(found)


def test_missing_configmap_from_a_volume_mount() -> None:
    stuck = pod("worker-1", [waiting_cs("worker", "ContainerCreating")], phase="Pending")
    events = [
        event(
            "Pod",
            "worker-1",
            "FailedMount",
            'MountVolume.SetUp failed for volume "settings" : configmap "worker-settings" not found',
            count=9,
        )
    ]
    found = only(analyze(snapshot(pods=[stuck], events=events)), "container.config.missing_configmap")
    assert "worker-settings" in found.title
    assert found.id == "cluster-pod-mount-failed"


def test_other_mount_failures_are_storage() -> None:
    stuck = pod("db-0", [waiting_cs("db", "ContainerCreating")], phase="Pending")
    events = [
        event(
            "Pod",
            "db-0",
            "FailedAttachVolume",
            'Multi-Attach error for volume "pvc-1" Volume is already exclusively attached to one node',
        )
    ]
    assert (
        only(analyze(snapshot(pods=[stuck], events=events)), "storage.mount_failed").resource
        == "Pod/shop/db-0"
    )


def test_oom_killed_crash_loop_and_recovered_oom() -> None:
    looping = pod(
        "report-1",
        [waiting_cs("report", "CrashLoopBackOff", "back-off", 4, terminated("OOMKilled", 137))],
        containers=[{"name": "report", "image": "r", "resources": {"limits": {"memory": "256Mi"}}}],
    )
    found = only(analyze(snapshot(pods=[looping])), "container.oom")
    assert found.severity == "high"
    assert "256Mi" in found.title
    assert "OOMKilled" in texts(found)
    recovered = pod("report-2", [running_cs("report", restarts=1, last=terminated("OOMKilled", 137))])
    assert only(analyze(snapshot(pods=[recovered])), "container.oom").severity == "medium"


def test_start_errors_name_the_missing_command_or_the_architecture() -> None:
    nocmd = pod(
        "a-1",
        [
            waiting_cs(
                "a",
                "RunContainerError",
                'failed to create containerd task: OCI runtime create failed: runc create failed: unable to start container process: exec: "/app/serve": stat /app/serve: no such file or directory: unknown',
            )
        ],
    )
    arch = pod(
        "b-1",
        [
            waiting_cs(
                "b",
                "CrashLoopBackOff",
                "back-off",
                3,
                terminated("Error", 1, "exec /usr/local/bin/b: exec format error"),
            )
        ],
    )
    arch["status"]["containerStatuses"][0]["lastState"]["terminated"]["reason"] = "StartError"
    findings = analyze(snapshot(pods=[nocmd, arch]))
    assert only(findings, "container.command_not_found").resource == "Pod/shop/a-1"
    assert only(findings, "image.arch_mismatch").resource == "Pod/shop/b-1"


def test_liveness_probe_restarts_and_readiness_probe_failures() -> None:
    live = pod("api-1", [waiting_cs("api", "CrashLoopBackOff", "back-off", 5, terminated("Error", 137))])
    ready = pod("api-2", [running_cs("api", ready=False)])
    events = [
        event(
            "Pod",
            "api-1",
            "Unhealthy",
            "Liveness probe failed: HTTP probe failed with statuscode: 500",
            count=15,
            field_path="spec.containers{api}",
        ),
        event(
            "Pod",
            "api-1",
            "Killing",
            "Container api failed liveness probe, will be restarted",
            type="Normal",
            count=5,
            field_path="spec.containers{api}",
        ),
        event(
            "Pod",
            "api-2",
            "Unhealthy",
            'Readiness probe failed: Get "http://10.244.1.7:8080/ready": dial tcp 10.244.1.7:8080: connect: connection refused',
            count=40,
        ),
    ]
    findings = analyze(snapshot(pods=[live, ready], events=events))
    assert only(findings, "probe.liveness_failed").resource == "Pod/shop/api-1"
    readiness = only(findings, "probe.readiness_failed")
    assert readiness.resource == "Pod/shop/api-2"
    assert "connection refused" in texts(readiness)
    assert not [f for f in findings if f.category == "container.crash.app_error"]


def test_pending_pods_take_the_scheduling_reason_that_rules_out_most_nodes() -> None:
    msg = "0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 Insufficient cpu. preemption: 0/4 nodes are available: 1 Preemption is not helpful for scheduling, 3 No preemption victims found for incoming pod."
    cpu = pod("idx-1", node=None, phase="Pending", scheduled_message=msg)
    taint = pod("trainer-1", node=None, phase="Pending")
    sel = pod(
        "gpu-1",
        node=None,
        phase="Pending",
        scheduled_message="0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector.",
    )
    events = [
        event(
            "Pod",
            "trainer-1",
            "FailedScheduling",
            "0/3 nodes are available: 3 node(s) had untolerated taint {dedicated: gpu}. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
            count=12,
        )
    ]
    findings = analyze(snapshot(pods=[cpu, taint, sel], events=events))
    assert only(findings, "scheduling.insufficient_resources").resource == "Pod/shop/idx-1"
    taint_finding = only(findings, "scheduling.taint_toleration")
    assert taint_finding.resource == "Pod/shop/trainer-1"
    assert "dedicated: gpu" in texts(taint_finding)
    assert only(findings, "scheduling.affinity_selector").resource == "Pod/shop/gpu-1"


def test_evicted_pods_are_context() -> None:
    evicted = pod("api-old", [], phase="Failed")
    evicted["status"].update(
        reason="Evicted",
        message="The node was low on resource: ephemeral-storage. Threshold quantity: 10Gi, available: 8Gi.",
    )
    found = only(analyze(snapshot(pods=[evicted])), "storage.disk_full")
    assert found.role == "context"
    assert found.id == "cluster-pod-evicted"


def test_only_the_newest_failed_attempt_of_a_job_is_reported() -> None:
    def attempt(name: str, started: str) -> Obj:
        p = pod(
            name,
            [
                {
                    "name": "backup",
                    "image": "b",
                    "ready": False,
                    "restartCount": 0,
                    "state": terminated("Error", 2),
                }
            ],
            owner=("Job", "backup-1"),
            phase="Failed",
        )
        p["status"]["startTime"] = started
        return p

    findings = analyze(
        snapshot(
            pods=[
                attempt("backup-1-a", "2025-03-04T09:00:00Z"),
                attempt("backup-1-b", "2025-03-04T09:05:00Z"),
            ]
        )
    )
    assert [f.resource for f in findings] == ["Pod/shop/backup-1-b"]
    assert "exit code 2" in findings[0].title


def test_healthy_pods_and_a_few_old_restarts_give_no_cause() -> None:
    pods = [
        pod("api-1"),
        pod("api-2", [running_cs(restarts=1, last=terminated("Error", 1))]),
        pod("done", [], phase="Succeeded"),
    ]
    assert analyze(snapshot(pods=pods)) == []
    many = pod("api-3", [running_cs(restarts=6, last=terminated("Error", 1))])
    assert [(f.role, f.id) for f in analyze(snapshot(pods=[many]))] == [("context", "cluster-pod-restarts")]


def test_init_container_failures_are_reported() -> None:
    p = pod(
        "api-1",
        [waiting_cs("api", "PodInitializing")],
        phase="Pending",
        init=[waiting_cs("migrate", "CrashLoopBackOff", "back-off", 3, terminated("Error", 1))],
    )
    found = only(analyze(snapshot(pods=[p])), "container.crash.app_error")
    assert "init container migrate" in found.title


def test_containers_needing_logs_puts_most_restarts_first() -> None:
    pods = [
        pod("a", [waiting_cs("api", "CrashLoopBackOff", "", 3, terminated())]),
        pod("b", [waiting_cs("api", "CrashLoopBackOff", "", 9, terminated("OOMKilled", 137))]),
        pod("c", [running_cs("api", ready=False)]),
        pod("d", [waiting_cs("api", "ImagePullBackOff")]),
        pod(
            "e",
            [
                {
                    "name": "job",
                    "image": "j",
                    "ready": False,
                    "restartCount": 0,
                    "state": terminated("Error", 1),
                }
            ],
            phase="Failed",
        ),
        pod("f"),
    ]
    keys = containers_needing_logs(snapshot(pods=pods))
    assert keys == [
        LogKey("shop", "b", "api", previous=True),
        LogKey("shop", "a", "api", previous=True),
        LogKey("shop", "e", "job", previous=False),
        LogKey("shop", "c", "api", previous=False),
    ]
    assert containers_needing_logs(snapshot(pods=pods), limit=1) == keys[:1]
