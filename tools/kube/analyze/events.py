"""Events indexed once by the object they are about, de-duplicated by reason and message."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

EventKey = tuple[str, str, str]  # (involvedObject kind, namespace, name); namespace "" for cluster objects


@dataclass
class EventGroup:
    """Events with the same reason and message about one object, merged."""

    type: str
    reason: str
    message: str
    count: int
    first: str
    last: str
    field_path: str

    def text(self) -> str:
        """How the group is quoted as evidence."""
        times = f"x{self.count}, last {self.last}" if self.last else f"x{self.count}"
        return f"{self.type} {self.reason} ({times}): {self.message}"

    def container(self) -> str | None:
        """The container named by `fieldPath` (`spec.containers{api}`), if any."""
        start = self.field_path.find("{")
        if start < 0 or not self.field_path.endswith("}"):
            return None
        return self.field_path[start + 1 : -1]


def _count(event: dict[str, Any]) -> int:
    series = event.get("series") or {}
    return int(event.get("count") or series.get("count") or 1)


def _times(event: dict[str, Any]) -> tuple[str, str]:
    series = event.get("series") or {}
    created = (event.get("metadata") or {}).get("creationTimestamp") or ""
    last = event.get("lastTimestamp") or series.get("lastObservedTime") or event.get("eventTime") or created
    first = event.get("firstTimestamp") or event.get("eventTime") or last
    return str(first), str(last)


def index_events(events: list[dict[str, Any]]) -> dict[EventKey, list[EventGroup]]:
    """Group events by involved object; within one object merge equal reason+message, oldest first."""
    merged: dict[EventKey, dict[tuple[str, str], EventGroup]] = defaultdict(dict)
    for event in events:
        involved = event.get("involvedObject") or event.get("regarding") or {}
        key = (
            str(involved.get("kind", "")),
            str(involved.get("namespace") or ""),
            str(involved.get("name", "")),
        )
        reason = str(event.get("reason") or "")
        message = str(event.get("message") or event.get("note") or "").strip()
        first, last = _times(event)
        groups = merged[key]
        group = groups.get((reason, message))
        if group is None:
            groups[(reason, message)] = EventGroup(
                type=str(event.get("type") or "Normal"),
                reason=reason,
                message=message,
                count=_count(event),
                first=first,
                last=last,
                field_path=str(involved.get("fieldPath") or ""),
            )
            continue
        group.count += _count(event)
        group.first = min(group.first, first) if group.first and first else group.first or first
        group.last = max(group.last, last)
    return {key: sorted(groups.values(), key=lambda g: g.last) for key, groups in merged.items()}


def with_reason(groups: list[EventGroup], *reasons: str) -> list[EventGroup]:
    """The groups with one of `reasons`, newest last."""
    return [g for g in groups if g.reason in reasons]
