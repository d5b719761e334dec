"""`search_docs`: the knowledge search as a plain function, for the agent and the CLI."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from tools.retrieval.indexer import (
    Embedder,
    IndexReport,
    ProgressCallback,
    SourceText,
    bundled_documents,
    folder_documents,
    index_documents,
)
from tools.retrieval.search import KnowledgeSearch, Mode, Passage
from tools.retrieval.store import KnowledgeStore

_OPEN: dict[str, KnowledgeSearch] = {}
_STORES: dict[tuple[str, str], KnowledgeStore] = {}


def default_embedder_instance() -> Embedder:
    """The offline MiniLM embedder (loaded once per process)."""
    from tools.retrieval.minilm import default_embedder

    return default_embedder()


def open_store(location: str, embedder: Embedder | None = None) -> KnowledgeStore:
    """The store at `location` for the given (default: offline MiniLM) embedder, opened once per process."""
    embedder = embedder or default_embedder_instance()
    key = (location, embedder.name)
    if key not in _STORES:
        _STORES[key] = KnowledgeStore(location, embedder.name, embedder.dimension)
    return _STORES[key]


def gather_documents(
    extra_paths: Sequence[Path], skipped: list[str], bundled: bool = True
) -> list[SourceText]:
    """The bundled runbooks and guides (unless `bundled` is false) plus every document under `extra_paths`."""
    shipped = list(bundled_documents()) if bundled else []
    return [*shipped, *folder_documents(list(extra_paths), skipped)]


def build_index(
    location: str,
    extra_paths: Sequence[Path] = (),
    rebuild: bool = False,
    progress: ProgressCallback | None = None,
    embedder: Embedder | None = None,
    bundled: bool = True,
) -> IndexReport:
    """Index the bundled knowledge and `extra_paths` into the store at `location`."""
    embedder = embedder or default_embedder_instance()
    skipped: list[str] = []
    documents = gather_documents(extra_paths, skipped, bundled)
    report = index_documents(open_store(location, embedder), embedder, documents, rebuild, progress)
    report.skipped = skipped
    _OPEN.pop(location, None)  # the next search sees the new index
    return report


def search_docs(
    query: str,
    location: str,
    k: int = 5,
    category: str | None = None,
    platform: str | None = None,
    mode: Mode = "hybrid",
) -> list[Passage]:
    """The best passages of the knowledge index for `query`, with their source and heading to cite."""
    search = _OPEN.get(location)
    if search is None:
        embedder = default_embedder_instance()
        search = _OPEN[location] = KnowledgeSearch(open_store(location, embedder), embedder)
    return search.search(query, k=k, category=category, platform=platform, mode=mode)


def index_is_empty(location: str) -> bool:
    """True when no chunk has been indexed at `location` yet."""
    return open_store(location).count() == 0
