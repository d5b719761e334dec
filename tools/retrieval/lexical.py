"""Lexical ranking (BM25, by the bm25s library) beside the dense search.

Error strings and identifiers are what engineers paste, so the tokenizer keeps them
whole (`crashloopbackoff`, `nvidia.com/gpu`, `x509`) and also adds their parts
(`crash`, `loop`, `back`, `off`; `nvidia`, `gpu`) so that a paraphrase still meets them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_TOKEN = re.compile(r"[A-Za-z0-9]+(?:[._/:-][A-Za-z0-9]+)*")
_PARTS = re.compile(r"[._/:-]")
_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")
STOPWORDS = frozenset(
    "a an and are as at be by can do does for from has have how i if in into is it its my not of "
    "on or our so that the their then there these this to was we what when where which why will "
    "with you your".split()
)


def lexical_tokens(text: str) -> list[str]:
    """Lower-cased tokens: whole identifiers, their dotted/slashed parts and their camel-case words."""
    tokens: list[str] = []
    for match in _TOKEN.finditer(text):
        original = match.group()
        whole = original.lower()
        if whole in STOPWORDS:
            continue
        tokens.append(whole)
        pieces = [p for p in _PARTS.split(original) if p]
        words = [w.lower() for piece in pieces for w in _CAMEL.findall(piece)]
        if len(words) > 1:
            tokens.extend(w for w in words if w not in STOPWORDS and w != whole)
    return tokens


class LexicalIndex:
    """BM25 over a fixed list of texts; positions in that list identify the hits."""

    def __init__(self, texts: Sequence[str]) -> None:
        import bm25s

        self._size = len(texts)
        self._bm25 = bm25s.BM25()
        if self._size:
            self._bm25.index([lexical_tokens(t) or ["_"] for t in texts], show_progress=False)

    def search(self, query: str, k: int) -> list[tuple[int, float]]:
        """The `k` best positions with their BM25 scores, best first; only positive scores."""
        tokens = lexical_tokens(query)
        if not tokens or not self._size:
            return []
        k = min(k, self._size)
        results, scores = self._bm25.retrieve([tokens], k=k, show_progress=False)
        return [(int(i), float(s)) for i, s in zip(results[0], scores[0], strict=True) if s > 0]

    def save(self, folder: str) -> None:
        """Write the BM25 matrices and vocabulary into `folder`."""
        self._bm25.save(folder, show_progress=False)

    @classmethod
    def load(cls, folder: str, size: int) -> LexicalIndex:
        """The index saved in `folder` (memory-mapped) over `size` texts."""
        import bm25s

        loaded = cls([])
        loaded._size = size
        if size:
            loaded._bm25 = bm25s.BM25.load(folder, mmap=True, show_progress=False)
        return loaded
