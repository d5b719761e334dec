"""Hybrid search over the knowledge index: Chroma's dense search beside BM25, fused.

Dense search finds paraphrases ("my image can't be downloaded"), BM25 finds the exact
words, reciprocal rank fusion merges them, and chunks holding the query's exact error
string or identifiers come first. Filters by category and platform apply to both.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from tools.retrieval.fusion import exact_terms, exact_tier, fuse
from tools.retrieval.indexer import Embedder
from tools.retrieval.lexical import LexicalIndex
from tools.retrieval.store import KnowledgeStore, StoredChunk

Mode = Literal["hybrid", "dense", "lexical"]
CANDIDATES_PER_RESULT = 4


@dataclass(frozen=True)
class Passage:
    """A search result with what a citation needs."""

    id: str
    source: str
    title: str
    heading: str
    text: str
    score: float
    exact: bool
    categories: tuple[str, ...]
    platforms: tuple[str, ...]


class KnowledgeSearch:
    """Loads the index once (the lexical side lives in memory), then answers queries."""

    def __init__(self, store: KnowledgeStore, embedder: Embedder) -> None:
        self._store = store
        self._embedder = embedder
        self._chunks: list[StoredChunk] = store.chunks()
        self._by_id = {chunk.id: chunk for chunk in self._chunks}
        self._lexical = LexicalIndex([_searchable(c) for c in self._chunks])

    def __len__(self) -> int:
        return len(self._chunks)

    def search(
        self,
        query: str,
        k: int = 5,
        category: str | None = None,
        platform: str | None = None,
        mode: Mode = "hybrid",
    ) -> list[Passage]:
        """The `k` best passages for `query`, best first."""
        if not query.strip() or not self._chunks:
            return []
        wanted = k * CANDIDATES_PER_RESULT
        rankings: list[list[str]] = []
        if mode in ("hybrid", "dense"):
            vector = self._embedder.embed([query])[0]
            rankings.append(
                self._store.dense_search(list(map(float, vector)), wanted, _where(category, platform))
            )
        if mode in ("hybrid", "lexical"):
            hits = self._lexical.search(query, wanted * 2)
            ids = [self._chunks[i].id for i, _ in hits]
            rankings.append([i for i in ids if _admits(self._by_id[i], category, platform)][:wanted])
        if mode == "hybrid":
            texts = {
                i: _searchable(self._by_id[i]) for ranking in rankings for i in ranking if i in self._by_id
            }
            ordered = fuse(rankings, texts, query)
        else:
            phrases, identifiers = exact_terms(query)
            ordered = [
                (i, 1.0 / (rank + 1), exact_tier(_searchable(self._by_id[i]), phrases, identifiers))
                for rank, i in enumerate(rankings[0])
                if i in self._by_id
            ]
        return [_passage(self._by_id[i], score, tier) for i, score, tier in ordered[:k] if i in self._by_id]


def _searchable(chunk: StoredChunk) -> str:
    return f"{chunk.metadata.get('title', '')} {chunk.metadata.get('heading', '')}\n{chunk.text}"


def _where(category: str | None, platform: str | None) -> dict[str, Any] | None:
    clauses: list[dict[str, Any]] = []
    if category:
        clauses.append({"categories": {"$contains": category}})
    if platform:
        clauses.append({"platforms": {"$contains": platform}})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def _admits(chunk: StoredChunk, category: str | None, platform: str | None) -> bool:
    if category and category not in (chunk.metadata.get("categories") or []):
        return False
    return not (platform and platform not in (chunk.metadata.get("platforms") or []))


def _passage(chunk: StoredChunk, score: float, tier: int) -> Passage:
    metadata = chunk.metadata
    return Passage(
        id=chunk.id,
        source=str(metadata.get("source", "")),
        title=str(metadata.get("title", "")),
        heading=str(metadata.get("heading", "")),
        text=chunk.text,
        score=round(score, 6),
        exact=tier > 0,
        categories=tuple(metadata.get("categories") or ()),
        platforms=tuple(metadata.get("platforms") or ()),
    )
