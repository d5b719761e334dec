"""Guess a taxonomy category for an error line no signature explains.

Word overlap with the taxonomy's own descriptions, weighted by how rare each word
is among them: good enough to point a mined cluster at the right runbook, and
honest about it (low confidence, or 'unclassified').
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache

from tools.resources import taxonomy

UNCLASSIFIED = "unclassified"
_WORD = re.compile(r"[a-z][a-z0-9]{2,}")
_STOP = frozenset(
    "the and for not with from that this does its are was has have can cannot fails fail failed error errors "
    "object cause because when which into than any all per one own reason other failure unknown".split()
)


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP}


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, set[str]], dict[str, float]]:
    by_category = {
        category: _words(f"{category.replace('.', ' ').replace('_', ' ')} {text}")
        for category, text in taxonomy().items()
    }
    frequency = Counter(word for words in by_category.values() for word in words)
    total = len(by_category)
    weights = {word: math.log(1 + total / count) for word, count in frequency.items()}
    return by_category, weights


def guess_category(text: str, minimum: float = 3.0) -> tuple[str, float]:
    """The best-fitting category for `text` and a score; UNCLASSIFIED when nothing fits well."""
    by_category, weights = _index()
    words = _words(text)
    best, best_score, best_overlap = UNCLASSIFIED, 0.0, 0
    for category, vocabulary in by_category.items():
        overlap = words & vocabulary
        score = sum(weights[w] for w in overlap)
        if score > best_score:
            best, best_score, best_overlap = category, score, len(overlap)
    if best_score < minimum or best_overlap < 2:
        return UNCLASSIFIED, best_score
    return best, best_score
