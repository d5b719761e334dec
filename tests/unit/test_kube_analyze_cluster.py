"""Nodes, claims, autoscalers, jobs, quotas, events, ranking, partial permissions and speed."""

from __future__ import annotations

import time

import pytest

from tests.unit.test_kube_analyze_pods import (
    Obj,
    event,
    meta,
    only,
    pod,
    running_cs,
    snapshot,
    terminated,
    texts,
    waiting_cs,
)
from tests.unit.test_kube_analyze_workloads import crashing, deployment, endpoints, replicaset, service
from tools.findings import Finding, Severity
from tools.kube.analyze import analyze, containers_needing_logs, rank
from tools.kube.analyze.events import index_events
from tools.kube.analyze.messages import image_pull, scheduling
from tools.kube.analyze.quotas import quantity


def node(name: str, ready: str = "True", **pressure: str) -> Obj:
    conditions = [
        {
            "type": kind,
            "status": status,
            "reason": f"Kubelet{'Has' if status == 'True' else 'HasNo'}{kind}",
            "message": f"kubelet has {kind}",
        }
        for kind, status in pressure.items()
    ]
    conditions.append(
        {
            "type": "Ready",
            "status": ready,
            "reason": "KubeletReady" if ready == "True" else "KubeletNotReady",
            "message": "kubelet is posting ready status"
            if ready == "True"
            else "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady",
        }
    )
    return {"metadata": meta(name, ns=None), "spec": {}, "status": {"conditions": conditions}}


def test_not_ready_nodes_and_pressure() -> None:
    findings = analyze(
        snapshot(
            nodes=[node("w1"), node("w2", "False"), node("w3", DiskPressure="True", MemoryPressure="False")]
        )
    )
    down = only(findings, "node.not_ready")
    assert down.resource == "Node/w2"
    assert "NetworkPluginNotReady" in texts(down)
    assert down.severity == "high"
    disk = only(findings, "storage.disk_full")
    assert disk.resource == "Node/w3"
    assert disk.id == "cluster-node-disk-pressure"
    assert only(analyze(snapshot(nodes=[node("w1", "Unknown")])), "node.not_ready").severity == "critical"


def claim(name: str, storage_class: str | None = None, phase: str = "Pending") -> Obj:
    spec: Obj = {
        "accessModes": ["ReadWriteOnce"],
        "resources": {"requests": {"storage": "10Gi"}},
        "volumeMode": "Filesystem",
    }
    if storage_class is not None:
        spec["storageClassName"] = storage_class
    return {"metadata": meta(name), "spec": spec, "status": {"phase": phase}}


def test_pending_claims_without_a_usable_storage_class_and_the_pod_waiting_on_them() -> None:
    stuck = pod(
        "db-0",
        node=None,
        phase="Pending",
        owner=("StatefulSet", "db"),
        volumes=[{"name": "data", "persistentVolumeClaim": {"claimName": "data-db-0"}}],
    )
    events = [
        event(
            "PersistentVolumeClaim",
            "data-db-0",
            "FailedBinding",
            "no persistent volumes available for this claim and no storage class is set",
            type="Normal",
            count=20,
        ),
        event(
            "Pod",
            "db-0",
            "FailedScheduling",
            "0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
        ),
    ]
    findings = analyze(
        snapshot(
            persistentvolumeclaims=[
                claim("data-db-0"),
                claim("cache", "fast-ssd"),
                claim("ok", "standard", "Bound"),
            ],
            storageclasses=[{"metadata": meta("standard", ns=None), "provisioner": "ebs.csi.aws.com"}],
            pods=[stuck],
            events=events,
        )
    )
    by = {f.resource: f for f in findings}
    assert by["PersistentVolumeClaim/shop/data-db-0"].role == "cause"
    assert "no default StorageClass" in by["PersistentVolumeClaim/shop/data-db-0"].title
    assert "no storage class is set" in texts(by["PersistentVolumeClaim/shop/data-db-0"])
    assert 'StorageClass "fast-ssd" does not exist' in by["PersistentVolumeClaim/shop/cache"].title
    pending = by["Pod/shop/db-0"]
    assert (pending.category, pending.role) == ("scheduling.pvc_unbound", "symptom")
    assert "PersistentVolumeClaim/shop/data-db-0" in pending.notes[0]


def test_claim_waiting_for_its_first_consumer_or_with_a_default_class_is_fine() -> None:
    default = {
        "metadata": {
            **meta("standard", ns=None),
            "annotations": {"storageclass.kubernetes.io/is-default-class": "true"},
        }
    }
    events = [
        event(
            "PersistentVolumeClaim",
            "data",
            "WaitForFirstConsumer",
            "waiting for first consumer to be created before binding",
            type="Normal",
        )
    ]
    assert (
        analyze(snapshot(persistentvolumeclaims=[claim("data")], storageclasses=[default], events=events))
        == []
    )
    assert analyze(snapshot(persistentvolumeclaims=[claim("data")], forbidden=("storageclasses",))) == []


def hpa(name: str, target: str, condition: Obj | None = None) -> Obj:
    return {
        "metadata": meta(name),
        "spec": {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": target},
            "minReplicas": 2,
            "maxReplicas": 10,
            "metrics": [
                {
                    "type": "Resource",
                    "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 70}},
                }
            ],
        },
        "status": {
            "currentReplicas": 2,
            "desiredReplicas": 2,
            "conditions": [{"type": "AbleToScale", "status": "True", "reason": "SucceededGetScale"}]
            + ([condition] if condition else []),
        },
    }


def test_hpa_without_requests_names_the_containers() -> None:
    condition = {
        "type": "ScalingActive",
        "status": "False",
        "reason": "FailedGetResourceMetric",
        "message": "the HPA was unable to compute the replica count: failed to get cpu utilization: missing request for cpu in container api of Pod api-7d9f-a",
    }
    findings = analyze(
        snapshot(
            horizontalpodautoscalers=[hpa("api", "api", condition)],
            deployments=[deployment("api", 2, 2)],
            replicasets=[replicaset("api-7d9f", "api", 2, 2)],
            pods=[pod("api-7d9f-a"), pod("api-7d9f-b")],
        )
    )
    found = only(findings, "hpa.metrics_unavailable")
    assert "no resource requests" in found.title
    assert "container api has no cpu request" in texts(found)
    assert "resources.requests" in found.fix


def test_hpa_without_metrics_server_from_events() -> None:
    events = [
        event(
            "HorizontalPodAutoscaler",
            "web",
            "FailedGetResourceMetric",
            "failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)",
            count=40,
        )
    ]
    found = only(
        analyze(snapshot(horizontalpodautoscalers=[hpa("web", "web")], events=events)),
        "hpa.metrics_unavailable",
    )
    assert "metrics API is not available" in found.title
    assert "metrics-server" in found.fix
    assert analyze(snapshot(horizontalpodautoscalers=[hpa("web", "web")])) == []


def job(name: str, failed: bool, cronjob: str | None = None, start: str = "2025-03-04T09:00:00Z") -> Obj:
    condition = (
        {
            "type": "Failed",
            "status": "True",
            "reason": "BackoffLimitExceeded",
            "message": "Job has reached the specified backoff limit",
        }
        if failed
        else {"type": "Complete", "status": "True"}
    )
    m = meta(name, owner=("CronJob", cronjob) if cronjob else None)
    return {
        "metadata": m,
        "spec": {"backoffLimit": 1},
        "status": {"startTime": start, "failed": 2 if failed else 0, "conditions": [condition]},
    }


def test_failing_cronjob_links_its_last_job_and_the_job_its_pod() -> None:
    failed_pod = pod(
        "backup-29-x",
        [
            {
                "name": "backup",
                "image": "b",
                "ready": False,
                "restartCount": 0,
                "state": terminated("Error", 1),
            }
        ],
        owner=("Job", "backup-29"),
        phase="Failed",
    )
    cronjob = {
        "metadata": meta("backup"),
        "spec": {"schedule": "0 * * * *"},
        "status": {"lastScheduleTime": "2025-03-04T09:00:00Z", "lastSuccessfulTime": "2025-03-04T07:00:00Z"},
    }
    jobs = [
        job("backup-27", False, "backup", "2025-03-04T07:00:00Z"),
        job("backup-28", True, "backup", "2025-03-04T08:00:00Z"),
        job("backup-29", True, "backup", "2025-03-04T09:00:00Z"),
    ]
    findings = analyze(snapshot(cronjobs=[cronjob], jobs=jobs, pods=[failed_pod]))
    by = {f.resource: f for f in findings}
    assert by["Pod/shop/backup-29-x"].role == "cause"
    assert by["Job/shop/backup-29"].role == "symptom"
    assert by["Job/shop/backup-28"].role == "context"  # an earlier run whose pods are gone
    cron = by["CronJob/shop/backup"]
    assert cron.role == "symptom"
    assert "2 of 3 recent runs failed" in cron.title
    assert cron.category == "container.crash.app_error"
    assert cron.notes[0].startswith("symptom of Pod/shop/backup-29-x")


def test_cronjob_whose_last_run_succeeded_is_fine() -> None:
    jobs = [job("b-1", True, "b", "2025-03-04T08:00:00Z"), job("b-2", False, "b", "2025-03-04T09:00:00Z")]
    findings = analyze(
        snapshot(cronjobs=[{"metadata": meta("b"), "spec": {"schedule": "@hourly"}, "status": {}}], jobs=jobs)
    )
    assert [f.resource for f in findings] == ["Job/shop/b-1"]


def test_events_are_merged_by_reason_and_message_and_sorted() -> None:
    events = [
        event("Pod", "a", "BackOff", "Back-off restarting", count=3, last="2025-03-04T10:05:00Z"),
        event("Pod", "a", "Pulled", "Successfully pulled", type="Normal", last="2025-03-04T09:00:00Z"),
        event("Pod", "a", "BackOff", "Back-off restarting", count=2, last="2025-03-04T10:01:00Z"),
        {
            "metadata": {"name": "x", "namespace": "shop", "creationTimestamp": "2025-03-04T10:09:00Z"},
            "involvedObject": {"kind": "Pod", "namespace": "shop", "name": "a"},
            "reason": "Unhealthy",
            "message": "Readiness probe failed",
            "type": "Warning",
            "count": None,
            "series": {"count": 4, "lastObservedTime": "2025-03-04T10:10:00.000000Z"},
            "eventTime": "2025-03-04T09:50:00.000000Z",
            "firstTimestamp": None,
            "lastTimestamp": None,
        },
    ]
    groups = index_events(events)[("Pod", "shop", "a")]
    assert [(g.reason, g.count) for g in groups] == [("Pulled", 1), ("BackOff", 5), ("Unhealthy", 4)]
    assert groups[1].last == "2025-03-04T10:05:00Z"
    assert groups[2].first == "2025-03-04T09:50:00.000000Z"


def test_quantities_and_message_readings() -> None:
    assert quantity("500m") == quantity("0.5")
    assert quantity("2Gi") == 2 * 1024**3
    assert quantity("1e3") == 1000
    assert quantity("lots") is None
    assert (
        image_pull(
            "pull access denied for acme/x, repository does not exist or may require authorization"
        ).category
        == "image.pull.auth"
    )
    assert (
        image_pull('failed to resolve reference "r/x:1": r/x:1: not found').category == "image.pull.not_found"
    )
    assert (
        image_pull("dial tcp: lookup registry.internal on 10.96.0.10:53: no such host").category
        == "network.dns_resolution"
    )
    assert (
        scheduling(
            "0/5 nodes are available: 2 node(s) didn't match Pod's node affinity/selector, 3 Insufficient memory."
        ).category
        == "scheduling.insufficient_resources"
    )
    assert (
        scheduling(
            "0/3 nodes are available: 3 node(s) had taint {dedicated: gpu}, that the pod didn't tolerate."
        ).category
        == "scheduling.taint_toleration"
    )


def test_rank_puts_causes_first_then_severity_then_confidence() -> None:
    def f(role: str, severity: Severity, confidence: float, resource: str) -> Finding:
        return Finding(
            id="x",
            category="rollout.stuck",
            title=resource,
            severity=severity,
            confidence=confidence,
            engine="cluster",
            role=role,
            resource=resource,
        )  # type: ignore[arg-type]

    ranked = rank(
        [
            f("context", Severity.CRITICAL, 1, "a"),
            f("symptom", Severity.CRITICAL, 1, "b"),
            f("cause", Severity.MEDIUM, 1, "c"),
            f("cause", Severity.HIGH, 0.5, "d"),
            f("cause", Severity.HIGH, 0.9, "e"),
        ]
    )
    assert [x.resource for x in ranked] == ["e", "d", "c", "b", "a"]


def test_partial_permissions_still_find_what_status_shows() -> None:
    msg = "0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod."
    objects = {
        "pods": [pod("idx-1", node=None, phase="Pending", scheduled_message=msg), crashing("api-1")],
        "ingresses": [
            {
                "metadata": meta("i"),
                "spec": {
                    "tls": [{"secretName": "gone"}],
                    "defaultBackend": {"service": {"name": "nope", "port": {"number": 80}}},
                },
            }
        ],
    }
    findings = analyze(snapshot(forbidden=("events", "nodes", "secrets", "services"), **objects))
    assert {f.category for f in findings} == {
        "scheduling.insufficient_resources",
        "container.crash.app_error",
    }
    assert "Insufficient cpu" in texts(only(findings, "scheduling.insufficient_resources"))


def big_snapshot(pods: int = 2000, broken: int = 20) -> tuple[dict[str, list[Obj]], int]:
    objects: dict[str, list[Obj]] = {
        k: [] for k in ("deployments", "replicasets", "pods", "services", "endpoints", "events")
    }
    per = 10
    for d in range(pods // per):
        name = f"svc{d:03d}"
        objects["deployments"].append(deployment(name, per, per))
        objects["replicasets"].append(replicaset(f"{name}-7d9f", name, per, per))
        objects["services"].append(service(name, {"app": name}))
        objects["endpoints"].append(endpoints(name, per))
        for i in range(per):
            pod_name = f"{name}-7d9f-{i:02d}"
            index = d * per + i
            statuses = (
                [waiting_cs(name, "CrashLoopBackOff", "back-off", 5 + i, terminated())]
                if index % (pods // broken) == 0
                else [running_cs(name)]
            )
            objects["pods"].append(
                pod(pod_name, statuses, labels={"app": name}, owner=("ReplicaSet", f"{name}-7d9f"))
            )
            objects["events"] += [
                event("Pod", pod_name, r, f"{r} {pod_name}", type="Normal")
                for r in ("Scheduled", "Pulled", "Created", "Started")
            ]
            if index % (pods // broken) == 0:
                objects["events"].append(
                    event("Pod", pod_name, "BackOff", "Back-off restarting failed container", count=30)
                )
    return objects, broken


@pytest.mark.parametrize("size", [2000])
def test_two_thousand_pods_are_analysed_well_under_a_second(size: int) -> None:
    objects, broken = big_snapshot(size)
    snap = snapshot(**objects)
    start = time.perf_counter()
    findings = analyze(snap)
    elapsed = time.perf_counter() - start
    assert len([f for f in findings if f.id == "cluster-pod-crashloop"]) == broken
    assert len(containers_needing_logs(snap)) == broken
    assert elapsed < 0.5, elapsed


def test_quota_that_refused_a_pod_without_being_full_is_context_with_the_resource_named() -> None:
    refused = 'Error creating: pods "r-1" is forbidden: exceeded quota: compute, requested: limits.memory=2Gi, used: limits.memory=7Gi, limited: limits.memory=8Gi'
    quota = {
        "metadata": meta("compute"),
        "status": {
            "hard": {"limits.memory": "8Gi", "pods": "20"},
            "used": {"limits.memory": "7Gi", "pods": "3"},
        },
    }
    rs = replicaset("r", "reports", 1, 0)
    findings = analyze(
        snapshot(
            replicasets=[rs],
            resourcequotas=[quota],
            events=[event("ReplicaSet", "r", "FailedCreate", refused)],
        )
    )
    context = next(f for f in findings if f.role == "context")
    assert context.title == "ResourceQuota shop/compute refuses new pods"
    assert texts(context) == "limits.memory: used 7Gi of 8Gi"
    assert "ResourceQuota shop/compute: limits.memory: used 7Gi of 8Gi" in findings[0].notes
    quiet = {"metadata": meta("compute"), "status": {"hard": {"pods": "20"}, "used": {"pods": "3"}}}
    assert analyze(snapshot(resourcequotas=[quiet])) == []


def test_the_two_thousand_pod_fixture_of_the_benchmark() -> None:
    fixture = pytest.importorskip("evals.perf.cluster_fixture")
    from tests.support.cluster_scenarios import plural

    objects, _ = fixture.big_namespace(pods=2000, broken=20)
    kinds: dict[str, list[Obj]] = {}
    for obj in objects:
        kinds.setdefault(plural(obj), []).append(obj)
    snap = snapshot(**kinds)
    start = time.perf_counter()
    findings = analyze(snap)
    elapsed = time.perf_counter() - start
    assert len([f for f in findings if f.role == "cause"]) == 20
    assert len(containers_needing_logs(snap)) == 20
    assert elapsed < 0.5, elapsed
