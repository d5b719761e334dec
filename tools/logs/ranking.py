"""Turn scan tallies and mined clusters into ranked findings: the root cause first.

Order: causes that did not recover, then unexplained clusters with fatal or error
words, then symptoms (CrashLoopBackOff, exit codes), then anything that recovered.
Inside a group: the more specific signature (priority), the worse severity, the
earlier first occurrence.
"""

from __future__ import annotations

from tools.findings import Finding
from tools.logs.catalogue import Signature
from tools.logs.consolidate import link_nearby_consequences, merge_same_category
from tools.logs.mining import MinedCluster
from tools.logs.scanner import LineRef, ScanState
from tools.logs.to_findings import MAX_VARIANTS, collapse, finding_from_cluster, finding_from_tally, variants
from tools.redaction.secrets import Redactor
from tools.resources import causality

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
    for tallies in variants(state).values():
        signature = signatures[tallies[0].signature]
        tally = collapse(signature, tallies) if len(tallies) > MAX_VARIANTS else None
        for each in [tally] if tally else tallies:
            finding, role_key = finding_from_tally(signature, each, state, redactor)
            if tally is not None:
                shown = ", ".join(redactor.redact(t.title) for t in tallies[:MAX_VARIANTS])
                finding.notes.append(f"Seen in {len(tallies)} variants, among them: {shown}.")
            order = _order(each.first, source_order)
            scored.append(
                ((_ROLE_RANK[role_key], signature.priority, signature.severity.rank, -order), finding)
            )
    for number, cluster in enumerate(mined, start=1):
        finding = finding_from_cluster(number, cluster, redactor)
        role_key = "mined" if cluster.level >= 2 else "mined-low"
        scored.append(
            ((_ROLE_RANK[role_key], 0, finding.severity.rank, -_order(cluster.first, source_order)), finding)
        )
    _demote_explained(scored)
    scored.sort(key=lambda item: item[0], reverse=True)
    priorities = {s.id: s.priority for s in signatures}
    merged = merge_same_category([finding for _, finding in scored])
    linked = link_nearby_consequences(merged, priorities)
    for finding in linked:  # evidence was kept most telling first; show it in reading order
        finding.evidence = sorted(finding.evidence, key=lambda e: (source_order.get(e.source, 0), e.line))
    return linked


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


def _order(ref: LineRef | None, source_order: dict[str, int]) -> float:
    if ref is None:
        return 0.0
    return source_order.get(ref.source, 0) * 1e12 + ref.line
