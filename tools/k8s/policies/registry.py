"""The catalogue of Kubernetes policies, looked up by id."""

from __future__ import annotations

from tools.k8s.policies.catalogue_reliability import RELIABILITY
from tools.k8s.policies.catalogue_security import SECURITY
from tools.k8s.policies.catalogue_set import APIS, CONSISTENCY
from tools.k8s.policies.model import Policy

GROUPS = ("security", "reliability", "consistency", "api")
POLICIES: dict[str, Policy] = {p.id: p for p in (*SECURITY, *RELIABILITY, *CONSISTENCY, *APIS)}


def policy_catalogue() -> list[Policy]:
    """Every policy (id, severity, title, rationale, fix, docs url, checkov folder), by group then id."""
    return sorted(POLICIES.values(), key=lambda p: (GROUPS.index(p.group), p.id))


def policy(policy_id: str) -> Policy:
    """The policy with this id (KeyError for an unknown id)."""
    return POLICIES[policy_id]
