"""Consolidate findings around each root cause: one cause, with all its evidence.

Other signatures of a cause's category corroborate it; symptoms it explains, generic
findings next to it and unexplained error lines right beside it are its consequences.
"""

from __future__ import annotations

from tools.findings import Finding
from tools.resources import causality

MAX_EVIDENCE_MERGED = 12
MERGED_EVIDENCE_PER_FINDING = 3
GENERIC_PRIORITY = 45  # signatures at or below this name a consequence more than a cause
NEAR_LINES = 30
SAME_EVENT_LINES = 3  # an unexplained error line this close to a cause is part of the same event


def link_nearby_consequences(findings: list[Finding], priorities: dict[str, int]) -> list[Finding]:
    """Fold generic findings into a specific cause they sit next to.

    A symptom or a bare traceback within a few lines of a specific cause in the same
    input is that cause's consequence, and an unexplained error line right beside it is
    part of the same event: their lines become the cause's evidence.
    """
    causes: list[Finding] = []
    kept: list[Finding] = []
    for finding in findings:
        owner = next((cause for cause in causes if _belongs_to(cause, finding, priorities)), None)
        if owner is not None:
            _absorb(owner, finding)
            continue
        kept.append(finding)
        if (
            finding.role == "cause"
            and finding.engine == "signature"
            and priorities.get(finding.id, 0) > GENERIC_PRIORITY
        ):
            causes.append(finding)
    return kept


def _belongs_to(cause: Finding, other: Finding, priorities: dict[str, int]) -> bool:
    if other.engine == "mining":
        return _within(cause, other, SAME_EVENT_LINES)
    generic = other.role == "symptom" or (
        other.role == "cause" and priorities.get(other.id, 100) <= GENERIC_PRIORITY
    )
    return generic and _explains_nearby(cause, other)


def _within(cause: Finding, other: Finding, distance: int) -> bool:
    return any(
        a.source == b.source and abs(a.line - b.line) <= distance
        for a in cause.evidence
        for b in other.evidence
    )


def _explains_nearby(cause: Finding, other: Finding) -> bool:
    """Whether `other` is a consequence of `cause`.

    A generic cause (a bare traceback) only when the causality graph says the cause explains
    its category and it sits nearby; a symptom when it sits nearby, or anywhere in the same
    input when the cause's category explains the symptom's.
    """
    explained = other.category == cause.category or other.category in causality().get(cause.category, ())
    if other.role == "cause":
        return explained and _within(cause, other, NEAR_LINES)
    shares_input = {e.source for e in cause.evidence} & {e.source for e in other.evidence}
    return _within(cause, other, NEAR_LINES) or (explained and bool(shares_input))


def merge_same_category(findings: list[Finding]) -> list[Finding]:
    """Fold other signatures of a cause's category into it: one root cause, all its evidence.

    A second signature of the same category corroborates the cause (`Exit Code: 137` next
    to `OOMKilled`); a symptom of the same category is explained by it. Findings of the
    same signature (another Secret's name) and recovered or mined ones stay separate.
    """
    primaries: dict[str, Finding] = {}
    kept: list[Finding] = []
    for finding in findings:
        primary = primaries.get(finding.category)
        mergeable = finding.engine == "signature" and finding.role in ("cause", "symptom")
        if primary is not None and mergeable and finding.id != primary.id:
            _absorb(primary, finding)
            continue
        kept.append(finding)
        if mergeable and finding.role == "cause" and finding.category not in primaries:
            primaries[finding.category] = finding
    return kept


def _absorb(primary: Finding, other: Finding) -> None:
    seen = {(e.source, e.line) for e in primary.evidence}
    added = [e for e in other.evidence if (e.source, e.line) not in seen][:MERGED_EVIDENCE_PER_FINDING]
    if other.engine == "mining" and not added:
        return  # its lines already are the cause's evidence: nothing to say
    verb = {"symptom": "Explains the symptom", "cause": "Corroborated by"}[other.role]
    if other.engine == "mining":
        verb = "Same event as the unrecognised error"
    primary.notes.append(f"{verb} {other.id}: {other.title}")
    room = max(0, MAX_EVIDENCE_MERGED - len(primary.evidence))
    primary.evidence = [*primary.evidence, *added[:room]]
    if other.role == "cause" and other.engine == "signature":
        primary.confidence = round(min(primary.confidence + 0.03, 0.99), 2)
