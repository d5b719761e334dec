"""One pass over the snapshot: objects by name, pods by owner and label, events by object."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from tools.kube.analyze.events import EventGroup, index_events
from tools.kube.snapshot import KIND_NAMES, ClusterSnapshot

Obj = dict[str, Any]


def meta(obj: Obj) -> dict[str, Any]:
    """The object's metadata (empty dict when absent)."""
    return obj.get("metadata") or {}


def name_of(obj: Obj) -> str:
    """The object's name."""
    return str(meta(obj).get("name", ""))


def ns_of(obj: Obj) -> str:
    """The object's namespace ("" for cluster-scoped objects)."""
    return str(meta(obj).get("namespace") or "")


def controller_of(obj: Obj) -> tuple[str, str] | None:
    """(kind, name) of the owner that controls the object, if any."""
    owners = meta(obj).get("ownerReferences") or []
    for owner in owners:
        if owner.get("controller"):
            return str(owner.get("kind", "")), str(owner.get("name", ""))
    if owners:
        return str(owners[0].get("kind", "")), str(owners[0].get("name", ""))
    return None


class ClusterIndex:
    """Lookups the analyzers need, built once so nothing scans all pods or events per object."""

    def __init__(self, snapshot: ClusterSnapshot) -> None:
        self.snapshot = snapshot
        self.events: dict[tuple[str, str, str], list[EventGroup]] = index_events(snapshot.items("events"))
        self.named: dict[tuple[str, str, str], Obj] = {}
        self.owned: dict[tuple[str, str, str, str], list[Obj]] = defaultdict(
            list
        )  # (kind, ns, owner kind, name)
        self.pods_by_ns: dict[str, list[Obj]] = defaultdict(list)
        self._labels: dict[tuple[str, str, str], set[int]] = defaultdict(set)
        for kind, items in snapshot.objects.items():
            if kind == "events":
                continue
            for obj in items:
                self.named[(kind, ns_of(obj), name_of(obj))] = obj
                owner = controller_of(obj)
                if owner is not None:
                    self.owned[(kind, ns_of(obj), owner[0], owner[1])].append(obj)
        for pod in snapshot.items("pods"):
            namespace = ns_of(pod)
            position = len(self.pods_by_ns[namespace])
            self.pods_by_ns[namespace].append(pod)
            for key, value in (meta(pod).get("labels") or {}).items():
                self._labels[(namespace, key, str(value))].add(position)

    def get(self, kind: str, namespace: str, name: str) -> Obj | None:
        """The object of kind key `kind` with that name, if it was read."""
        return self.named.get((kind, namespace, name))

    def children(self, kind: str, owner_kind: str, owner: Obj) -> list[Obj]:
        """Objects of kind key `kind` controlled by `owner` (whose kind name is `owner_kind`)."""
        return self.owned.get((kind, ns_of(owner), owner_kind, name_of(owner)), [])

    def events_of(self, kind: str, obj: Obj) -> list[EventGroup]:
        """De-duplicated events about `obj` (kind key `kind`), oldest first."""
        return self.events.get((KIND_NAMES.get(kind, kind), ns_of(obj), name_of(obj)), [])

    def pods_matching(self, namespace: str, selector: dict[str, str]) -> list[Obj]:
        """Pods in `namespace` carrying every label of `selector` (an empty selector selects none)."""
        if not selector:
            return []
        sets = [self._labels.get((namespace, key, str(value)), set()) for key, value in selector.items()]
        chosen = set.intersection(*sorted(sets, key=len))
        pods = self.pods_by_ns.get(namespace, [])
        return [pods[position] for position in sorted(chosen)]

    def workload_pods(self, kind: str, workload: Obj) -> list[Obj]:
        """The pods of a Deployment (through its ReplicaSets), StatefulSet, DaemonSet, ReplicaSet or Job."""
        if kind == "deployments":
            pods: list[Obj] = []
            for replicaset in self.children("replicasets", "Deployment", workload):
                pods.extend(self.children("pods", "ReplicaSet", replicaset))
            return pods
        return self.children("pods", KIND_NAMES[kind], workload)
