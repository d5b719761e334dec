"""A big generated namespace for cluster benchmarks: thousands of pods, a few of them crash-looping.

    objects, logs = big_namespace(pods=2000, broken=20)

gives, in namespace "shop", Deployments of ten pods each with their ReplicaSets, Pods,
Services, Endpoints and Events, the objects as the API returns them (with `kind` and
`apiVersion`, like `kubectl get -o yaml`). `broken` pods, spread over the Deployments, are in
CrashLoopBackOff with a previous log naming their cause; `logs` maps "shop/POD/CONTAINER" to
{"previous": ..., "current": ...}. The result is the same for the same arguments. Serve it with
tests/servers/kube_api.py, or group it by kind for a ClusterSnapshot.
"""

from __future__ import annotations

import copy
from typing import Any

from evals.perf.cluster_objects import (
    Obj,
    container_spec,
    crash_looping,
    owner,
    pod,
    running,
    template_hash,
    uid,
)
from evals.perf.cluster_workloads import deployment, endpoints, event, replicaset, service

NAMESPACE = "shop"
PODS_PER_DEPLOYMENT = 10
# previous logs of the broken pods, in turn: each names a cause the diagnosis catalogue knows
CRASH_LOGS = (
    'FATAL config: environment variable "DATABASE_URL" is not set\n',
    "Error: connect ECONNREFUSED 10.96.12.40:5432\n    at TCPConnectWrapper.afterConnect [as oncomplete] (node:net:1595:16)\n",
    "panic: runtime error: invalid memory address or nil pointer dereference\n"
    "[signal SIGSEGV: segmentation violation code=0x1 addr=0x18 pc=0x9c4e2f]\n\ngoroutine 1 [running]:\n"
    "main.main()\n\t/src/cmd/app/main.go:61 +0x3a5\n",
    "dial tcp: lookup redis.cache.svc.cluster.local on 10.96.0.10:53: no such host\n",
)


def _pod_name(deploy: str, index: int) -> str:
    return f"{deploy}-{template_hash(deploy)}-{template_hash(f'{deploy}-pod{index}')[:5]}"


def _broken_indexes(pods: int, broken: int) -> set[int]:
    if broken <= 0:
        return set()
    step = max(pods // broken, 1)
    return {i * step + step // 2 for i in range(min(broken, pods))}


def big_namespace(pods: int = 2000, broken: int = 20) -> tuple[list[Obj], dict[str, dict[str, str]]]:
    """Objects and logs of one namespace with `pods` pods, `broken` of them crash-looping."""
    objects: list[Obj] = []
    logs: dict[str, dict[str, str]] = {}
    failing = _broken_indexes(pods, broken)
    for first in range(0, pods, PODS_PER_DEPLOYMENT):
        name = f"svc{first // PODS_PER_DEPLOYMENT:04d}"
        image = f"registry.example.com/shop/{name}:1.{first % 7}.0"
        size = min(PODS_PER_DEPLOYMENT, pods - first)
        containers = [container_spec(name, image)]
        members: list[tuple[Obj, bool]] = []
        for offset in range(size):
            index = first + offset
            pod_name = _pod_name(name, offset)
            is_broken = index in failing
            status = _broken_status(name, image, pod_name, index) if is_broken else running(name, image)
            labels = {"app": name, "pod-template-hash": template_hash(name)}
            ref = owner("ReplicaSet", f"{name}-{template_hash(name)}", NAMESPACE)
            member = pod(
                NAMESPACE,
                pod_name,
                labels,
                copy.deepcopy(containers),
                [status],
                node=f"worker-{index % 12 + 1}",
                owner_ref=ref,
                ip_index=index,
            )
            members.append((member, is_broken))
            if is_broken:
                logs[f"{NAMESPACE}/{pod_name}/{name}"] = _broken_log(name, index)
                objects.append(_backoff(member, name, index))
        ready = sum(1 for _, is_broken in members if not is_broken)
        deploy = deployment(NAMESPACE, name, size, containers, ready=ready)
        objects += [deploy, replicaset(NAMESPACE, name, size, containers, ready=ready)]
        objects += [member for member, _ in members]
        objects += [
            service(NAMESPACE, name, {"app": name}),
            endpoints(
                NAMESPACE,
                name,
                [m for m, is_broken in members if not is_broken],
                [m for m, is_broken in members if is_broken],
            ),
            event(
                deploy,
                "ScalingReplicaSet",
                f"Scaled up replica set {name}-{template_hash(name)} to {size}",
                type_="Normal",
                first=-50,
                last=-50,
                component="deployment-controller",
            ),
        ]
    return objects, logs


def _broken_status(name: str, image: str, pod_name: str, index: int) -> Obj:
    status = crash_looping(name, image, restarts=3 + index % 9, exit_code=1 if index % 4 != 2 else 2)
    pod_uid = uid(f"{NAMESPACE}/{pod_name}")
    status["state"]["waiting"]["message"] = (
        f"back-off 2m40s restarting failed container={name} pod={pod_name}_{NAMESPACE}({pod_uid})"
    )
    return status


def _broken_log(name: str, index: int) -> dict[str, str]:
    started = f"2025-03-04T09:58:{index % 60:02d}.101Z INFO  {name} starting pid=1\n"
    return {"previous": started + CRASH_LOGS[index % len(CRASH_LOGS)], "current": ""}


def _backoff(member: Obj, container: str, index: int) -> Obj:
    meta: dict[str, Any] = member["metadata"]
    message = (
        f"Back-off restarting failed container {container} in pod {meta['name']}_{NAMESPACE}({meta['uid']})"
    )
    return event(
        member,
        "BackOff",
        message,
        count=10 + index % 30,
        first=-40,
        last=-1,
        field_path=f"spec.containers{{{container}}}",
    )
