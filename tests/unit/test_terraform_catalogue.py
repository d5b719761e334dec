"""The policy catalogue: complete, well-formed, and documented in docs/terraform-policies.md."""

from __future__ import annotations

import re

from tests.conftest import REPO
from tools.terraform.catalogue import SCHEMA_CHECKS, render_markdown
from tools.terraform.policies.registry import POLICIES
from tools.terraform.validate import policy_catalogue

DOC = REPO / "docs" / "terraform-policies.md"


def test_committed_documentation_is_current() -> None:
    assert DOC.read_text() == render_markdown(), (
        "run: python -m tools.terraform.catalogue docs/terraform-policies.md"
    )


def test_at_least_25_policies_with_unique_ids() -> None:
    ids = [p.id for p in POLICIES]
    assert len(ids) >= 25
    assert len(set(ids)) == len(ids)
    assert not set(ids) & set(SCHEMA_CHECKS)


def test_every_entry_is_complete() -> None:
    for entry in policy_catalogue():
        assert re.fullmatch(r"TF_[A-Z0-9_]+", entry.id), entry.id
        assert all((entry.title, entry.rationale, entry.fix)), entry.id
        assert entry.docs_url.startswith("https://"), entry.id
        if entry.engine == "policy":
            assert entry.docs_url.startswith("https://registry.terraform.io/providers/hashicorp/"), entry.id
            assert entry.resource_types, entry.id


def test_policies_cover_the_three_clouds() -> None:
    assert {p.provider for p in POLICIES} == {"aws", "gcp", "azure"}


def test_every_check_is_documented() -> None:
    doc = DOC.read_text()
    for entry in policy_catalogue():
        assert f"## {entry.id}" in doc
