"""Build or update the knowledge index, incrementally.

A file whose content hash has not changed is not re-embedded; a changed file's old
chunks are replaced; a file that disappeared loses its chunks. A file lock keeps
two writers of one local store apart.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Protocol

from tools.errors import InputError
from tools.resources import knowledge_dir
from tools.retrieval.chunking import Chunk, chunk_document, document_format, parse_document
from tools.retrieval.lexical_cache import load_snapshot, save_snapshot
from tools.retrieval.store import KnowledgeStore, is_remote

BUNDLED_FOLDERS = ("runbooks", "guides")
LOCK_NAME = ".shipmate-index.lock"
LOCK_WAIT_SECONDS = 30.0
ProgressCallback = Callable[[str, int, int], None]  # (source, files done, files in all)


class Embedder(Protocol):
    """What the indexer needs of an embedder."""

    name: str
    dimension: int

    def embed(self, texts: Sequence[str]) -> Any:
        """One vector per text."""


@dataclass(frozen=True)
class SourceText:
    """A document to index: where it comes from and what it says."""

    source: str
    text: str

    @property
    def content_hash(self) -> str:
        """The sha256 of the text: a change of content means re-embedding."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


@dataclass
class IndexReport:
    """What an indexing run did."""

    files: int = 0
    embedded_files: int = 0
    unchanged_files: int = 0
    removed_files: int = 0
    chunks_added: int = 0
    chunks_removed: int = 0
    total_chunks: int = 0
    skipped: list[str] = field(default_factory=list)
    seconds: float = 0.0


def bundled_documents() -> Iterator[SourceText]:
    """Runbooks and guides shipped inside the package."""
    for folder in BUNDLED_FOLDERS:
        root = knowledge_dir(folder)
        if root.is_dir():
            yield from _walk_traversable(root, f"knowledge/{folder}")


def _walk_traversable(node: Traversable, shown: str) -> Iterator[SourceText]:
    for entry in sorted(node.iterdir(), key=lambda e: e.name):
        path = f"{shown}/{entry.name}"
        if entry.is_dir():
            yield from _walk_traversable(entry, path)
        elif document_format(entry.name):
            yield SourceText(path, entry.read_text(encoding="utf-8"))


def folder_documents(paths: Sequence[Path], skipped: list[str]) -> Iterator[SourceText]:
    """Documents under the user's folders (or files); unreadable and binary files are noted in `skipped`."""
    for root in paths:
        if not root.exists():
            raise InputError(str(root), "no such file or directory")
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in files:
            if not document_format(path.name) or any(part.startswith(".") for part in path.parts[-3:-1]):
                continue
            try:
                raw = path.read_bytes()
            except OSError as err:
                skipped.append(f"{path}: skipped ({err.strerror or 'unreadable'})")
                continue
            if b"\x00" in raw[:8192]:
                skipped.append(f"{path}: skipped (binary data)")
                continue
            yield SourceText(str(path), raw.decode("utf-8", "replace"))


def embedding_text(chunk: Chunk) -> str:
    """What the embedder sees of a chunk: its place in the document, then its words."""
    return f"{chunk.title} > {chunk.heading}\n{chunk.text}"


def chunk_metadata(chunk: Chunk, content_hash: str) -> dict[str, Any]:
    """The metadata Chroma keeps beside a chunk (lists only when not empty: Chroma rejects empty ones)."""
    metadata: dict[str, Any] = {
        "source": chunk.source,
        "title": chunk.title,
        "heading": chunk.heading,
        "index": chunk.index,
        "file_hash": content_hash,
    }
    for key, values in (
        ("platforms", chunk.platforms),
        ("categories", chunk.categories),
        ("tags", chunk.tags),
    ):
        if values:
            metadata[key] = list(values)
    return metadata


def index_documents(
    store: KnowledgeStore,
    embedder: Embedder,
    documents: Sequence[SourceText],
    rebuild: bool = False,
    progress: ProgressCallback | None = None,
) -> IndexReport:
    """Bring the store in line with `documents`; returns what changed."""
    started = time.perf_counter()
    report = IndexReport(files=len(documents))
    with _writer_lock(store.location):
        if rebuild:
            store.reset()
        manifest = store.manifest()
        for done, document in enumerate(documents, start=1):
            indexed = manifest.get(document.source)
            if indexed is not None and indexed[0] == document.content_hash:
                report.unchanged_files += 1
            else:
                chunks = chunk_document(parse_document(document.source, document.text))
                vectors = embedder.embed([embedding_text(c) for c in chunks])
                if indexed is not None:
                    store.delete(indexed[1])
                    report.chunks_removed += len(indexed[1])
                store.upsert(
                    [c.id for c in chunks],
                    [c.text for c in chunks],
                    vectors.tolist() if hasattr(vectors, "tolist") else vectors,
                    [chunk_metadata(c, document.content_hash) for c in chunks],
                )
                report.embedded_files += 1
                report.chunks_added += len(chunks)
            if progress is not None:
                progress(document.source, done, len(documents))
        present = {d.source for d in documents}
        for source, (_, ids) in manifest.items():
            if source not in present:
                store.delete(ids)
                report.removed_files += 1
                report.chunks_removed += len(ids)
        report.total_chunks = store.count()
        changed = report.embedded_files or report.removed_files or rebuild
        if changed or not store.generation():
            store.mark_changed()
            save_snapshot(store)
        else:
            load_snapshot(store)  # rebuilds a missing or damaged snapshot
    report.seconds = round(time.perf_counter() - started, 3)
    return report


class _NoLock:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *_: object) -> None:
        return None


def _writer_lock(location: str) -> Any:
    """An exclusive lock on a local store; a Chroma server orders writes itself."""
    if is_remote(location):
        return _NoLock()
    from filelock import FileLock, Timeout

    os.makedirs(location, exist_ok=True)
    lock = FileLock(os.path.join(location, LOCK_NAME), timeout=LOCK_WAIT_SECONDS)

    class _Held:
        def __enter__(self) -> None:
            try:
                lock.acquire()
            except Timeout as err:
                raise InputError(
                    location, "another `shipmate index` is writing this index; try again later"
                ) from err

        def __exit__(self, *_: object) -> None:
            lock.release()

    return _Held()
