"""Findings of policies: built from the catalogue, with the object's file, line and field."""

from __future__ import annotations

from tools.findings import Evidence, Finding, Reference
from tools.k8s.manifests import Manifest
from tools.k8s.policies.pods import Path, dotted
from tools.k8s.policies.registry import POLICIES

_REFERENCES = {
    p.id: Reference(title=f"Kubernetes documentation: {p.title}", path=p.docs) for p in POLICIES.values()
}


def make_finding(
    policy_id: str,
    source: str,
    line: int,
    resource: str,
    field_path: str | None,
    text: str,
    confidence: float = 1.0,
) -> Finding:
    """A policy finding: the catalogue's title, severity, rationale and fix, and one line of evidence."""
    policy = POLICIES[policy_id]
    return Finding(
        id=policy.id,
        category=policy.id,
        title=policy.title,
        severity=policy.severity,
        evidence=[Evidence(source=source, line=max(line, 1), text=text)],
        explanation=policy.rationale,
        fix=policy.fix,
        references=[_REFERENCES[policy.id]],
        confidence=confidence,
        engine="policy",
        resource=resource,
        field_path=field_path,
    )


class Report:
    """Collects the findings of one object, leaving out the policies switched off for it."""

    __slots__ = ("findings", "label", "manifest", "off")

    def __init__(self, manifest: Manifest, off: frozenset[str]) -> None:
        self.manifest = manifest
        self.off = off  # ignored by options or suppressed by annotation
        self.findings: list[Finding] = []
        self.label = manifest.label()

    def wants(self, policy_id: str) -> bool:
        """False when the policy is switched off for this object (its check can be skipped)."""
        return policy_id not in self.off

    def add(self, policy_id: str, path: Path, text: str, confidence: float = 1.0) -> None:
        """Report `policy_id` at `path` (the line is that of its deepest existing part)."""
        if policy_id in self.off:
            return
        manifest = self.manifest
        self.findings.append(
            make_finding(
                policy_id,
                manifest.source,
                manifest.line_of(path),
                self.label,
                dotted(path) or None,
                text,
                confidence,
            )
        )
