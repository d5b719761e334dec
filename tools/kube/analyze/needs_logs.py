"""Which containers' logs are worth reading: the crashed run of crash-looping ones first."""

from __future__ import annotations

from typing import Any

from tools.kube.analyze.index import name_of, ns_of
from tools.kube.snapshot import ClusterSnapshot, LogKey

_NOT_STARTED = ("ImagePullBackOff", "ErrImagePull", "CreateContainerConfigError", "ContainerCreating",
                "PodInitializing", "InvalidImageName", "CreateContainerError")  # fmt: skip


def _ready(pod: dict[str, Any]) -> bool:
    for condition in (pod.get("status") or {}).get("conditions") or []:
        if condition.get("type") == "Ready":
            return bool(condition.get("status") == "True")
    return True


def containers_needing_logs(snapshot: ClusterSnapshot, limit: int = 20) -> list[LogKey]:
    """Logs to read for the broken containers, most restarts first, at most `limit`.

    A container that crashed and was restarted (crash loop, OOM) needs its previous run's log;
    one that terminated with an error and was not restarted (a Job's pod) its current log;
    a running container that never became ready its current log, after all the crashed ones.
    """
    crashed: list[tuple[int, LogKey]] = []
    unready: list[tuple[int, LogKey]] = []
    for pod in snapshot.items("pods"):
        status = pod.get("status") or {}
        if status.get("phase") == "Succeeded" or status.get("reason") == "Evicted":
            continue
        namespace, name = ns_of(pod), name_of(pod)
        for field in ("initContainerStatuses", "containerStatuses"):
            for cs in status.get(field) or []:
                state, last = cs.get("state") or {}, (cs.get("lastState") or {}).get("terminated") or {}
                restarts = int(cs.get("restartCount") or 0)
                container = str(cs.get("name"))
                waiting = str((state.get("waiting") or {}).get("reason") or "")
                terminated = state.get("terminated") or {}
                if waiting in _NOT_STARTED:
                    continue  # it never ran: nothing logged
                if (
                    restarts
                    and last
                    and (last.get("exitCode") not in (0, None) or waiting == "CrashLoopBackOff")
                ):
                    crashed.append((restarts, LogKey(namespace, name, container, previous=True)))
                elif terminated and terminated.get("exitCode") not in (0, None):
                    crashed.append((max(restarts, 1), LogKey(namespace, name, container, previous=False)))
                elif state.get("running") is not None and not cs.get("ready") and not _ready(pod):
                    unready.append((restarts, LogKey(namespace, name, container, previous=False)))
    crashed.sort(key=lambda item: -item[0])
    unready.sort(key=lambda item: -item[0])
    return [key for _, key in crashed + unready][:limit]
