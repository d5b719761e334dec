"""Turn scan tallies and mined clusters into ranked findings: the root cause first.

Order: causes that did not recover, then unexplained clusters with fatal or error
words, then symptoms (CrashLoopBackOff, exit codes), then anything that recovered.
Inside a group: the more specific signature (priority), the worse severity, the
earlier first occurrence.
"""

from __future__ import annotations

from tools.findings import Evidence, Finding, Occurrence, Reference, Severity
from tools.logs.catalogue import Signature
from tools.logs.classify import UNCLASSIFIED, guess_category
from tools.logs.mining import MinedCluster
from tools.logs.normalize import template_key
from tools.logs.scanner import LineRef, ScanState, Tally, render_title
from tools.redaction.secrets import Redactor
from tools.resources import causality, runbook_path, taxonomy

MAX_EVIDENCE = 6
MAX_VARIANTS = 3  # more distinct titles than this for one signature collapse into one finding
MAX_EVIDENCE_MERGED = 12
MERGED_EVIDENCE_PER_FINDING = 3
GENERIC_PRIORITY = 45  # signatures at or below this name a consequence more than a cause
NEAR_LINES = 30
SAME_EVENT_LINES = 3  # an unexplained error line this close to a cause is part of the same event
_ROLE_RANK = {"cause": 4, "explained": 3.5, "mined": 3, "mined-low": 1.5, "symptom": 2, "context": 0}


def rank_findings(
    signatures: list[Signature],
    state: ScanState,
    mined: list[MinedCluster],
    source_order: dict[str, int],
    redactor: Redactor,
) -> list[Finding]:
    """All findings of a scan, best explanation first."""
    scored: list[tuple[tuple[float, ...], Finding]] = []
    for tallies in _variants(state).values():
        signature = signatures[tallies[0].signature]
        tally = _collapse(signature, tallies) if len(tallies) > MAX_VARIANTS else None
        for each in [tally] if tally else tallies:
            finding, role_key = _from_tally(signature, each, state, redactor)
            if tally is not None:
                shown = ", ".join(redactor.redact(t.title) for t in tallies[:MAX_VARIANTS])
                finding.notes.append(f"Seen in {len(tallies)} variants, among them: {shown}.")
            order = _order(each.first, source_order)
            scored.append(
                ((_ROLE_RANK[role_key], signature.priority, signature.severity.rank, -order), finding)
            )
    for number, cluster in enumerate(mined, start=1):
        finding = _from_cluster(number, cluster, redactor)
        role_key = "mined" if cluster.level >= 2 else "mined-low"
        scored.append(
            ((_ROLE_RANK[role_key], 0, finding.severity.rank, -_order(cluster.first, source_order)), finding)
        )
    _demote_explained(scored)
    scored.sort(key=lambda item: item[0], reverse=True)
    priorities = {s.id: s.priority for s in signatures}
    merged = _merge_same_category([finding for _, finding in scored])
    linked = _link_nearby_consequences(merged, priorities)
    for finding in linked:  # evidence was kept most telling first; show it in reading order
        finding.evidence = sorted(finding.evidence, key=lambda e: (source_order.get(e.source, 0), e.line))
    return linked


def _variants(state: ScanState) -> dict[int, list[Tally]]:
    """Tallies grouped by signature, earliest first: one per rendered title."""
    grouped: dict[int, list[Tally]] = {}
    for tally in state.tallies.values():
        grouped.setdefault(tally.signature, []).append(tally)
    for tallies in grouped.values():
        tallies.sort(key=lambda t: (t.first.source, t.first.line) if t.first else ("", 0))
    return grouped


def _collapse(signature: Signature, tallies: list[Tally]) -> Tally:
    """Many variants of one signature (a different address each time) make one finding."""
    merged = Tally(signature=tallies[0].signature, title=render_title(signature.title, {}))
    for tally in tallies:
        merged.count += tally.count
        for ref in (tally.first, tally.last):
            if ref is not None and (
                merged.first is None or (ref.source, ref.line) < (merged.first.source, merged.first.line)
            ):
                merged.first = ref
            if ref is not None and (
                merged.last is None or (ref.source, ref.line) > (merged.last.source, merged.last.line)
            ):
                merged.last = ref
        for source, last in tally.last_line_by_source.items():
            merged.last_line_by_source[source] = max(last, merged.last_line_by_source.get(source, 0))
        merged.decisive.extend(tally.decisive[: max(0, 2 - len(merged.decisive))])
        if merged.worst is None:
            merged.worst = tally.worst
        if tally.first is not None:
            merged.samples.setdefault(tally.first.source, [])
            if len(merged.samples[tally.first.source]) < 3:
                merged.samples[tally.first.source].append(tally.first)
    return merged


def _demote_explained(scored: list[tuple[tuple[float, ...], Finding]]) -> None:
    """Rank a cause below the causes that explain it (knowledge/causality.yaml)."""
    graph = causality()
    present = {f.category: f for _, f in scored if f.role == "cause" and f.engine == "signature"}
    for index, (key, finding) in enumerate(scored):
        if finding.role != "cause" or finding.engine != "signature":
            continue
        explainer = next(
            (cause for category, cause in present.items() if finding.category in graph.get(category, ())),
            None,
        )
        if explainer is not None:
            finding.notes.append(f"Likely a consequence of {explainer.category} ({explainer.title}).")
            scored[index] = ((_ROLE_RANK["explained"], *key[1:]), finding)


def _link_nearby_consequences(findings: list[Finding], priorities: dict[str, int]) -> list[Finding]:
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


def _merge_same_category(findings: list[Finding]) -> list[Finding]:
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
    verb = {"symptom": "Explains the symptom", "cause": "Corroborated by"}[other.role]
    if other.engine == "mining":
        verb = "Same event as the unrecognised error"
    primary.notes.append(f"{verb} {other.id}: {other.title}")
    seen = {(e.source, e.line) for e in primary.evidence}
    added = [e for e in other.evidence if (e.source, e.line) not in seen][:MERGED_EVIDENCE_PER_FINDING]
    room = max(0, MAX_EVIDENCE_MERGED - len(primary.evidence))
    primary.evidence = [*primary.evidence, *added[:room]]
    if other.role == "cause":
        primary.confidence = round(min(primary.confidence + 0.03, 0.99), 2)


def _order(ref: LineRef | None, source_order: dict[str, int]) -> float:
    if ref is None:
        return 0.0
    return source_order.get(ref.source, 0) * 1e12 + ref.line


def _recovery_line(tally: Tally, state: ScanState) -> int | None:
    """The line that shows recovery, when every source recovered after its last occurrence."""
    lines = []
    for source, last in tally.last_line_by_source.items():
        recovered = state.recovered_at.get((tally.signature, source))
        if recovered is None or recovered <= last:
            return None
        lines.append(recovered)
    return max(lines) if lines else None


def _from_tally(
    signature: Signature, tally: Tally, state: ScanState, redactor: Redactor
) -> tuple[Finding, str]:
    notes: list[str] = []
    recovery = _recovery_line(tally, state)
    role: str = signature.role
    severity = signature.severity
    confidence = 0.55 + signature.priority * 0.004 if role == "cause" else 0.3
    if recovery is not None:
        notes.append(f"Recovered: line {recovery} shows the problem went away after its last occurrence.")
        role, severity, confidence = "context", Severity.LOW, confidence * 0.4
    elif role == "symptom":
        notes.append("Symptom: a consequence of another problem; look for the cause ranked above it.")
    evidence = _evidence(tally, redactor)
    first, last = tally.first, tally.last
    if first is None or last is None:  # a tally is created by its first line
        raise ValueError(f"empty tally for {signature.id}")
    finding = Finding(
        id=signature.id,
        category=signature.category,
        title=redactor.redact(tally.title),
        severity=severity,
        evidence=evidence,
        explanation=signature.explanation.strip(),
        fix=signature.fix.strip(),
        references=[_runbook(signature.runbook_category)],
        confidence=round(min(confidence, 0.99), 2),
        engine="signature",
        role=role,
        occurrence=Occurrence(
            count=tally.count,
            first_line=first.line,
            last_line=last.line,
            first_seen=first.timestamp,
            last_seen=last.timestamp,
            sources=sorted(tally.last_line_by_source),
        ),
        notes=notes,
    )
    return finding, role


def _evidence(tally: Tally, redactor: Redactor) -> list[Evidence]:
    chosen: list[LineRef] = []
    candidates = [  # most telling first: the match, the lines that carry its details, the latest
        *([tally.first] if tally.first else []),
        *([tally.worst] if tally.worst else []),
        *tally.decisive,
        *([tally.last] if tally.last else []),
        *(ref for refs in tally.samples.values() for ref in refs),
    ]
    for ref in candidates:
        if len(chosen) >= MAX_EVIDENCE:
            break
        if all((ref.source, ref.line) != (c.source, c.line) for c in chosen):
            chosen.append(ref)
    return [Evidence(source=ref.source, line=ref.line, text=redactor.redact(ref.text)) for ref in chosen]


def _from_cluster(number: int, cluster: MinedCluster, redactor: Redactor) -> Finding:
    category, score = guess_category(cluster.template)
    # shown from the redacted line, never from the template: masking numbers first could
    # hide a secret from the redactor (S3cr3t becomes S<*>cr<*>t)
    template = template_key(redactor.redact(cluster.first.text))
    refs = [cluster.first] if cluster.first == cluster.last else [cluster.first, cluster.last]
    guessed = "" if category == UNCLASSIFIED else f" The wording is closest to category {category}."
    return Finding(
        id=f"mined-{number}",
        category=category,
        title=f"Unrecognised error ({cluster.count}x): {template[:160]}",
        severity=Severity.HIGH
        if cluster.level >= 3
        else Severity.MEDIUM
        if cluster.level == 2
        else Severity.LOW,
        evidence=[Evidence(source=r.source, line=r.line, text=redactor.redact(r.text)) for r in refs],
        explanation="No known signature explains these lines; they were grouped by log-template mining "
        f"because they look like errors and are unusual in this input.{guessed}",
        fix="Read the quoted lines and what precedes them; if this is a known failure mode, add a signature "
        "for it (docs/signatures.md) so the next diagnosis names it.",
        references=[_runbook(category)] if category != UNCLASSIFIED else [],
        confidence=round(min(0.2 + score / 100, 0.4), 2),
        engine="mining",
        role="cause",
        occurrence=Occurrence(
            count=cluster.count,
            first_line=cluster.first.line,
            last_line=cluster.last.line,
            first_seen=cluster.first.timestamp,
            last_seen=cluster.last.timestamp,
            sources=sorted({cluster.first.source, cluster.last.source}),
        ),
    )


def _runbook(category: str) -> Reference:
    return Reference(title=f"Runbook: {taxonomy().get(category, category)}", path=runbook_path(category))
