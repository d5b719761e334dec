"""The catalogue: complete entries, ids the checks use, the generated documentation kept current."""

from __future__ import annotations

import ast

import yaml

from tests.conftest import REPO
from tests.unit.test_k8s_policies_consistency import FAILING as CONSISTENCY_CASES
from tests.unit.test_k8s_policies_reliability import FAILING as RELIABILITY_CASES
from tests.unit.test_k8s_policies_security import FAILING as SECURITY_CASES
from tools.findings import Severity
from tools.k8s.policies import policy_catalogue
from tools.k8s.policies.docs import render

DOC = REPO / "docs" / "kubernetes-policies.md"
SOURCES = REPO / "tools" / "k8s" / "policies"
PEERS = REPO.parent / "shared" / "peers" / "checkov-kubernetes"


def test_at_least_35_policies_each_with_every_field() -> None:
    policies = policy_catalogue()
    assert len(policies) >= 35
    assert len({p.id for p in policies}) == len(policies)
    for p in policies:
        assert p.id.startswith("K8S_")
        assert p.id.upper() == p.id
        assert isinstance(p.severity, Severity)
        assert p.group in ("security", "reliability", "consistency", "api")
        assert p.title
        assert len(p.rationale) > 40
        assert p.docs.startswith("https://kubernetes.io/docs/"), p.id
        assert p.fix.strip(), p.id


def test_every_fix_is_valid_yaml() -> None:
    for p in policy_catalogue():
        yaml.safe_load(p.fix)  # raises on a broken snippet


def test_every_reported_id_is_in_the_catalogue_and_every_policy_is_reported_somewhere() -> None:
    used: set[str] = set()
    for path in SOURCES.glob("*.py"):
        if path.name.startswith("catalogue_"):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and node.value.startswith("K8S_")
            ):
                used.add(node.value)
    catalogue = {p.id for p in policy_catalogue()}
    assert used - catalogue == set()
    assert catalogue - used == set()


def test_checkov_folders_exist_in_the_peer_data() -> None:
    folders = {p.checkov for p in policy_catalogue() if p.checkov}
    assert len(folders) >= 15
    if PEERS.is_dir():
        assert {f for f in folders if not (PEERS / f).is_dir()} == set()


def test_committed_documentation_is_current() -> None:
    assert DOC.read_text(encoding="utf-8") == render(), "run: python -m tools.k8s.policies.docs"


def test_documentation_names_every_policy() -> None:
    text = render()
    for p in policy_catalogue():
        assert f"### {p.id}" in text


def test_every_policy_has_a_failing_and_a_passing_case_in_the_unit_tests() -> None:
    # The FAILING tables break the hardened baseline one policy at a time; RBAC and API policies have
    # their own tests (test_k8s_policies_security.py, test_k8s_policies_apis.py).
    covered = {*SECURITY_CASES, *RELIABILITY_CASES, *CONSISTENCY_CASES}
    covered |= {"K8S_WILDCARD_RBAC", "K8S_CLUSTER_ADMIN_BINDING", "K8S_REMOVED_API", "K8S_DEPRECATED_API"}
    assert covered == {p.id for p in policy_catalogue()}
