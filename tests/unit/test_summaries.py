"""The scheduler summary names the reason that really keeps a pod Pending."""

from __future__ import annotations

import pytest

from tools.logs.summaries import dominant_spans

CASES = [
    (
        "0/9 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unschedulable: }, "
        "2 Insufficient nvidia.com/gpu, 6 node(s) didn't match Pod's node affinity/selector. preemption: 0/9 "
        "nodes are available: 9 Preemption is not helpful for scheduling.",
        ["2 Insufficient nvidia.com/gpu, "],
    ),
    (
        "0/21 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }, "
        "20 node(s) didn't match Pod's node affinity/selector.",
        ["20 node(s) didn't match Pod's node affinity/selector"],
    ),
    (
        "0/5 nodes are available: 2 Insufficient cpu, 3 node(s) had untolerated taint {dedicated: gpu}.",
        ["3 node(s) had untolerated taint {dedicated: gpu}"],
    ),
]


@pytest.mark.parametrize(("line", "expected"), CASES)
def test_dominant_reason(line: str, expected: list[str]) -> None:
    spans = dominant_spans(line)
    assert spans is not None
    assert [line[a:b] for a, b in spans] == expected


@pytest.mark.parametrize(
    "line", ["0/3 nodes are available: 3 Insufficient memory.", "Error: secret x not found"]
)
def test_single_reason_or_other_lines_are_left_alone(line: str) -> None:
    assert dominant_spans(line) is None
