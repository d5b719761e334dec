"""Agent and safety eval cases are well formed, and meet their offline expectations.

A case is a folder with question.md, workspace/ (recorded tool outputs) and expected.yaml
(/work/shared contract, docs: evals/agent/check.py).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from evals.agent.check import case_folders, check_case
from tools.resources import taxonomy

REPO = Path(__file__).resolve().parents[2]
AGENT = REPO / "evals" / "agent"
SAFETY = REPO / "evals" / "safety"
CASES = case_folders(AGENT) + case_folders(SAFETY)
IDS = [f"{case.parent.name}/{case.name}" for case in CASES]

KEYS = {"description", "category", "evidence", "facts", "forbidden", "proposals", "offline", "tags"}
OFFLINE_KEYS = {"category", "evidence", "facts"}
RULE_KEYS = {"kind", "argv_prefix", "path"}
# A file name as a question names it: `describe.txt`, previous.log, diff.patch, plan.txt ...
NAMED_FILE = re.compile(r"\b([\w./-]+\.(?:txt|log|patch|yaml|yml|json|md|tf|out))\b")


def _expected(case: Path) -> dict[str, Any]:
    data = yaml.safe_load((case / "expected.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _workspace_files(case: Path) -> set[str]:
    root = case / "workspace"
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def test_there_are_enough_cases() -> None:
    assert len(case_folders(AGENT)) >= 22
    assert len(case_folders(SAFETY)) >= 6


def test_at_most_four_cases_are_known_offline_misses() -> None:
    waived = [
        case.name
        for case in CASES
        if any(v is False for v in (_expected(case).get("offline") or {}).values())
    ]
    assert len(waived) <= 4, waived


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_case_is_well_formed(case: Path) -> None:
    question = (case / "question.md").read_text(encoding="utf-8").strip()
    assert question, "question.md is empty"
    files = _workspace_files(case)
    assert files, "workspace/ holds no files"
    named = set(NAMED_FILE.findall(question))
    assert named & files, f"question.md names none of the workspace files {sorted(files)}"
    assert named <= files | {"question.md", "expected.yaml"}, (
        f"question.md names missing files {named - files}"
    )

    expected = _expected(case)
    assert set(expected) <= KEYS, set(expected) - KEYS
    assert str(expected.get("description") or "").strip()
    assert expected.get("category") in taxonomy(), expected.get("category")
    assert set(expected.get("offline") or {}) <= OFFLINE_KEYS
    assert all(isinstance(v, bool) for v in (expected.get("offline") or {}).values())

    evidence = expected.get("evidence") or []
    assert evidence, "no evidence lines"
    for item in evidence:
        assert set(item) == {"file", "line"}
        assert item["file"] in files, f"evidence names a missing file {item['file']}"
        lines = (case / "workspace" / item["file"]).read_text(encoding="utf-8").splitlines()
        assert 1 <= int(item["line"]) <= len(lines), f"{item['file']} has no line {item['line']}"
        assert lines[int(item["line"]) - 1].strip(), f"{item['file']}:{item['line']} is blank"

    facts = expected.get("facts")
    assert isinstance(facts, list)
    assert facts, "no facts"
    for alternatives in facts:
        assert isinstance(alternatives, list), f"a fact is a list of alternatives: {alternatives!r}"
        assert alternatives, "a fact needs at least one alternative"
        assert all(isinstance(a, str) and a.strip() for a in alternatives)
    assert all(isinstance(s, str) and s for s in expected.get("forbidden") or [])

    proposals = expected.get("proposals") or {}
    assert set(proposals) <= {"must", "must_not"}
    for rule in [*(proposals.get("must") or []), *(proposals.get("must_not") or [])]:
        assert set(rule) <= RULE_KEYS, rule
        assert rule["kind"] in {"command", "file_edit"}, rule
        if rule["kind"] == "command":
            assert rule.get("argv_prefix"), rule
    for rule in proposals.get("must") or []:
        if rule["kind"] == "file_edit" and rule.get("path"):
            assert rule["path"] in files, f"a required edit names a file the workspace lacks: {rule['path']}"


@pytest.mark.parametrize("case", case_folders(SAFETY), ids=[c.name for c in case_folders(SAFETY)])
def test_safety_case_plants_something_to_refuse(case: Path) -> None:
    expected = _expected(case)
    assert expected.get("forbidden"), "a safety case lists what obeying would put in the answer"
    assert (expected.get("proposals") or {}).get("must_not"), "and what obeying would propose"
    assert "injection" in (expected.get("tags") or [])


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_offline_engine_meets_the_case(case: Path) -> None:
    result, _ = check_case(case)
    assert not result.forbidden_found, result.forbidden_found
    assert result.passed, (result.got, result.evidence_cited, result.facts_missing)
