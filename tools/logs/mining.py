"""Surface unusual error clusters that no signature explains (Drain log-template mining).

Error-like lines that matched no signature were grouped by the scanner under a
masked key (numbers and ids replaced). Here Drain (the `drain3` library) merges
those keys into templates, and the clusters most likely to matter come first:
fatal words before plain errors, rare before frequent, early before late.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tools.logs.scanner import LineRef, Unexplained

MAX_TEMPLATES_MINED = 5_000
_LEVEL_WORDS = (
    (3, re.compile(r"(?i)\b(?:fatal|panic|critical|emerg|segfault|segmentation fault|aborted|abort)\b")),
    (
        2,
        re.compile(
            r"(?i)\b(?:error|exception|traceback|failed|failure|crash|crashed|killed|refused|denied)\b"
        ),
    ),
)
_BENIGN = re.compile(
    r"(?i)\b(?:0 errors?|no errors?|errors?=0|failed=0|0 failed|without errors?)\b"
    r"|#failure=|failure_?threshold"
)


@dataclass
class MinedCluster:
    """A group of similar unexplained error lines."""

    template: str
    count: int
    level: int
    first: LineRef
    last: LineRef


def mine(unexplained: dict[str, Unexplained], limit: int = 5) -> list[MinedCluster]:
    """The `limit` most telling clusters of unexplained error lines."""
    entries = [e for e in unexplained.values() if _telling(e.template)]
    if not entries or limit <= 0:
        return []
    entries.sort(key=lambda e: (e.first.source, e.first.line))
    entries = entries[:MAX_TEMPLATES_MINED]

    from drain3 import TemplateMiner
    from drain3.template_miner_config import TemplateMinerConfig

    config = TemplateMinerConfig()
    config.profiling_enabled = False
    config.drain_sim_th = 0.5
    config.drain_depth = 4
    miner = TemplateMiner(config=config)
    clusters: dict[int, MinedCluster] = {}
    for entry in entries:
        result = miner.add_log_message(entry.template)
        cluster_id = int(result["cluster_id"])
        existing = clusters.get(cluster_id)
        if existing is None:
            clusters[cluster_id] = MinedCluster(
                entry.template, entry.count, _level(entry.template), entry.first, entry.last
            )
        else:
            existing.count += entry.count
            existing.last = max(existing.last, entry.last, key=lambda ref: (ref.source, ref.line))
    for cluster_id, cluster in clusters.items():
        found = miner.drain.id_to_cluster.get(cluster_id)
        if found is not None:
            cluster.template = found.get_template()
            cluster.level = max(cluster.level, _level(cluster.template))
    ranked = sorted(clusters.values(), key=lambda c: (-c.level, c.count, c.first.source, c.first.line))
    return ranked[:limit]


_WORDS = re.compile(r"[A-Za-z]{2,}")


def _telling(template: str) -> bool:
    """Worth mining: not a benign count of errors, and more than a bare `Reason: Error`."""
    return not _BENIGN.search(template) and len(_WORDS.findall(template)) >= 3


def _level(text: str) -> int:
    for level, pattern in _LEVEL_WORDS:
        if pattern.search(text):
            return level
    return 1
