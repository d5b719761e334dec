"""The reliability policies: resources, probes, images, replicas and rollouts."""

from __future__ import annotations

from tools.findings import Severity
from tools.k8s.policies.model import Policy

_RES = "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/"
_PROBES = (
    "https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/"
)
_IMAGES = "https://kubernetes.io/docs/concepts/containers/images/"
_HIGH, _MED, _LOW = Severity.HIGH, Severity.MEDIUM, Severity.LOW


def _p(
    pid: str, sev: Severity, title: str, why: str, fix: str, docs: str, checkov: str | None = None
) -> Policy:
    return Policy(pid, sev, "reliability", title, why, fix.strip("\n"), docs, checkov)


RELIABILITY = (
    _p(
        "K8S_CPU_REQUEST",
        _MED,
        "Container has no CPU request",
        "The scheduler places pods by their requests: without one the pod may land on a full node and "
        "starve, and a HorizontalPodAutoscaler cannot compute CPU utilisation. A CPU limit alone "
        "counts, since the request then defaults to it.",
        "resources:\n  requests:\n    cpu: 100m",
        _RES,
        "Requests_Limits",
    ),
    _p(
        "K8S_CPU_LIMIT",
        _LOW,
        "Container has no CPU limit",
        "Without a limit a busy container can take every idle CPU of the node from its neighbours "
        "(namespaces with a LimitRange get a default one).",
        "resources:\n  limits:\n    cpu: 500m",
        _RES,
        "Requests_Limits",
    ),
    _p(
        "K8S_MEMORY_REQUEST",
        _MED,
        "Container has no memory request",
        "Without a memory request the pod is scheduled as if it needed none and is among the first "
        "evicted when the node runs short. A memory limit alone counts, since the request then "
        "defaults to it.",
        "resources:\n  requests:\n    memory: 128Mi",
        _RES,
        "Requests_Limits",
    ),
    _p(
        "K8S_MEMORY_LIMIT",
        _MED,
        "Container has no memory limit",
        "A leak in a container without a memory limit grows until the node runs out of memory, and the "
        "kernel then kills processes of other pods too.",
        "resources:\n  limits:\n    memory: 256Mi",
        _RES,
        "Requests_Limits",
    ),
    _p(
        "K8S_LIVENESS_PROBE",
        _LOW,
        "Container has no liveness probe",
        "Without a liveness probe a process that hangs without exiting is never restarted. Jobs and "
        "run-to-completion pods are not reported.",
        "livenessProbe:\n  httpGet: {path: /healthz, port: http}\n  periodSeconds: 10\n  failureThreshold: 3",
        _PROBES,
        "LivenessReadiness",
    ),
    _p(
        "K8S_READINESS_PROBE",
        _MED,
        "Container has no readiness probe",
        "Without a readiness probe the pod receives Service traffic as soon as its process starts, "
        "before it can answer, and keeps receiving it when it cannot: every rollout drops requests.",
        "readinessProbe:\n  httpGet: {path: /ready, port: http}\n  periodSeconds: 5",
        _PROBES,
        "LivenessReadiness",
    ),
    _p(
        "K8S_LATEST_TAG",
        _MED,
        "Image uses the latest tag or no tag",
        "`latest` (the default when no tag is given) changes under you: two nodes may run different "
        "code, and a rollback brings back the new image. Pin a version, or better a digest.",
        "image: registry.example.com/web:1.4.2  # or registry.example.com/web@sha256:<digest>",
        _IMAGES + "#image-names",
        "ImageTagFixed",
    ),
    _p(
        "K8S_IMAGE_PULL_POLICY",
        _LOW,
        "Image pull policy is not Always",
        "With IfNotPresent (the default for a tagged image) a node keeps whatever it first pulled "
        "under the tag: a re-pushed tag runs different code on different nodes, and the registry's "
        "access check is skipped. Images pinned by digest are not reported.",
        "imagePullPolicy: Always  # or pin the image by digest",
        _IMAGES + "#image-pull-policy",
        "ImagePullPolicy",
    ),
    _p(
        "K8S_NO_ANTI_AFFINITY",
        _LOW,
        "Replicas may all land on one node",
        "A replicated workload without pod anti-affinity or topology spread constraints can be "
        "scheduled onto a single node or zone, which then takes every replica down with it.",
        "topologySpreadConstraints:\n  - maxSkew: 1\n    topologyKey: kubernetes.io/hostname\n"
        "    whenUnsatisfiable: ScheduleAnyway\n    labelSelector:\n      matchLabels: {app: web}",
        "https://kubernetes.io/docs/concepts/scheduling-eviction/topology-spread-constraints/",
    ),
    _p(
        "K8S_UPDATE_STRATEGY",
        _LOW,
        "Update strategy causes downtime or never rolls out",
        "Recreate stops every pod before starting new ones, a maxUnavailable as large as the replica "
        "count lets a rollout take them all down at once, and OnDelete never updates running pods "
        "until someone deletes them.",
        "strategy:\n  type: RollingUpdate\n  rollingUpdate: {maxUnavailable: 0, maxSurge: 1}",
        "https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#strategy",
    ),
    _p(
        "K8S_SELECTOR_MISMATCH",
        _HIGH,
        "Selector does not match the pod template's labels",
        "A controller only owns pods whose labels its selector matches; the API server refuses a "
        "workload whose selector does not match its own template.",
        "spec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n"
        "      labels: {app: web}",
        "https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#selector",
    ),
    _p(
        "K8S_NO_PDB",
        _LOW,
        "Replicated workload has no PodDisruptionBudget",
        "Node drains (upgrades, autoscaler scale-down) may evict every replica at once unless a "
        "PodDisruptionBudget in the set selects the pods and keeps some of them running.",
        "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: web}\nspec:\n"
        "  maxUnavailable: 1\n  selector:\n    matchLabels: {app: web}",
        "https://kubernetes.io/docs/tasks/run-application/configure-pdb/",
    ),
    _p(
        "K8S_PDB_BLOCKS_EVICTION",
        _MED,
        "PodDisruptionBudget allows no disruption",
        "maxUnavailable: 0 (or minAvailable: 100%) means no pod may ever be evicted voluntarily: node "
        "drains hang and cluster upgrades stall until someone deletes the budget.",
        "spec:\n  maxUnavailable: 1",
        "https://kubernetes.io/docs/concepts/workloads/pods/disruptions/",
    ),
)
