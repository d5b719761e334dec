"""The Chroma collection that holds the knowledge chunks and their embeddings.

A local directory (PersistentClient) by default, or a Chroma server when the
location is an http(s) URL (HttpClient). chromadb is imported only here, and only
when a store is opened. Embeddings are always computed by shipmate's embedder and
handed to Chroma, so Chroma never downloads a model of its own.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from tools.errors import InputError

COLLECTION_PREFIX = "shipmate-knowledge"
REBUILD_HINT = "run `shipmate index --rebuild`"
GENERATION_KEY = "shipmate:generation"


@dataclass(frozen=True)
class StoredChunk:
    """A chunk as it comes back from the store."""

    id: str
    text: str
    metadata: dict[str, Any]


def is_remote(location: str) -> bool:
    """True when the location names a Chroma server rather than a local directory."""
    return location.startswith(("http://", "https://"))


class KnowledgeStore:
    """One collection per embedder (a change of embedder never mixes vector spaces)."""

    def __init__(self, location: str, embedder_name: str, dimension: int) -> None:
        self.location = location
        self.dimension = dimension
        self.collection_name = _collection_name(embedder_name)
        self._metadata = {"hnsw:space": "cosine", "embedder": embedder_name, "dimension": dimension}
        try:
            self._client = _client(location)
            self._collection = self._client.get_or_create_collection(
                self.collection_name, metadata=self._metadata, embedding_function=None
            )
        except InputError:
            raise
        except Exception as err:  # chromadb raises many types for a damaged or unreachable store
            raise InputError(
                location, f"the knowledge index cannot be opened ({_short(err)}); {REBUILD_HINT}"
            ) from err

    def generation(self) -> str:
        """A token that changes with every write through shipmate (keys the saved lexical index)."""
        metadata = self._collection.metadata or {}
        return str(metadata.get(GENERATION_KEY, ""))

    def mark_changed(self) -> None:
        """Give the collection a new generation token (after a write)."""
        # Chroma refuses any metadata that names the distance space again after creation
        kept = {k: v for k, v in (self._collection.metadata or {}).items() if not k.startswith("hnsw:")}
        self._guard(lambda: self._collection.modify(metadata={**kept, GENERATION_KEY: uuid.uuid4().hex}))

    def count(self) -> int:
        """Chunks in the collection."""
        return int(self._guard(self._collection.count))

    def manifest(self) -> dict[str, tuple[str, list[str]]]:
        """For every indexed source: the content hash it was indexed at and its chunk ids."""
        got = self._guard(lambda: self._collection.get(include=["metadatas"]))
        manifest: dict[str, tuple[str, list[str]]] = {}
        for chunk_id, metadata in zip(got["ids"], got["metadatas"] or [], strict=False):
            source = str(metadata.get("source", ""))
            file_hash, ids = manifest.get(source, (str(metadata.get("file_hash", "")), []))
            ids.append(chunk_id)
            manifest[source] = (file_hash, ids)
        return manifest

    def upsert(
        self, ids: Sequence[str], texts: Sequence[str], embeddings: Any, metadatas: Sequence[dict[str, Any]]
    ) -> None:
        """Add or replace chunks."""
        if ids:
            self._guard(
                lambda: self._collection.upsert(
                    ids=list(ids), documents=list(texts), embeddings=embeddings, metadatas=list(metadatas)
                )
            )

    def delete(self, ids: Sequence[str]) -> None:
        """Remove chunks by id."""
        if ids:
            self._guard(lambda: self._collection.delete(ids=list(ids)))

    def reset(self) -> None:
        """Drop every chunk (for --rebuild)."""
        self._guard(lambda: self._client.delete_collection(self.collection_name))
        self._collection = self._guard(
            lambda: self._client.get_or_create_collection(
                self.collection_name, metadata=self._metadata, embedding_function=None
            )
        )

    def dense_search(
        self, embedding: Sequence[float], k: int, where: dict[str, Any] | None = None
    ) -> list[str]:
        """Ids of the `k` nearest chunks, nearest first."""
        total = self.count()
        if total == 0:
            return []
        result = self._guard(
            lambda: self._collection.query(
                query_embeddings=[list(embedding)], n_results=min(k, total), where=where or None, include=[]
            )
        )
        return list(result["ids"][0])

    def get(self, ids: Sequence[str]) -> list[StoredChunk]:
        """The chunks with these ids that exist, in no particular order."""
        if not ids:
            return []
        got = self._guard(lambda: self._collection.get(ids=list(ids), include=["documents", "metadatas"]))
        return _stored(got)

    def chunks(self) -> list[StoredChunk]:
        """Every chunk with its text and metadata (for the lexical index)."""
        return _stored(self._guard(lambda: self._collection.get(include=["documents", "metadatas"])))

    def _guard(self, operation: Any) -> Any:
        try:
            return operation()
        except Exception as err:
            raise InputError(
                self.location, f"the knowledge index failed ({_short(err)}); {REBUILD_HINT}"
            ) from err


def _stored(got: Any) -> list[StoredChunk]:
    return [
        StoredChunk(i, d or "", dict(m or {}))
        for i, d, m in zip(got["ids"], got["documents"] or [], got["metadatas"] or [], strict=False)
    ]


def _client(location: str) -> Any:
    import chromadb
    from chromadb.config import Settings

    settings = Settings(anonymized_telemetry=False)
    if is_remote(location):
        url = urlparse(location)
        if not url.hostname:
            raise InputError(location, "not a valid Chroma server URL")
        port = url.port or (443 if url.scheme == "https" else 8000)
        return chromadb.HttpClient(host=url.hostname, port=port, ssl=url.scheme == "https", settings=settings)
    return chromadb.PersistentClient(path=location, settings=settings)


def _collection_name(embedder_name: str) -> str:
    cleaned = re.sub(r"[^a-zA-Z0-9._-]+", "-", embedder_name).strip("-._") or "default"
    return f"{COLLECTION_PREFIX}-{cleaned}"[:500]


def _short(err: Exception) -> str:
    text = " ".join(str(err).split()) or type(err).__name__
    return text[:200]
