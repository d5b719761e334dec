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
from tools.retrieval.lexical_cache import load_snapshot, searchable_text
from tools.retrieval.store import KnowledgeStore, StoredChunk

Mode = Literal["hybrid", "dense", "lexical"]
CANDIDATES_PER_RESULT = 4
FETCHED_LIMIT = 4096


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
    """Opens the index once (the lexical side from its saved snapshot), then answers queries."""

    def __init__(self, store: KnowledgeStore, embedder: Embedder) -> None:
        self._store = store
        self._embedder = embedder
        self._lexical = load_snapshot(store)
        self._fetched: dict[str, StoredChunk] = {}

    def __len__(self) -> int:
        return len(self._lexical.ids)

    def search(
        self,
        query: str,
        k: int = 5,
        category: str | None = None,
        platform: str | None = None,
        mode: Mode = "hybrid",
    ) -> list[Passage]:
        """The `k` best passages for `query`, best first."""
        if not query.strip() or not self._lexical.ids:
            return []
        wanted = k * CANDIDATES_PER_RESULT
        rankings: list[list[str]] = []
        if mode in ("hybrid", "dense"):
            vector = self._embedder.embed([query])[0]
            rankings.append(
                self._store.dense_search(list(map(float, vector)), wanted, _where(category, platform))
            )
        if mode in ("hybrid", "lexical"):
            hits = self._lexical.index.search(query, wanted * 2)
            admitted = [i for i, _ in hits if self._lexical.admits(i, category, platform)]
            rankings.append([self._lexical.ids[i] for i in admitted][:wanted])
        chunks = self._chunks({i for ranking in rankings for i in ranking})
        if mode == "hybrid":
            texts = {i: searchable_text(chunk) for i, chunk in chunks.items()}
            ordered = fuse([[i for i in r if i in chunks] for r in rankings], texts, query)
        else:
            phrases, identifiers = exact_terms(query)
            ordered = [
                (i, 1.0 / (rank + 1), exact_tier(searchable_text(chunks[i]), phrases, identifiers))
                for rank, i in enumerate(rankings[0])
                if i in chunks
            ]
        return [_passage(chunks[i], score, tier) for i, score, tier in ordered[:k]]

    def _chunks(self, ids: set[str]) -> dict[str, StoredChunk]:
        """Text and metadata of the candidates, fetched from the store once per process."""
        missing = [i for i in ids if i not in self._fetched]
        if len(self._fetched) + len(missing) > FETCHED_LIMIT:
            self._fetched.clear()  # a long-lived process must not end up holding the whole store
            missing = list(ids)
        for chunk in self._store.get(missing):
            self._fetched[chunk.id] = chunk
        return {i: self._fetched[i] for i in ids if i in self._fetched}


def _where(category: str | None, platform: str | None) -> dict[str, Any] | None:
    clauses: list[dict[str, Any]] = []
    if category:
        clauses.append({"categories": {"$contains": category}})
    if platform:
        clauses.append({"platforms": {"$contains": platform}})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


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
