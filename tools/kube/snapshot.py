"""What was read from a cluster: raw API objects by kind, the logs of broken pods, what could not be read.

Objects stay as the API returned them (JSON dicts): turning 2,000 pods into client model
objects would cost more than the whole analysis. List items carry no `kind`; the key says it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# The kinds read, by the key they are stored under (the API's plural resource name).
NAMESPACED_KINDS = (
    "pods",
    "events",
    "deployments",
    "replicasets",
    "statefulsets",
    "daemonsets",
    "services",
    "endpoints",
    "ingresses",
    "persistentvolumeclaims",
    "horizontalpodautoscalers",
    "jobs",
    "cronjobs",
    "resourcequotas",
    "configmaps",  # metadata only (PartialObjectMetadata)
    "secrets",  # metadata only (PartialObjectMetadata): names, never contents
)
CLUSTER_KINDS = ("nodes", "persistentvolumes", "storageclasses")
KIND_NAMES = {
    "pods": "Pod",
    "events": "Event",
    "deployments": "Deployment",
    "replicasets": "ReplicaSet",
    "statefulsets": "StatefulSet",
    "daemonsets": "DaemonSet",
    "services": "Service",
    "endpoints": "Endpoints",
    "ingresses": "Ingress",
    "persistentvolumeclaims": "PersistentVolumeClaim",
    "horizontalpodautoscalers": "HorizontalPodAutoscaler",
    "jobs": "Job",
    "cronjobs": "CronJob",
    "resourcequotas": "ResourceQuota",
    "configmaps": "ConfigMap",
    "secrets": "Secret",
    "nodes": "Node",
    "persistentvolumes": "PersistentVolume",
    "storageclasses": "StorageClass",
}


@dataclass(frozen=True)
class LogKey:
    """One container's log: the current run or the previous (crashed) one."""

    namespace: str
    pod: str
    container: str
    previous: bool


@dataclass
class ClusterSnapshot:
    """Everything read from the cluster for one analysis."""

    context: str
    namespaces: list[str] | None  # None: all namespaces
    objects: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    logs: dict[LogKey, str] = field(default_factory=dict)
    forbidden: dict[str, str] = field(default_factory=dict)  # kind key -> the permission that is missing
    errors: dict[str, str] = field(default_factory=dict)  # kind key or log -> other failure, one line
    api_calls: int = 0
    bytes_read: int = 0

    def items(self, kind: str) -> list[dict[str, Any]]:
        """The objects of one kind key (empty when none were read)."""
        return self.objects.get(kind, [])

    def readable(self, kind: str) -> bool:
        """True when the kind was read (possibly empty); False when forbidden or failed."""
        return kind in self.objects


def resource_label(kind: str, obj: dict[str, Any]) -> str:
    """How a finding names an object: `Pod/shop/api-7d9f`, or `Node/worker-1` for cluster-scoped kinds."""
    meta = obj.get("metadata") or {}
    name = meta.get("name", "?")
    namespace = meta.get("namespace")
    kind_name = KIND_NAMES.get(kind, kind)
    return f"{kind_name}/{namespace}/{name}" if namespace else f"{kind_name}/{name}"
