"""Build findings from what the scan tallied: one per signature and title, one per mined cluster."""

from __future__ import annotations

from tools.findings import Evidence, Finding, Occurrence, Reference, Severity
from tools.logs.catalogue import Signature
from tools.logs.classify import UNCLASSIFIED, guess_category
from tools.logs.mining import MinedCluster
from tools.logs.normalize import template_key
from tools.logs.scanner import LineRef, ScanState, Tally, render_title
from tools.redaction.secrets import Redactor
from tools.resources import runbook_path, taxonomy

MAX_EVIDENCE = 6
MAX_VARIANTS = 3  # more distinct titles than this for one signature collapse into one finding


def variants(state: ScanState) -> dict[int, list[Tally]]:
    """Tallies grouped by signature, earliest first: one per rendered title."""
    grouped: dict[int, list[Tally]] = {}
    for tally in state.tallies.values():
        grouped.setdefault(tally.signature, []).append(tally)
    for tallies in grouped.values():
        tallies.sort(key=lambda t: (t.first.source, t.first.line) if t.first else ("", 0))
    return grouped


def collapse(signature: Signature, tallies: list[Tally]) -> Tally:
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


def _recovery_line(tally: Tally, state: ScanState) -> int | None:
    """The line that shows recovery, when every source recovered after its last occurrence."""
    lines = []
    for source, last in tally.last_line_by_source.items():
        recovered = state.recovered_at.get((tally.signature, source))
        if recovered is None or recovered <= last:
            return None
        lines.append(recovered)
    return max(lines) if lines else None


def finding_from_tally(
    signature: Signature, tally: Tally, state: ScanState, redactor: Redactor
) -> tuple[Finding, str]:
    """The finding of one tally, and its ranking role (cause, symptom, or context once recovered)."""
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


def finding_from_cluster(number: int, cluster: MinedCluster, redactor: Redactor) -> Finding:
    """The finding of one mined cluster of unexplained error lines."""
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
