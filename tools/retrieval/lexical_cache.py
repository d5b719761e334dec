"""The lexical side of the index, saved beside the store so a cold search need not rebuild it.

Tokenising every chunk for BM25 takes seconds on a big index, which a cold
`shipmate ask` cannot afford. `shipmate index` saves the BM25 matrices, the chunk ids
and their filter tags in a folder next to a local store (or in the user cache for a
Chroma server), labelled with the store's generation token and chunk count. A search
loads that folder when both labels still match and rebuilds it otherwise, so a stale
or damaged copy costs time, never a wrong answer.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tools.retrieval.lexical import LexicalIndex
from tools.retrieval.store import KnowledgeStore, StoredChunk, is_remote

FOLDER_NAME = "shipmate-lexical"
LABEL_FILE = "label.json"
ROWS_FILE = "rows.json"
FORMAT = 1


@dataclass(frozen=True)
class LexicalSnapshot:
    """BM25 over every chunk of a store, with each position's id and filter tags."""

    ids: list[str]
    categories: list[list[str]]
    platforms: list[list[str]]
    index: LexicalIndex

    @classmethod
    def build(cls, chunks: list[StoredChunk]) -> LexicalSnapshot:
        """Tokenise and index `chunks` (the slow path)."""
        return cls(
            ids=[c.id for c in chunks],
            categories=[list(c.metadata.get("categories") or []) for c in chunks],
            platforms=[list(c.metadata.get("platforms") or []) for c in chunks],
            index=LexicalIndex([searchable_text(c) for c in chunks]),
        )

    def admits(self, position: int, category: str | None, platform: str | None) -> bool:
        """True when the chunk at `position` carries the wanted category and platform tags."""
        if category and category not in self.categories[position]:
            return False
        return not (platform and platform not in self.platforms[position])


def searchable_text(chunk: StoredChunk) -> str:
    """What BM25 and the exact-string tiers read of a chunk: its title, heading and words."""
    return f"{chunk.metadata.get('title', '')} {chunk.metadata.get('heading', '')}\n{chunk.text}"


def snapshot_folder(store: KnowledgeStore) -> Path:
    """Where the snapshot of `store` lives: beside a local store, in the user cache for a server."""
    if is_remote(store.location):
        cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        server = hashlib.sha256(store.location.encode("utf-8")).hexdigest()[:16]
        return Path(cache) / "shipmate" / FOLDER_NAME / server / store.collection_name
    return Path(store.location) / FOLDER_NAME / store.collection_name


def _label(store: KnowledgeStore, count: int) -> dict[str, object]:
    return {"format": FORMAT, "generation": store.generation(), "count": count}


def load_snapshot(store: KnowledgeStore) -> LexicalSnapshot:
    """The saved snapshot when it matches the store; otherwise a fresh one, saved for next time."""
    count = store.count()
    folder = snapshot_folder(store)
    label = _label(store, count)
    try:
        if json.loads((folder / LABEL_FILE).read_text(encoding="utf-8")) == label:
            rows = json.loads((folder / ROWS_FILE).read_text(encoding="utf-8"))
            if len(rows["ids"]) == count:
                return LexicalSnapshot(
                    rows["ids"], rows["categories"], rows["platforms"], LexicalIndex.load(str(folder), count)
                )
    except (OSError, ValueError, KeyError, TypeError):
        pass  # missing, stale or damaged: rebuilt below
    return save_snapshot(store)


def save_snapshot(store: KnowledgeStore) -> LexicalSnapshot:
    """Build the snapshot from the store and save it (best effort: a read-only place only costs time)."""
    chunks = store.chunks()
    snapshot = LexicalSnapshot.build(chunks)
    folder = snapshot_folder(store)
    staging: Path | None = None
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=folder.parent))
        if chunks:
            snapshot.index.save(str(staging))
        rows = {"ids": snapshot.ids, "categories": snapshot.categories, "platforms": snapshot.platforms}
        (staging / ROWS_FILE).write_text(json.dumps(rows), encoding="utf-8")
        # the label goes last: a folder without it is never trusted
        (staging / LABEL_FILE).write_text(json.dumps(_label(store, len(chunks))), encoding="utf-8")
        shutil.rmtree(folder, ignore_errors=True)
        staging.rename(folder)
    except OSError:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
    return snapshot
