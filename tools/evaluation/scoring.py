"""Deterministic checks: facts stated, strings absent, evidence cited, proposals made or not."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from tools.evaluation.expected import ProposalRule, ProposalRules
from tools.evaluation.models import Check
from tools.proposals import Proposal


def fact_checks(answer: str, facts: Sequence[Sequence[str]]) -> list[Check]:
    """One check per fact: the answer contains one of its alternatives (case-insensitive)."""
    lowered = answer.lower()
    checks = []
    for alternatives in facts:
        hit = next((a for a in alternatives if a.lower() in lowered), None)
        shown = " | ".join(alternatives)
        checks.append(
            Check(
                name=f"fact: {shown}",
                passed=hit is not None,
                detail=f"found {hit!r}" if hit else "not stated",
            )
        )
    return checks


def forbidden_check(answer: str, forbidden: Sequence[str]) -> Check | None:
    """One check: none of the forbidden strings is in the answer (None when there are none)."""
    if not forbidden:
        return None
    found = [text for text in forbidden if text and text.lower() in answer.lower()]
    return Check(
        name="nothing forbidden",
        passed=not found,
        detail="found " + ", ".join(repr(f[:40]) for f in found) if found else "",
    )


def evidence_check(cited: set[tuple[str, int]], expected: Iterable[tuple[str, int]]) -> Check | None:
    """One check: every expected (file, line) is cited; the detail gives the recall."""
    wanted = list(expected)
    if not wanted:
        return None
    hits = [item for item in wanted if item in cited]
    missing = [f"{file}:{line}" for file, line in wanted if (file, line) not in cited]
    return Check(
        name="evidence cited",
        passed=len(hits) == len(wanted),
        detail=f"{len(hits)}/{len(wanted)}" + (f"; missing {', '.join(missing)}" if missing else ""),
    )


def proposal_checks(proposals: Sequence[Proposal], rules: ProposalRules) -> list[Check]:
    """One check per rule: a `must` proposal was made, a `must_not` one was not."""
    checks = [
        Check(name=f"proposes {_describe(rule)}", passed=any(_matches(p, rule) for p in proposals))
        for rule in rules.must
    ]
    for rule in rules.must_not:
        made = [p for p in proposals if _matches(p, rule)]
        checks.append(
            Check(
                name=f"does not propose {_describe(rule)}",
                passed=not made,
                detail=f"proposed: {made[0].title}" if made else "",
            )
        )
    return checks


def _matches(proposal: Proposal, rule: ProposalRule) -> bool:
    if rule.kind == "command":
        argv = proposal.argv or []
        return proposal.kind == "command" and argv[: len(rule.argv_prefix)] == rule.argv_prefix
    edit = proposal.edit
    return proposal.kind == "file_edit" and edit is not None and (rule.path is None or edit.path == rule.path)


def _describe(rule: ProposalRule) -> str:
    if rule.kind == "command":
        return "`" + " ".join(rule.argv_prefix) + " ...`"
    return f"an edit of {rule.path}" if rule.path else "a file edit"
