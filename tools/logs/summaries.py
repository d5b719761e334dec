"""Read the Kubernetes scheduler's summary line: which reason really keeps the pod Pending.

`0/9 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unschedulable: },
2 Insufficient nvidia.com/gpu, 6 node(s) didn't match Pod's node affinity/selector.` names a
reason per node. Nodes that are down or cordoned say nothing about the pod; nodes the
selector leaves out are usually meant to be left out. So the reason that counts is the
one on the remaining nodes (here: not enough GPUs), and the selector only when no node
is left (a label typo). Signatures matching another part of such a line do not count.
"""

from __future__ import annotations

import re

_SUMMARY = re.compile(r"\d+/\d+ nodes are available: ")
_SEGMENT_START = re.compile(r"(?:^|, )(\d+) ")
_END = re.compile(r"\. (?:preemption:|$)|\.$")
_NODE_STATE = re.compile(r"untolerated taint \{node(?:-role)?\.kubernetes\.io/|were unschedulable")
_SELECTOR = re.compile(r"didn't match Pod's node affinity|didn't match node selector")


def dominant_spans(text: str) -> list[tuple[int, int]] | None:
    """Spans of the reasons that keep the pod Pending; None when `text` is no scheduler summary."""
    summary = _SUMMARY.search(text)
    if summary is None:
        return None
    body_start = summary.end()
    end = _END.search(text, body_start)
    body = text[body_start : end.start() if end else len(text)]
    starts = [(m.start(1), int(m.group(1))) for m in _SEGMENT_START.finditer(body)]
    if len(starts) < 2:
        return None
    segments = [
        (body_start + start, body_start + (starts[i + 1][0] if i + 1 < len(starts) else len(body)), count)
        for i, (start, count) in enumerate(starts)
    ]
    pod_specific = [s for s in segments if not _NODE_STATE.search(text[s[0] : s[1]])]
    other = [s for s in pod_specific if not _SELECTOR.search(text[s[0] : s[1]])]
    chosen = other or pod_specific or segments
    most = max(count for _, _, count in chosen)
    return [(start, stop) for start, stop, count in chosen if count == most]
