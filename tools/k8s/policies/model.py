"""What a policy is: the facts the catalogue, the findings and the documentation share."""

from __future__ import annotations

from dataclasses import dataclass

from tools.findings import Severity


@dataclass(frozen=True, slots=True)
class Policy:
    """One policy of the catalogue."""

    id: str
    severity: Severity
    group: str  # "security", "reliability", "consistency" or "api"
    title: str
    rationale: str
    fix: str  # a YAML snippet that satisfies the policy
    docs: str  # a kubernetes.io page
    checkov: str | None = None  # the checkov test folder (../shared/peers/checkov-kubernetes/) it matches
