"""The cause a crashing container's log names, attached to the finding about its pod.

A pod in CrashLoopBackOff says only that it crashes; its previous log often says why (a
missing environment variable, a refused connection, a bad config file). Each log read
goes through the diagnose engine, and its top cause replaces a generic pod finding's
category, with the log lines as evidence.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from tools.findings import Evidence, Finding
from tools.kube.snapshot import ClusterSnapshot, LogKey

# Pod findings this vague give way to what the log says; specific ones (OOMKilled, a
# missing Secret) keep their category and only gain the log lines.
GENERIC_CATEGORIES = {"container.crash.app_error", "rollout.stuck"}
MAX_LOG_EVIDENCE = 4


def log_label(key: LogKey) -> str:
    """How evidence from a log is cited: `logs shop/api-7d9f/api (previous)`."""
    run = "previous" if key.previous else "current"
    return f"logs {key.namespace}/{key.pod}/{key.container} ({run})"


def attach_log_causes(findings: list[Finding], snapshot: ClusterSnapshot) -> list[Finding]:
    """`findings` with each pod finding told what its containers' logs say."""
    if not snapshot.logs:
        return findings
    causes = _log_causes(snapshot)
    result = []
    renamed: dict[str, tuple[str, str]] = {}  # pod -> (old category, new category)
    for finding in findings:
        cause = _cause_for(finding, causes)
        merged = _merge(finding, cause) if cause is not None else finding
        if merged.category != finding.category and finding.resource:
            renamed[finding.resource] = (finding.category, merged.category)
        result.append(merged)
    return [_follow(finding, renamed) for finding in result]


def _follow(finding: Finding, renamed: dict[str, tuple[str, str]]) -> Finding:
    """A symptom names its pod's new category; one that took its category from the pod (a Job,
    a CronJob) takes the log's cause too."""
    if finding.role != "symptom":
        return finding
    category, notes = finding.category, list(finding.notes)
    for resource, (old, new) in renamed.items():
        mine = [i for i, note in enumerate(notes) if note.startswith(f"symptom of {resource}:")]
        for i in mine:
            notes[i] = notes[i].replace(f", {old})", f", {new})")
        if mine and category == old:
            category = new
    return finding.model_copy(update={"category": category, "notes": notes})


def _log_causes(snapshot: ClusterSnapshot) -> dict[str, tuple[LogKey, Finding]]:
    """The top cause in each pod's logs, by pod label (the previous run's log first)."""
    from tools.logs.catalogue import load_catalogue
    from tools.logs.diagnose import diagnose

    catalogue = load_catalogue()
    causes: dict[str, tuple[LogKey, Finding]] = {}
    with tempfile.TemporaryDirectory(prefix="shipmate-logs-") as scratch:
        for key, text in sorted(snapshot.logs.items(), key=lambda item: not item[0].previous):
            pod = f"Pod/{key.namespace}/{key.pod}"
            if pod in causes or not text.strip():
                continue
            path = Path(scratch) / re.sub(r"[^\w.-]", "_", f"{key.namespace}.{key.pod}.{key.container}.log")
            path.write_text(text, encoding="utf-8")
            report = diagnose([str(path)], catalogue=catalogue)
            top = next((f for f in report.findings if f.role == "cause"), None)
            if top is not None:
                label = log_label(key)
                evidence = [e.model_copy(update={"source": label}) for e in top.evidence[:MAX_LOG_EVIDENCE]]
                causes[pod] = (key, top.model_copy(update={"evidence": evidence}))
    return causes


def _cause_for(finding: Finding, causes: dict[str, tuple[LogKey, Finding]]) -> Finding | None:
    if finding.resource is None or not finding.resource.startswith("Pod/"):
        return None
    found = causes.get(finding.resource)
    return found[1] if found else None


def _merge(finding: Finding, cause: Finding) -> Finding:
    evidence: list[Evidence] = [*finding.evidence, *cause.evidence]
    notes = [*finding.notes, f"cause read in the container's log ({cause.id}: {cause.title})"]
    if finding.category not in GENERIC_CATEGORIES and finding.category != cause.category:
        return finding.model_copy(update={"evidence": evidence, "notes": notes})
    return finding.model_copy(
        update={
            "category": cause.category,
            "title": f"{finding.title}: {cause.title}",
            "evidence": evidence,
            "explanation": f"{cause.explanation} {finding.explanation}".strip(),
            "fix": cause.fix or finding.fix,
            "references": [*cause.references, *finding.references],
            "confidence": max(finding.confidence, cause.confidence),
            "role": "cause",
            "notes": notes,
        }
    )
