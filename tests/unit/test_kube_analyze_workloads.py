"""Workloads, controllers, Services and Ingresses: findings and their links to pod causes."""

from __future__ import annotations

from tests.unit.test_kube_analyze_pods import (
    Obj,
    event,
    meta,
    only,
    pod,
    snapshot,
    terminated,
    texts,
    waiting_cs,
)
from tools.kube.analyze import analyze


def deployment(name: str, replicas: int, available: int, conditions: list[Obj] | None = None) -> Obj:
    status: Obj = {
        "replicas": replicas,
        "readyReplicas": available,
        "availableReplicas": available,
        "updatedReplicas": replicas,
        "observedGeneration": 2,
    }
    if available < replicas:
        status["unavailableReplicas"] = replicas - available
    status["conditions"] = conditions or [
        {
            "type": "Available",
            "status": "True" if available >= replicas else "False",
            "reason": "MinimumReplicasAvailable" if available >= replicas else "MinimumReplicasUnavailable",
            "message": "Deployment has minimum availability."
            if available >= replicas
            else "Deployment does not have minimum availability.",
        },
        {
            "type": "Progressing",
            "status": "True",
            "reason": "NewReplicaSetAvailable",
            "message": f'ReplicaSet "{name}-7d9f" has successfully progressed.',
        },
    ]
    return {
        "metadata": meta(name, labels={"app": name}),
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {"containers": [{"name": name, "image": f"{name}:1"}]},
            },
        },
        "status": status,
    }


def replicaset(
    name: str, deployment_name: str, replicas: int, ready: int, conditions: list[Obj] | None = None
) -> Obj:
    return {
        "metadata": meta(name, labels={"app": deployment_name}, owner=("Deployment", deployment_name)),
        "spec": {"replicas": replicas},
        "status": {
            "replicas": ready,
            "readyReplicas": ready,
            "availableReplicas": ready,
            "conditions": conditions or [],
        },
    }


def service(name: str, selector: dict[str, str]) -> Obj:
    return {
        "metadata": meta(name),
        "spec": {
            "type": "ClusterIP",
            "selector": selector,
            "ports": [{"name": "http", "port": 80, "targetPort": 8080}],
        },
    }


def endpoints(name: str, ready: int, not_ready: int = 0) -> Obj:
    subset: Obj = {"ports": [{"name": "http", "port": 8080}]}
    if ready:
        subset["addresses"] = [{"ip": f"10.0.0.{i}"} for i in range(ready)]
    if not_ready:
        subset["notReadyAddresses"] = [{"ip": f"10.0.1.{i}"} for i in range(not_ready)]
    return {"metadata": meta(name), "subsets": [subset] if ready or not_ready else []}


def ingress(
    name: str,
    backend: str,
    port: object = 80,
    tls_secret: str | None = None,
    annotations: dict[str, str] | None = None,
) -> Obj:
    m = meta(name)
    if annotations:
        m["annotations"] = annotations
    spec: Obj = {
        "ingressClassName": "nginx",
        "rules": [
            {
                "host": "shop.example.com",
                "http": {
                    "paths": [
                        {
                            "path": "/",
                            "pathType": "Prefix",
                            "backend": {
                                "service": {
                                    "name": backend,
                                    "port": {"number": port} if isinstance(port, int) else {"name": port},
                                }
                            },
                        }
                    ]
                },
            }
        ],
    }
    if tls_secret:
        spec["tls"] = [{"hosts": ["shop.example.com"], "secretName": tls_secret}]
    return {"metadata": m, "spec": spec}


def crashing(name: str, rs: str = "api-7d9f") -> Obj:
    return pod(
        name,
        [waiting_cs("api", "CrashLoopBackOff", "back-off 5m0s", 6, terminated())],
        owner=("ReplicaSet", rs),
    )


def test_deployment_with_crashing_pods_is_a_symptom_naming_them() -> None:
    objects = {
        "deployments": [deployment("api", 2, 0)],
        "replicasets": [replicaset("api-7d9f", "api", 2, 0)],
        "pods": [crashing("api-7d9f-a"), crashing("api-7d9f-b")],
    }
    findings = analyze(snapshot(**objects))
    assert [(f.role, f.resource) for f in findings] == [
        ("cause", "Pod/shop/api-7d9f-a"),
        ("cause", "Pod/shop/api-7d9f-b"),
        ("symptom", "Deployment/shop/api"),
    ]
    symptom = findings[-1]
    assert symptom.category == "rollout.stuck"
    assert symptom.severity == "critical"
    assert "0/2 replicas available" in symptom.title
    assert any("Pod/shop/api-7d9f-a" in n and "cluster-pod-crashloop" in n for n in symptom.notes)
    assert "explains Deployment/shop/api (cluster-deployment-unavailable)" in findings[0].notes


def test_stuck_rollout_is_linked_to_the_new_replicasets_pods_while_old_ones_serve() -> None:
    conditions = [
        {
            "type": "Available",
            "status": "True",
            "reason": "MinimumReplicasAvailable",
            "message": "Deployment has minimum availability.",
        },
        {
            "type": "Progressing",
            "status": "False",
            "reason": "ProgressDeadlineExceeded",
            "message": 'ReplicaSet "api-new" has timed out progressing.',
        },
    ]
    objects = {
        "deployments": [deployment("api", 3, 3, conditions)],
        "replicasets": [replicaset("api-old", "api", 3, 3), replicaset("api-new", "api", 1, 0)],
        "pods": [pod("api-old-1", owner=("ReplicaSet", "api-old")), crashing("api-new-1", "api-new")],
    }
    findings = analyze(snapshot(**objects))
    stuck = only(findings, "rollout.stuck")
    assert stuck.role == "symptom"
    assert stuck.id == "cluster-deployment-rollout-stuck"
    assert "has timed out progressing" in texts(stuck)
    assert "Pod/shop/api-new-1" in stuck.notes[0]


def test_rolling_deployment_without_a_known_problem_is_not_reported() -> None:
    progressing = [
        {"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable"},
        {
            "type": "Progressing",
            "status": "True",
            "reason": "ReplicaSetUpdated",
            "message": 'ReplicaSet "api-new" is progressing.',
        },
    ]
    starting = pod(
        "api-new-1",
        [waiting_cs("api", "ContainerCreating")],
        owner=("ReplicaSet", "api-new"),
        phase="Pending",
    )
    objects = {
        "deployments": [deployment("api", 3, 2, progressing)],
        "replicasets": [replicaset("api-new", "api", 1, 0)],
        "pods": [starting],
    }
    assert analyze(snapshot(**objects)) == []


def test_quota_refusal_on_the_replicaset_is_the_cause_and_the_quota_is_context() -> None:
    refused = 'Error creating: pods "api-7d9f-x" is forbidden: exceeded quota: shop-quota, requested: requests.cpu=500m, used: requests.cpu=2, limited: requests.cpu=2'
    rs = replicaset(
        "api-7d9f",
        "api",
        3,
        2,
        [
            {
                "type": "ReplicaFailure",
                "status": "True",
                "reason": "FailedCreate",
                "message": refused[len("Error creating: ") :],
            }
        ],
    )
    quota = {
        "metadata": meta("shop-quota"),
        "spec": {"hard": {"requests.cpu": "2", "pods": "20"}},
        "status": {
            "hard": {"requests.cpu": "2", "pods": "20", "requests.memory": "4Gi"},
            "used": {"requests.cpu": "2000m", "pods": "4", "requests.memory": "1Gi"},
        },
    }
    objects = {
        "deployments": [deployment("api", 3, 2)],
        "replicasets": [rs],
        "pods": [pod("api-7d9f-a"), pod("api-7d9f-b")],
        "events": [event("ReplicaSet", "api-7d9f", "FailedCreate", refused, count=14)],
        "resourcequotas": [quota],
    }
    findings = analyze(snapshot(**objects))
    roles = {(f.resource, f.role, f.category) for f in findings}
    assert roles == {
        ("ReplicaSet/shop/api-7d9f", "cause", "quota.exceeded"),
        ("Deployment/shop/api", "symptom", "rollout.stuck"),
        ("ResourceQuota/shop/shop-quota", "context", "quota.exceeded"),
    }
    assert [f.role for f in findings] == ["cause", "symptom", "context"]
    cause = findings[0]
    assert "exceeded quota: shop-quota" in texts(cause)
    assert any("requests.cpu: used 2000m of 2" in n for n in cause.notes)
    assert findings[2].severity == "medium"


def test_admission_denial_on_a_statefulset() -> None:
    sts = {"metadata": meta("db"), "spec": {"replicas": 1}, "status": {"replicas": 0, "readyReplicas": 0}}
    msg = 'create Pod db-0 in StatefulSet db failed error: admission webhook "validate.kyverno.svc-fail" denied the request: require-limits'
    findings = analyze(snapshot(statefulsets=[sts], events=[event("StatefulSet", "db", "FailedCreate", msg)]))
    assert only(findings, "admission.webhook_denied").resource == "StatefulSet/shop/db"
    not_ready = only(findings, "rollout.stuck")
    assert not_ready.role == "symptom"
    assert "0/1 replicas ready" in not_ready.title


def test_daemonset_pods_on_a_not_ready_node_link_to_the_node() -> None:
    ds = {
        "metadata": meta("agent"),
        "spec": {},
        "status": {"desiredNumberScheduled": 2, "numberReady": 1, "numberUnavailable": 1},
    }
    node = {
        "metadata": meta("worker-2", ns=None),
        "status": {
            "conditions": [
                {
                    "type": "Ready",
                    "status": "Unknown",
                    "reason": "NodeStatusUnknown",
                    "message": "Kubelet stopped posting node status.",
                    "lastTransitionTime": "2025-03-04T09:40:00Z",
                }
            ]
        },
    }
    pods = [
        pod("agent-a", owner=("DaemonSet", "agent")),
        pod("agent-b", owner=("DaemonSet", "agent"), node="worker-2", ready=False),
    ]
    findings = analyze(snapshot(daemonsets=[ds], nodes=[node], pods=pods))
    assert [(f.category, f.role) for f in findings] == [
        ("node.not_ready", "cause"),
        ("rollout.stuck", "symptom"),
    ]
    assert "affects Pod/shop/agent-b" in findings[0].notes


def test_service_selector_matching_no_pod_shows_the_labels_pods_carry() -> None:
    objects = {
        "services": [service("checkout", {"app": "checkout-svc"})],
        "endpoints": [endpoints("checkout", 0)],
        "pods": [pod("checkout-1", labels={"app": "checkout"})],
    }
    found = only(analyze(snapshot(**objects)), "service.no_endpoints")
    assert found.role == "cause"
    assert "matches no pod" in found.title
    assert "pod checkout-1 carries app=checkout" in texts(found)


def test_service_whose_pods_are_not_ready_is_a_symptom_and_the_ingress_in_front_too() -> None:
    objects = {
        "services": [service("api", {"app": "api"})],
        "endpoints": [endpoints("api", 0, 1)],
        "pods": [crashing("api-7d9f-a")],
        "ingresses": [ingress("shop", "api")],
    }
    findings = analyze(snapshot(**objects))
    svc = only(findings, "service.no_endpoints")
    ing = only(findings, "ingress.backend_error")
    assert (svc.role, ing.role) == ("symptom", "symptom")
    assert "Pod/shop/api-7d9f-a" in ing.notes[0]
    assert findings[0].category == "container.crash.app_error"


def test_services_with_ready_endpoints_or_no_selector_are_fine() -> None:
    external = {"metadata": meta("db"), "spec": {"type": "ExternalName", "externalName": "db.example.com"}}
    objects = {
        "services": [
            service("api", {"app": "api"}),
            external,
            {"metadata": meta("manual"), "spec": {"ports": [{"port": 5432}]}},
        ],
        "endpoints": [endpoints("api", 2)],
        "pods": [pod("api-1"), pod("api-2")],
    }
    assert analyze(snapshot(**objects)) == []


def test_ingress_to_a_missing_service_or_port() -> None:
    objects = {
        "services": [service("web", {"app": "api"})],
        "pods": [pod("api-1")],
        "endpoints": [endpoints("web", 1)],
        "ingresses": [
            ingress("a", "frontend"),
            ingress("b", "web", port=8443),
            ingress("c", "web", port="http"),
        ],
    }
    findings = analyze(snapshot(**objects))
    assert {(f.resource, f.role) for f in findings} == {
        ("Ingress/shop/a", "cause"),
        ("Ingress/shop/b", "cause"),
    }
    assert (
        "frontend does not exist"
        in only([f for f in findings if f.resource == "Ingress/shop/a"], "ingress.backend_error").title
    )


def test_ingress_tls_secret_missing_only_when_secrets_were_readable() -> None:
    objects = {
        "services": [service("web", {"app": "api"})],
        "pods": [pod("api-1")],
        "endpoints": [endpoints("web", 1)],
        "ingresses": [
            ingress(
                "a",
                "web",
                tls_secret="shop-tls",
                annotations={"cert-manager.io/cluster-issuer": "letsencrypt"},
            )
        ],
    }
    found = only(
        analyze(snapshot(secrets=[{"metadata": meta("other")}], **objects)), "tls.certificate_invalid"
    )
    assert "shop-tls" in found.title
    assert "cert-manager" in found.explanation
    assert analyze(snapshot(forbidden=("secrets",), **objects)) == []
    assert analyze(snapshot(secrets=[{"metadata": meta("shop-tls")}], **objects)) == []
