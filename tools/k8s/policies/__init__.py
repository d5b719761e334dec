"""Kubernetes policies: security, reliability, consistency inside the set, API deprecations.

The validator calls two entry points:

- `object_findings(manifest, options)`: the findings of every per-object policy;
- `SetChecks`: collects what it needs from each object (`add`), then reports what is
  inconsistent across the whole set (`findings`), e.g. a Service whose selector
  matches no workload.

Suppressions (the `shipmate.dev/ignore` annotation, `validate.ignore` in config) are
applied here, so every caller sees the same result. The catalogue (`policy_catalogue()`)
lists every policy with its rationale, fix and documentation; docs/kubernetes-policies.md
is generated from it.
"""

from __future__ import annotations

from tools.findings import Finding
from tools.k8s.manifests import Manifest
from tools.k8s.policies.apis import check_api
from tools.k8s.policies.consistency import SetChecks
from tools.k8s.policies.emit import Report
from tools.k8s.policies.model import Policy
from tools.k8s.policies.objects import check_object
from tools.k8s.policies.options import PolicyOptions
from tools.k8s.policies.pods import pod_spec
from tools.k8s.policies.registry import policy_catalogue
from tools.k8s.policies.reliability import check_disruption_budget, check_pod_reliability, check_workload
from tools.k8s.policies.security import check_pod_security
from tools.k8s.policies.suppress import IGNORE_ANNOTATION, switched_off

__all__ = [
    "IGNORE_ANNOTATION",
    "Policy",
    "PolicyOptions",
    "SetChecks",
    "object_findings",
    "policy_catalogue",
]


def object_findings(manifest: Manifest, options: PolicyOptions) -> list[Finding]:
    """Findings of the per-object policies for one object, suppressions applied."""
    if manifest.obj is None:
        return []
    report = Report(manifest, switched_off(manifest, options.ignored))
    check_api(manifest, options.kubernetes_version, report)
    check_object(manifest, report)
    pod = pod_spec(manifest)
    if pod is not None:
        check_pod_security(pod, report)
        check_pod_reliability(manifest, pod, report)
        check_workload(manifest, pod, report)
    elif manifest.kind == "PodDisruptionBudget":
        check_disruption_budget(manifest, report)
    return report.findings
