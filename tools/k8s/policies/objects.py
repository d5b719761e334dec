"""Policies on objects other than pods: namespaces and RBAC."""

from __future__ import annotations

from tools.k8s.manifests import Manifest
from tools.k8s.policies.emit import Report
from tools.k8s.policies.pods import mapping, sequence

# Built-in namespaced kinds (a custom resource's scope is unknown without its CRD, so it is not judged).
NAMESPACED_KINDS = frozenset(
    {
        "Pod",
        "Deployment",
        "StatefulSet",
        "DaemonSet",
        "ReplicaSet",
        "ReplicationController",
        "Job",
        "CronJob",
        "DeploymentConfig",
        "PodTemplate",
        "Service",
        "ServiceAccount",
        "ConfigMap",
        "Secret",
        "Role",
        "RoleBinding",
        "Ingress",
        "NetworkPolicy",
        "PersistentVolumeClaim",
        "HorizontalPodAutoscaler",
        "PodDisruptionBudget",
        "LimitRange",
        "ResourceQuota",
        "Endpoints",
        "EndpointSlice",
        "Lease",
        "ControllerRevision",
    }
)
# What Kubernetes itself keeps in the default namespace: (kind, name).
BUILT_IN_DEFAULTS = frozenset({("ServiceAccount", "default"), ("Service", "kubernetes")})
RBAC_ROLE_KINDS = frozenset({"Role", "ClusterRole"})
RBAC_BINDING_KINDS = frozenset({"RoleBinding", "ClusterRoleBinding"})


def check_object(manifest: Manifest, report: Report) -> None:
    """Namespace and RBAC policies of one object."""
    kind = manifest.kind
    in_default = manifest.namespace in (None, "default")
    if kind in NAMESPACED_KINDS and in_default and (kind, manifest.name) not in BUILT_IN_DEFAULTS:
        shown = "namespace: default" if manifest.namespace else "no namespace (it goes to the default one)"
        report.add("K8S_DEFAULT_NAMESPACE", ("metadata", "namespace"), shown)
    if kind in RBAC_ROLE_KINDS:
        _wildcards(manifest, report)
    elif kind in RBAC_BINDING_KINDS:
        role = mapping(mapping(manifest.obj).get("roleRef"))
        if role.get("kind") == "ClusterRole" and role.get("name") == "cluster-admin":
            report.add("K8S_CLUSTER_ADMIN_BINDING", ("roleRef", "name"), "roleRef: ClusterRole cluster-admin")


def _wildcards(manifest: Manifest, report: Report) -> None:
    for index, rule in enumerate(sequence(mapping(manifest.obj).get("rules"))):
        if not isinstance(rule, dict):
            continue
        for key in ("apiGroups", "resources", "verbs"):
            values = sequence(rule.get(key))
            if "*" in values:
                report.add(
                    "K8S_WILDCARD_RBAC",
                    ("rules", index, key, values.index("*")),
                    f"rules[{index}].{key}: '*'",
                )
