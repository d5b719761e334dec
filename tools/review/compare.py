"""New, existing and fixed: a head finding the base did not have is what the change brought."""

from __future__ import annotations

from collections import Counter

from tools.review.checks import Located, TreeResult
from tools.review.models import ChangedFile, FixedFinding, ReviewFinding

_Key = tuple[str, str | None, str | None, str | None, str]


def compare(
    head: TreeResult, base: TreeResult, changes: list[ChangedFile]
) -> tuple[list[ReviewFinding], list[FixedFinding]]:
    """Head findings marked new or existing, and the base findings the head no longer has.

    Findings are matched by policy id, file (following renames), object, field and title,
    never by line, so moved code does not count as new. Existing findings are kept only in
    the files the change touches; a new one is kept anywhere (a change can break a file it
    did not touch, such as a Service whose Deployment's labels changed).
    """
    renamed: dict[str | None, str] = {c.old_path: c.path for c in changes if c.old_path}
    touched = {c.path for c in changes}
    lines = {c.path: set(c.changed_lines) for c in changes}
    remaining = Counter(_key(loc, renamed) for loc in base.located)
    base_by_key = {_key(loc, renamed): loc for loc in base.located}
    found: list[ReviewFinding] = []
    seen: set[tuple[_Key, int | None]] = set()
    for loc in head.located:
        key = _key(loc, {})
        if (key, loc.line) in seen:
            continue
        seen.add((key, loc.line))
        existing = remaining[key] > 0
        if existing:
            remaining[key] -= 1
            if loc.path not in touched:
                continue
        found.append(
            ReviewFinding(
                finding=loc.finding,
                path=loc.path,
                line=loc.line,
                status="existing" if existing else "new",
                on_changed_line=loc.line is not None and loc.line in lines.get(loc.path or "", set()),
            )
        )
    fixed = [
        FixedFinding(
            id=base_by_key[key].finding.id,
            title=base_by_key[key].finding.title,
            severity=base_by_key[key].finding.severity,
            path=key[1],
            resource=base_by_key[key].finding.resource,
        )
        for key, count in remaining.items()
        if count > 0
    ]
    found.sort(key=lambda rf: (rf.status != "new", -rf.finding.severity.rank, rf.path or "", rf.line or 0))
    return found, fixed


def _key(loc: Located, renamed: dict[str | None, str]) -> _Key:
    finding = loc.finding
    path = renamed.get(loc.path, loc.path)
    return (finding.id, path, finding.resource, finding.field_path, finding.title)
