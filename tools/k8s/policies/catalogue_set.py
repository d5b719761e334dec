"""The policies across objects (references inside the set) and on API versions."""

from __future__ import annotations

from tools.findings import Severity
from tools.k8s.policies.model import Policy

_SVC = "https://kubernetes.io/docs/concepts/services-networking/service/"
_HPA = "https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/"
_DEPRECATIONS = "https://kubernetes.io/docs/reference/using-api/deprecation-guide/"
_HIGH, _MED, _LOW = Severity.HIGH, Severity.MEDIUM, Severity.LOW


def _p(
    pid: str, sev: Severity, title: str, why: str, fix: str, docs: str, group: str = "consistency"
) -> Policy:
    return Policy(pid, sev, group, title, why, fix.strip("\n"), docs)


CONSISTENCY = (
    _p(
        "K8S_SERVICE_NO_MATCH",
        _HIGH,
        "Service selects no pods of the set",
        "No workload in the Service's namespace has pod labels that include its selector, so the "
        "Service has no endpoints and every connection to it fails. Judged only when the set holds "
        "workloads in that namespace.",
        "# make the selector a subset of the pod template's labels\nspec:\n  selector: {app: web}",
        _SVC + "#defining-a-service",
    ),
    _p(
        "K8S_SERVICE_TARGET_PORT",
        _HIGH,
        "Service targetPort is not a port of its pods",
        "A named targetPort must be the name of a containerPort of the selected pods, and a numeric "
        "one should be among their declared ports; otherwise traffic goes nowhere.",
        "ports:\n  - port: 80\n    targetPort: http  # a containerPort named http in the pods",
        _SVC + "#field-spec-ports",
    ),
    _p(
        "K8S_INGRESS_BACKEND",
        _HIGH,
        "Ingress backend is not a Service of the set",
        "The backend names a Service (or a port of it) that the set does not define, so the Ingress "
        "controller answers 503 for that path. Judged only when the set holds Services in that "
        "namespace.",
        "backend:\n  service:\n    name: web  # an existing Service\n    port: {name: http}",
        "https://kubernetes.io/docs/concepts/services-networking/ingress/",
    ),
    _p(
        "K8S_HPA_TARGET",
        _HIGH,
        "HorizontalPodAutoscaler targets a workload not in the set",
        "The scaleTargetRef names a workload the set does not define: the autoscaler reports "
        "FailedGetScale and scales nothing.",
        "scaleTargetRef:\n  apiVersion: apps/v1\n  kind: Deployment\n  name: web  # an existing workload",
        _HPA,
    ),
    _p(
        "K8S_HPA_NO_REQUESTS",
        _MED,
        "Autoscaled containers have no request for the scaled resource",
        "Utilisation is usage divided by request: when a container of the target has no request for "
        "the resource the autoscaler scales on, it cannot compute a utilisation and does not scale.",
        "resources:\n  requests:\n    cpu: 100m  # on every container of the target",
        _HPA,
    ),
    _p(
        "K8S_MISSING_CONFIGMAP",
        _HIGH,
        "Referenced ConfigMap is not in the set",
        "The pod uses a ConfigMap the set does not define: it stays in CreateContainerConfigError (or "
        "ContainerCreating for a volume). Optional references are not reported, and a reference is "
        "judged only when the set holds ConfigMaps in that namespace.",
        "envFrom:\n  - configMapRef:\n      name: web-settings  # defined in the set\n"
        "      optional: true  # if the pod can start without it",
        "https://kubernetes.io/docs/concepts/configuration/configmap/",
    ),
    _p(
        "K8S_MISSING_SECRET",
        _HIGH,
        "Referenced Secret is not in the set",
        "The pod uses a Secret the set does not define (nor a SealedSecret, ExternalSecret or "
        "cert-manager Certificate that makes it): the pod cannot start. Optional references are "
        "not reported, and a reference is judged only when the set holds Secrets in that namespace.",
        "env:\n  - name: DB_PASSWORD\n    valueFrom:\n      secretKeyRef: {name: db, key: password}"
        "  # a Secret named db in the set",
        "https://kubernetes.io/docs/concepts/configuration/secret/",
    ),
)

APIS = (
    _p(
        "K8S_REMOVED_API",
        _HIGH,
        "API version removed in the target Kubernetes version",
        "The apiVersion of this kind is no longer served by the target Kubernetes version: applying "
        "the manifest fails with `no matches for kind`.",
        "apiVersion: networking.k8s.io/v1  # the replacement named in the finding\nkind: Ingress",
        _DEPRECATIONS,
        "api",
    ),
    _p(
        "K8S_DEPRECATED_API",
        _LOW,
        "API version deprecated in the target Kubernetes version",
        "The apiVersion of this kind still works but is deprecated and will be removed in the version "
        "named in the finding; kubectl prints a warning on every apply.",
        "apiVersion: autoscaling/v2  # the replacement named in the finding\nkind: HorizontalPodAutoscaler",
        _DEPRECATIONS,
        "api",
    ),
)
