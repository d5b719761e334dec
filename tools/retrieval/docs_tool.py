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

_OPEN: dict[tuple[str, str], KnowledgeSearch] = {}
_STORES: dict[tuple[str, str], KnowledgeStore] = {}
_EMBEDDERS: dict[tuple[str, str | None], Embedder] = {}


def default_embedder_instance() -> Embedder:
    """The offline MiniLM embedder (loaded once per process)."""
    from tools.retrieval.minilm import default_embedder

    return default_embedder()


def embedder_for(spec: str, api_base: str | None = None, api_key: str | None = None) -> Embedder:
    """The embedder `spec` names (`knowledge.embedder`), made once per process."""
    from tools.retrieval.embedders import make_embedder

    key = (spec, api_base)
    if key not in _EMBEDDERS:
        _EMBEDDERS[key] = make_embedder(spec, api_base, api_key)
    return _EMBEDDERS[key]


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
    _OPEN.pop((location, embedder.name), None)  # the next search sees the new index
    return report


def search_docs(
    query: str,
    location: str,
    k: int = 5,
    category: str | None = None,
    platform: str | None = None,
    mode: Mode = "hybrid",
    embedder: Embedder | None = None,
) -> list[Passage]:
    """The best passages of the knowledge index for `query`, with their source and heading to cite."""
    embedder = embedder or default_embedder_instance()
    search = _OPEN.get((location, embedder.name))
    if search is None:
        search = _OPEN[(location, embedder.name)] = KnowledgeSearch(open_store(location, embedder), embedder)
    return search.search(query, k=k, category=category, platform=platform, mode=mode)


def index_is_empty(location: str, embedder: Embedder | None = None) -> bool:
    """True when no chunk has been indexed at `location` (for this embedder) yet."""
    return open_store(location, embedder).count() == 0
