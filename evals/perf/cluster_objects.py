"""Builders of cluster objects as the API returns them (spec and status filled in like a real cluster).

Deterministic: names give uids, hashes and ips, so generated fixtures and scenarios are stable.
Objects carry `kind` and `apiVersion`, as `kubectl get -o yaml` shows them.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

Obj = dict[str, Any]
BASE = datetime(2025, 3, 4, 10, 0, 0, tzinfo=UTC)


def ts(minutes: float) -> str:
    """A timestamp `minutes` after the fixed base time, in the API's format."""
    return (BASE + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")


def uid(name: str) -> str:
    """A stable uid for an object name."""
    return str(uuid.uuid5(uuid.NAMESPACE_DNS, name))


def digest(name: str, length: int = 64) -> str:
    """A stable hex digest (container ids, image digests, pod-template hashes)."""
    return hashlib.sha256(name.encode()).hexdigest()[:length]


def meta(name: str, namespace: str | None, labels: dict[str, str] | None = None, **extra: Any) -> Obj:
    """Object metadata as the API fills it in."""
    result: Obj = {
        "name": name,
        "uid": uid(f"{namespace}/{name}"),
        "resourceVersion": str(int(digest(name, 6), 16) % 900000 + 100000),
        "creationTimestamp": extra.pop("created", ts(-60 * 24)),
    }
    if namespace:
        result["namespace"] = namespace
    if labels:
        result["labels"] = dict(labels)
    result.update(extra)
    return result


def owner(kind: str, name: str, namespace: str, api_version: str = "apps/v1") -> Obj:
    """A controller ownerReference."""
    return {
        "apiVersion": api_version,
        "kind": kind,
        "name": name,
        "uid": uid(f"{namespace}/{name}"),
        "controller": True,
        "blockOwnerDeletion": True,
    }


def container_spec(name: str, image: str, port: int = 8080, **extra: Any) -> Obj:
    """A container of a pod template."""
    spec: Obj = {
        "name": name,
        "image": image,
        "imagePullPolicy": "IfNotPresent",
        "ports": [{"containerPort": port, "name": "http", "protocol": "TCP"}],
        "resources": extra.pop(
            "resources", {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"memory": "256Mi"}}
        ),
        "terminationMessagePath": "/dev/termination-log",
        "terminationMessagePolicy": "File",
    }
    spec.update(extra)
    return spec


def running(name: str, image: str, *, minutes: float = -600, restarts: int = 0, ready: bool = True) -> Obj:
    """The status of a running container."""
    return {
        "containerID": f"containerd://{digest(name + image + str(restarts))}",
        "image": image,
        "imageID": f"{image.rsplit(':', 1)[0]}@sha256:{digest(image)}",
        "lastState": {},
        "name": name,
        "ready": ready,
        "restartCount": restarts,
        "started": True,
        "state": {"running": {"startedAt": ts(minutes)}},
    }


def crash_looping(name: str, image: str, *, restarts: int, exit_code: int = 1, reason: str = "Error") -> Obj:
    """A container in CrashLoopBackOff whose last run ended with `exit_code`."""
    status = running(name, image, restarts=restarts, ready=False)
    status["started"] = False
    status["lastState"] = {
        "terminated": {
            "containerID": f"containerd://{digest(name + image + 'last')}",
            "exitCode": exit_code,
            "finishedAt": ts(-2),
            "reason": reason,
            "startedAt": ts(-2.1),
        }
    }
    status["state"] = {"waiting": {"reason": "CrashLoopBackOff", "message": ""}}
    return status


def waiting(name: str, image: str, reason: str, message: str) -> Obj:
    """A container that never started (image pull, config error)."""
    return {
        "image": image,
        "imageID": "",
        "lastState": {},
        "name": name,
        "ready": False,
        "restartCount": 0,
        "started": False,
        "state": {"waiting": {"reason": reason, "message": message}},
    }


def pod_conditions(ready: bool, scheduled: bool = True, minutes: float = -600) -> list[Obj]:
    """Pod conditions; not ready lists the containers as not ready."""
    state = "True" if ready else "False"
    conditions: list[Obj] = [
        {"lastProbeTime": None, "lastTransitionTime": ts(minutes), "status": "True", "type": t}
        for t in ("PodReadyToStartContainers", "Initialized")
    ]
    for kind in ("Ready", "ContainersReady"):
        condition: Obj = {
            "lastProbeTime": None,
            "lastTransitionTime": ts(minutes),
            "status": state,
            "type": kind,
        }
        if not ready:
            condition["reason"] = "ContainersNotReady"
        conditions.append(condition)
    conditions.append(
        {"lastProbeTime": None, "lastTransitionTime": ts(minutes), "status": "True", "type": "PodScheduled"}
    )
    return conditions if scheduled else conditions[-1:]


def pod(
    namespace: str,
    name: str,
    labels: dict[str, str],
    containers: list[Obj],
    statuses: list[Obj],
    *,
    node: str | None = "worker-1",
    owner_ref: Obj | None = None,
    phase: str = "Running",
    conditions: list[Obj] | None = None,
    ip_index: int = 10,
    **spec_extra: Any,
) -> Obj:
    """A pod with spec and status as the API reports them."""
    ready = all(s.get("ready") for s in statuses) and phase == "Running"
    token_volume = f"kube-api-access-{digest(name, 5)}"
    for container in containers:
        container.setdefault(
            "volumeMounts",
            [
                {
                    "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount",
                    "name": token_volume,
                    "readOnly": True,
                }
            ],
        )
    spec: Obj = {
        "containers": containers,
        "dnsPolicy": "ClusterFirst",
        "enableServiceLinks": True,
        "preemptionPolicy": "PreemptLowerPriority",
        "priority": 0,
        "restartPolicy": "Always",
        "schedulerName": "default-scheduler",
        "securityContext": {},
        "serviceAccount": "default",
        "serviceAccountName": "default",
        "terminationGracePeriodSeconds": 30,
        "tolerations": [
            {
                "effect": "NoExecute",
                "key": f"node.kubernetes.io/{t}",
                "operator": "Exists",
                "tolerationSeconds": 300,
            }
            for t in ("not-ready", "unreachable")
        ],
        "volumes": [
            {
                "name": token_volume,
                "projected": {
                    "defaultMode": 420,
                    "sources": [
                        {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                        {
                            "configMap": {
                                "items": [{"key": "ca.crt", "path": "ca.crt"}],
                                "name": "kube-root-ca.crt",
                            }
                        },
                    ],
                },
            }
        ],
    }
    if node:
        spec["nodeName"] = node
    spec.update(spec_extra)
    status: Obj = {
        "conditions": conditions if conditions is not None else pod_conditions(ready, scheduled=bool(node)),
        "phase": phase,
        "qosClass": "Burstable",
    }
    if node:
        host = f"10.0.1.{int(node.rsplit('-', 1)[-1]) + 10 if node[-1].isdigit() else 10}"
        pod_ip = f"10.244.{ip_index // 250 % 250}.{ip_index % 250 + 2}"
        status.update(
            containerStatuses=statuses,
            hostIP=host,
            hostIPs=[{"ip": host}],
            podIP=pod_ip,
            podIPs=[{"ip": pod_ip}],
            startTime=ts(-600),
        )
    extra: Obj = {"generateName": name.rsplit("-", 1)[0] + "-"}
    if owner_ref:
        extra["ownerReferences"] = [owner_ref]
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": meta(name, namespace, labels, **extra),
        "spec": spec,
        "status": status,
    }


def template_hash(name: str, revision: int = 1) -> str:
    """The pod-template-hash of a Deployment revision."""
    alphabet = "bcdfghjklmnpqrstvwxz2456789"
    return "".join(alphabet[int(c, 16) % len(alphabet)] for c in digest(f"{name}{revision}", 9))
