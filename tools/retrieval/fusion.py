"""Combine rankings: reciprocal rank fusion, with exact error strings first.

Reciprocal rank fusion scores a document by the sum of 1/(k + rank) over the
rankings it appears in; it needs no score calibration between BM25 and cosine.
On top of it, chunks that contain the query's exact error string (or a quoted
phrase of it, or every identifier it names) come first, because an engineer who
pastes `ErrImagePull` wants the page that says `ErrImagePull`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

RRF_K = 60
_QUOTED = re.compile(r"\"([^\"]{3,})\"|'([^']{3,})'|`([^`]{3,})`")
_IDENTIFIER = re.compile(
    r"\b(?=[A-Za-z0-9._/:-]*[A-Z0-9._/:])[A-Za-z][A-Za-z0-9]*[A-Z0-9][A-Za-z0-9._/:-]*\b"
)


def reciprocal_rank_fusion(rankings: Sequence[Sequence[str]], k: int = RRF_K) -> dict[str, float]:
    """Fused score of every id that appears in any ranking (best first in each ranking)."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank)
    return scores


def _normal(text: str) -> str:
    return " ".join(text.lower().split())


def exact_terms(query: str) -> tuple[list[str], list[str]]:
    """The phrases to look for verbatim (the whole query of three words or more, quoted parts)
    and the identifiers it names (`ErrImagePull`, `x509`, `nvidia.com/gpu`)."""
    phrases = [next(g for g in m.groups() if g) for m in _QUOTED.finditer(query)]
    stripped = query.strip().strip("\"'`")
    if len(stripped.split()) >= 3:  # a pasted message; a question rarely appears word for word in a doc
        phrases.append(stripped)
    identifiers = [m.group() for m in _IDENTIFIER.finditer(query) if not m.group().isdigit()]
    return [_normal(p) for p in phrases], [i.lower() for i in identifiers]


def exact_tier(text: str, phrases: Sequence[str], identifiers: Sequence[str]) -> int:
    """2 when the text holds an exact phrase, 1 when it holds every identifier, else 0."""
    normal = _normal(text)
    if any(p in normal for p in phrases):
        return 2
    if identifiers and all(i in normal for i in identifiers):
        return 1
    return 0


def fuse(
    rankings: Sequence[Sequence[str]], texts: dict[str, str], query: str, k: int = RRF_K
) -> list[tuple[str, float, int]]:
    """Ids ordered by (exact tier, fused score): (id, fused score, tier), best first."""
    scores = reciprocal_rank_fusion(rankings, k)
    phrases, identifiers = exact_terms(query)
    tiers = {item: exact_tier(texts.get(item, ""), phrases, identifiers) for item in scores}
    ordered = sorted(scores, key=lambda item: (tiers[item], scores[item]), reverse=True)
    return [(item, scores[item], tiers[item]) for item in ordered]
