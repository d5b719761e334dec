"""The read-only roles in deploy/rbac grant exactly what the cluster reader lists, and nothing more."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.conftest import REPO
from tools.kube.read import api_group
from tools.kube.snapshot import CLUSTER_KINDS, NAMESPACED_KINDS

RBAC = REPO / "deploy" / "rbac"


def granted(path: Path, kind: str) -> set[tuple[str, str]]:
    documents = [d for d in yaml.safe_load_all(path.read_text()) if d and d["kind"] == kind]
    assert len(documents) == 1
    pairs = set()
    for rule in documents[0]["rules"]:
        assert set(rule["verbs"]) <= {"get", "list"}, rule
        pairs |= {(group, resource) for group in rule["apiGroups"] for resource in rule["resources"]}
    return pairs


def wanted(kinds: tuple[str, ...]) -> set[tuple[str, str]]:
    return {(api_group(kind), kind) for kind in kinds if kind != "secrets"}


def test_the_cluster_role_grants_what_the_reader_lists_and_logs_but_no_secrets() -> None:
    pairs = granted(RBAC / "clusterrole-reader.yaml", "ClusterRole")
    assert pairs == wanted(NAMESPACED_KINDS + CLUSTER_KINDS) | {("", "pods/log")}
    assert not any("secret" in resource for _, resource in pairs)


def test_the_namespaced_role_grants_the_namespaced_kinds() -> None:
    pairs = granted(RBAC / "role-reader.yaml", "Role")
    assert pairs == wanted(NAMESPACED_KINDS) | {("", "pods/log")}


def test_the_roles_validate_with_no_finding() -> None:
    from tools.k8s.validate import validate_k8s

    report = validate_k8s([RBAC], strict=True)
    assert (report.counts.resources, report.counts.valid) == (4, 4)
    assert report.findings == []
