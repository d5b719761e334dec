"""Kubernetes policies: security, reliability, consistency inside the set, API deprecations.

The validator calls two entry points:

- `object_findings(manifest, options)`: the findings of every per-object policy;
- `SetChecks`: collects what it needs from each object (`add`), then reports what is
  inconsistent across the whole set (`findings`), e.g. a Service whose selector
  matches no workload.

Suppressions (the `shipmate.dev/ignore` annotation, `validate.ignore` in config) are
applied here, so every caller sees the same result.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tools.findings import Finding
from tools.k8s.manifests import Manifest

IGNORE_ANNOTATION = "shipmate.dev/ignore"


@dataclass(frozen=True)
class PolicyOptions:
    """What policies need to know about the run."""

    kubernetes_version: str
    ignored: frozenset[str] = field(default_factory=frozenset)  # policy ids switched off by config


def object_findings(manifest: Manifest, options: PolicyOptions) -> list[Finding]:
    """Findings of the per-object policies for one object (none yet: the catalogue lands next)."""
    return []


class SetChecks:
    """Consistency across all objects of one run."""

    def add(self, manifest: Manifest) -> None:
        """Remember what the set checks need of this object."""

    def findings(self, options: PolicyOptions) -> list[Finding]:
        """Problems that only show across objects."""
        return []
