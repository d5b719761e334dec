"""Builders of workload, network and event objects as the API returns them (see cluster_objects)."""

from __future__ import annotations

from evals.perf.cluster_objects import Obj, digest, meta, owner, template_hash, ts


def deployment(
    namespace: str,
    name: str,
    replicas: int,
    containers: list[Obj],
    *,
    ready: int | None = None,
    revision: int = 1,
    conditions: list[Obj] | None = None,
    updated: int | None = None,
) -> Obj:
    """A Deployment; `ready` pods of `replicas` are available."""
    ready = replicas if ready is None else ready
    labels = {"app": name}
    if conditions is None:
        available = "True" if ready >= replicas else "False"
        conditions = [
            {
                "lastTransitionTime": ts(-600),
                "lastUpdateTime": ts(-600),
                "message": "Deployment has minimum availability."
                if available == "True"
                else "Deployment does not have minimum availability.",
                "reason": "MinimumReplicasAvailable" if available == "True" else "MinimumReplicasUnavailable",
                "status": available,
                "type": "Available",
            },
            {
                "lastTransitionTime": ts(-60 * 24),
                "lastUpdateTime": ts(-600),
                "message": f'ReplicaSet "{name}-{template_hash(name, revision)}" has successfully progressed.',
                "reason": "NewReplicaSetAvailable",
                "status": "True",
                "type": "Progressing",
            },
        ]
    status: Obj = {
        "conditions": conditions,
        "observedGeneration": revision,
        "replicas": replicas,
        "updatedReplicas": replicas if updated is None else updated,
    }
    if ready:
        status.update(readyReplicas=ready, availableReplicas=ready)
    if ready < replicas:
        status["unavailableReplicas"] = replicas - ready
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": meta(
            name,
            namespace,
            labels,
            generation=revision,
            annotations={"deployment.kubernetes.io/revision": str(revision)},
        ),
        "spec": {
            "progressDeadlineSeconds": 600,
            "replicas": replicas,
            "revisionHistoryLimit": 10,
            "selector": {"matchLabels": labels},
            "strategy": {
                "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"},
                "type": "RollingUpdate",
            },
            "template": {
                "metadata": {"labels": labels},
                "spec": {"containers": containers, "restartPolicy": "Always"},
            },
        },
        "status": status,
    }


def replicaset(
    namespace: str,
    deploy: str,
    replicas: int,
    containers: list[Obj],
    *,
    ready: int | None = None,
    revision: int = 1,
) -> Obj:
    """The ReplicaSet of one Deployment revision."""
    ready = replicas if ready is None else ready
    pth = template_hash(deploy, revision)
    labels = {"app": deploy, "pod-template-hash": pth}
    status: Obj = {"fullyLabeledReplicas": replicas, "observedGeneration": 1, "replicas": replicas}
    if ready:
        status.update(readyReplicas=ready, availableReplicas=ready)
    return {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": meta(
            f"{deploy}-{pth}",
            namespace,
            labels,
            generation=1,
            annotations={"deployment.kubernetes.io/revision": str(revision)},
            ownerReferences=[owner("Deployment", deploy, namespace)],
        ),
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": labels},
            "template": {"metadata": {"labels": labels}, "spec": {"containers": containers}},
        },
        "status": status,
    }


def service(namespace: str, name: str, selector: dict[str, str], port: int = 80, target: int = 8080) -> Obj:
    """A ClusterIP Service."""
    ip = f"10.96.{int(digest(name, 2), 16)}.{int(digest(name[::-1], 2), 16) % 250 + 2}"
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": meta(name, namespace, {"app": name}),
        "spec": {
            "clusterIP": ip,
            "clusterIPs": [ip],
            "internalTrafficPolicy": "Cluster",
            "ipFamilies": ["IPv4"],
            "ipFamilyPolicy": "SingleStack",
            "ports": [{"name": "http", "port": port, "protocol": "TCP", "targetPort": target}],
            "selector": selector,
            "sessionAffinity": "None",
            "type": "ClusterIP",
        },
        "status": {"loadBalancer": {}},
    }


def endpoints(
    namespace: str, name: str, ready: list[Obj], not_ready: list[Obj] | None = None, port: int = 8080
) -> Obj:
    """The Endpoints of a Service from its ready and not-ready pods (no subsets when there are none)."""

    def address(p: Obj) -> Obj:
        return {
            "ip": p["status"].get("podIP", ""),
            "nodeName": p["spec"].get("nodeName", ""),
            "targetRef": {
                "kind": "Pod",
                "name": p["metadata"]["name"],
                "namespace": namespace,
                "uid": p["metadata"]["uid"],
            },
        }

    result: Obj = {"apiVersion": "v1", "kind": "Endpoints", "metadata": meta(name, namespace, {"app": name})}
    if ready or not_ready:
        subset: Obj = {"ports": [{"name": "http", "port": port, "protocol": "TCP"}]}
        if ready:
            subset["addresses"] = [address(p) for p in ready]
        if not_ready:
            subset["notReadyAddresses"] = [address(p) for p in not_ready]
        result["subsets"] = [subset]
    return result


def event(
    involved: Obj,
    reason: str,
    message: str,
    *,
    type_: str = "Warning",
    count: int = 1,
    first: float = -30,
    last: float = -1,
    component: str = "kubelet",
    field_path: str | None = None,
) -> Obj:
    """A core/v1 Event about `involved` (a full object), as `kubectl get events -o yaml` shows it."""
    m = involved["metadata"]
    namespace = m.get("namespace", "default")
    ref: Obj = {
        "apiVersion": involved.get("apiVersion", "v1"),
        "kind": involved["kind"],
        "name": m["name"],
        "namespace": namespace,
        "resourceVersion": m.get("resourceVersion", "1"),
        "uid": m["uid"],
    }
    if field_path:
        ref["fieldPath"] = field_path
    suffix = digest(f"{m['name']}{reason}{message}", 16)
    source: Obj = {"component": component}
    if component == "kubelet":
        source["host"] = involved.get("spec", {}).get("nodeName", "worker-1")
    return {
        "apiVersion": "v1",
        "kind": "Event",
        "count": count,
        "eventTime": None,
        "firstTimestamp": ts(first),
        "involvedObject": ref,
        "lastTimestamp": ts(last),
        "message": message,
        "metadata": meta(f"{m['name']}.{suffix}", namespace, created=ts(first)),
        "reason": reason,
        "reportingComponent": component,
        "reportingInstance": source.get("host", ""),
        "source": source,
        "type": type_,
    }
