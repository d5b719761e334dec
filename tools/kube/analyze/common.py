"""What every analyzer shares: the run's context, finding construction, cause/symptom links."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from tools.findings import Evidence, Finding, Occurrence, Severity
from tools.kube.analyze.events import EventGroup
from tools.kube.analyze.index import ClusterIndex, Obj
from tools.kube.snapshot import resource_label

Role = Literal["cause", "symptom", "context"]


@dataclass
class Context:
    """The index and the findings made so far, so later analyzers can link to earlier ones."""

    index: ClusterIndex
    findings: list[Finding] = field(default_factory=list)
    by_resource: dict[str, list[Finding]] = field(default_factory=dict)
    causes: dict[int, list[Finding]] = field(default_factory=dict)  # id(symptom) -> what explains it

    def add(self, finding: Finding) -> Finding:
        """Record a finding."""
        self.findings.append(finding)
        self.by_resource.setdefault(finding.resource or "", []).append(finding)
        return finding

    def on(self, kind: str, obj: Obj) -> list[Finding]:
        """Findings already made about one object."""
        return self.by_resource.get(resource_label(kind, obj), [])

    def root_causes(self, findings: list[Finding]) -> list[Finding]:
        """The causes behind `findings`: causes themselves, symptoms followed to theirs; no context."""
        roots: list[Finding] = []
        seen: set[int] = set()
        stack = list(reversed(findings))
        while stack:
            found = stack.pop()
            if id(found) in seen:
                continue
            seen.add(id(found))
            if found.role == "cause":
                roots.append(found)
            elif found.role == "symptom":
                stack.extend(reversed(self.causes.get(id(found), [])))
        return roots

    def link(self, symptom: Finding, causes: list[Finding]) -> Finding:
        """Make `symptom` a consequence of `causes`, noted on both sides."""
        if not causes:
            return symptom
        symptom.role = "symptom"
        self.causes.setdefault(id(symptom), []).extend(causes)
        for cause in causes[:3]:
            symptom.notes.append(f"symptom of {cause.resource}: {cause.title} ({cause.id}, {cause.category})")
        if len(causes) > 3:
            symptom.notes.append(f"... and {len(causes) - 3} more findings behind it")
        for cause in causes:
            note = f"explains {symptom.resource} ({symptom.id})"
            if note not in cause.notes:
                cause.notes.append(note)
        return symptom


def status_source(kind: str, obj: Obj) -> str:
    """Evidence source for an object's status: `Pod/shop/api-7d9f status`."""
    return f"{resource_label(kind, obj)} status"


def events_source(kind: str, obj: Obj) -> str:
    """Evidence source for the events about an object."""
    return f"{resource_label(kind, obj)} events"


def evidence(quotes: list[tuple[str, str]]) -> list[Evidence]:
    """Evidence from (source, text) pairs, lines numbered 1.. within each source."""
    numbers: dict[str, int] = {}
    out: list[Evidence] = []
    for source, text in quotes:
        numbers[source] = numbers.get(source, 0) + 1
        out.append(Evidence(source=source, line=numbers[source], text=text))
    return out


def event_quotes(kind: str, obj: Obj, groups: list[EventGroup], limit: int = 3) -> list[tuple[str, str]]:
    """The newest `limit` event groups as quotes."""
    source = events_source(kind, obj)
    return [(source, group.text()) for group in groups[-limit:]]


def occurrence(kind: str, obj: Obj, groups: list[EventGroup]) -> Occurrence | None:
    """How often and when the events behind a finding happened."""
    if not groups:
        return None
    firsts = [g.first for g in groups if g.first]
    lasts = [g.last for g in groups if g.last]
    return Occurrence(
        count=sum(g.count for g in groups),
        first_line=1,
        last_line=len(groups),
        first_seen=min(firsts) if firsts else None,
        last_seen=max(lasts) if lasts else None,
        sources=[events_source(kind, obj)],
    )


def make(
    *,
    id: str,
    category: str,
    kind: str,
    obj: Obj,
    title: str,
    severity: Severity,
    quotes: list[tuple[str, str]],
    explanation: str,
    fix: str,
    confidence: float,
    role: Role = "cause",
    groups: list[EventGroup] | None = None,
    field_path: str | None = None,
) -> Finding:
    """A cluster finding about one object."""
    return Finding(
        id=id,
        category=category,
        title=title,
        severity=severity,
        evidence=evidence(quotes),
        explanation=explanation,
        fix=fix,
        confidence=confidence,
        engine="cluster",
        role=role,
        occurrence=occurrence(kind, obj, groups or []),
        resource=resource_label(kind, obj),
        field_path=field_path,
    )
