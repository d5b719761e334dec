"""The knowledge index on a real Chroma store on disk: incremental, locked, and clear when broken."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from tools.errors import InputError
from tools.retrieval import indexer
from tools.retrieval.indexer import SourceText, folder_documents, index_documents
from tools.retrieval.minilm import default_embedder
from tools.retrieval.store import KnowledgeStore


class CountingEmbedder:
    """The real embedder, counting how many texts it was asked to embed."""

    name = "minilm-test"
    dimension = 384

    def __init__(self) -> None:
        self.texts = 0

    def embed(self, texts: Sequence[str]) -> Any:
        self.texts += len(texts)
        return default_embedder().embed(texts)


DOCS = {
    "probes.md": "# Probes\n\n## Readiness\n\nA failing readiness probe removes the pod from Service endpoints.\n\n"
    "## Liveness\n\nA failing liveness probe restarts the container.\n",
    "state.md": "# Terraform state\n\n## Locking\n\n`Error acquiring the state lock` means another run holds it.\n",
}


def _write(folder: Path, docs: dict[str, str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in docs.items():
        (folder / name).write_text(text)


def _docs(folder: Path) -> list[SourceText]:
    return list(folder_documents([folder], []))


def test_incremental_indexing_and_search(tmp_path: Path) -> None:
    docs_dir, store_dir = tmp_path / "docs", tmp_path / "store"
    _write(docs_dir, DOCS)
    embedder = CountingEmbedder()
    store = KnowledgeStore(str(store_dir), embedder.name, embedder.dimension)

    first = index_documents(store, embedder, _docs(docs_dir))
    assert (first.embedded_files, first.unchanged_files, first.total_chunks) == (2, 0, 3)
    embedded_once = embedder.texts

    again = index_documents(store, embedder, _docs(docs_dir))
    assert (again.embedded_files, again.unchanged_files) == (0, 2)
    assert embedder.texts == embedded_once  # unchanged files are not re-embedded

    (docs_dir / "state.md").write_text(DOCS["state.md"] + "\n## Backends\n\nUse S3 with DynamoDB locking.\n")
    (docs_dir / "probes.md").unlink()
    changed = index_documents(store, embedder, _docs(docs_dir))
    assert (changed.embedded_files, changed.removed_files) == (1, 1)
    assert changed.total_chunks == 2
    assert {m.metadata["source"] for m in store.chunks()} == {str(docs_dir / "state.md")}

    # a fresh client on the same directory sees the same index
    reopened = KnowledgeStore(str(store_dir), embedder.name, embedder.dimension)
    query = default_embedder().embed(["who holds the terraform lock"])[0]
    top = reopened.dense_search(query.tolist(), 1)
    assert [m.metadata["heading"] for m in reopened.chunks() if m.id == top[0]] == [
        "Terraform state > Locking"
    ]

    rebuilt = index_documents(reopened, embedder, _docs(docs_dir), rebuild=True)
    assert (rebuilt.embedded_files, rebuilt.total_chunks) == (1, 2)


def test_binary_and_unreadable_files_are_skipped_and_counted(tmp_path: Path) -> None:
    _write(tmp_path, {"ok.md": "# Fine\n\ntext\n"})
    (tmp_path / "blob.md").write_bytes(b"\x00\x01binary")
    skipped: list[str] = []
    docs = list(folder_documents([tmp_path], skipped))
    assert [Path(d.source).name for d in docs] == ["ok.md"]
    assert skipped == [f"{tmp_path / 'blob.md'}: skipped (binary data)"]


def test_a_corrupt_store_names_the_rebuild_command(tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    store_dir.mkdir()
    (store_dir / "chroma.sqlite3").write_bytes(b"this is not a database" * 100)
    with pytest.raises(InputError, match=r"shipmate index --rebuild"):
        KnowledgeStore(str(store_dir), "minilm-test", 384).count()


def test_a_second_writer_waits_then_gives_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from filelock import FileLock

    store_dir = tmp_path / "store"
    store = KnowledgeStore(str(store_dir), "minilm-test", 384)
    monkeypatch.setattr(indexer, "LOCK_WAIT_SECONDS", 0.2)
    with (
        FileLock(str(store_dir / indexer.LOCK_NAME)),
        pytest.raises(InputError, match="another `shipmate index`"),
    ):
        index_documents(store, CountingEmbedder(), [])


def _heading_hits(search: Any, query: str) -> list[str]:
    return [p.heading for p in search.search(query, k=3, mode="lexical")]


def test_the_lexical_snapshot_is_saved_reused_and_never_stale(tmp_path: Path) -> None:
    from tools.retrieval.lexical_cache import LABEL_FILE, ROWS_FILE, snapshot_folder
    from tools.retrieval.search import KnowledgeSearch

    docs_dir, store_dir = tmp_path / "docs", tmp_path / "store"
    _write(docs_dir, DOCS)
    embedder = CountingEmbedder()
    store = KnowledgeStore(str(store_dir), embedder.name, embedder.dimension)
    index_documents(store, embedder, _docs(docs_dir))
    folder = snapshot_folder(store)
    label = (folder / LABEL_FILE).read_text()
    assert store.generation()
    assert store.generation() in label

    # a cold search loads the saved snapshot as it is
    saved_at = (folder / LABEL_FILE).stat().st_mtime_ns
    reopened = KnowledgeStore(str(store_dir), embedder.name, embedder.dimension)
    assert _heading_hits(KnowledgeSearch(reopened, embedder), "state lock") == ["Terraform state > Locking"]
    assert (folder / LABEL_FILE).stat().st_mtime_ns == saved_at

    # a change through the indexer gives a new generation and a new snapshot
    (docs_dir / "gpu.md").write_text("# GPUs\n\n## Scheduling\n\nRequest nvidia.com/gpu in limits.\n")
    index_documents(store, embedder, _docs(docs_dir))
    assert (folder / LABEL_FILE).read_text() != label
    fresh = KnowledgeStore(str(store_dir), embedder.name, embedder.dimension)
    assert _heading_hits(KnowledgeSearch(fresh, embedder), "nvidia.com/gpu") == ["GPUs > Scheduling"]

    # a damaged snapshot is rebuilt, and the search still answers
    (folder / ROWS_FILE).write_text("{not json")
    damaged = KnowledgeStore(str(store_dir), embedder.name, embedder.dimension)
    assert _heading_hits(KnowledgeSearch(damaged, embedder), "state lock") == ["Terraform state > Locking"]
    assert (folder / ROWS_FILE).read_text().startswith("{")
    assert len(KnowledgeSearch(damaged, embedder)) == 4


def test_a_write_that_bypassed_the_snapshot_is_seen_through_the_count(tmp_path: Path) -> None:
    from tools.retrieval.search import KnowledgeSearch

    docs_dir, store_dir = tmp_path / "docs", tmp_path / "store"
    _write(docs_dir, DOCS)
    embedder = CountingEmbedder()
    store = KnowledgeStore(str(store_dir), embedder.name, embedder.dimension)
    index_documents(store, embedder, _docs(docs_dir))
    vector = default_embedder().embed(["ingress"]).tolist()
    store.upsert(["extra"], ["The ingress class annotation picks the controller."], vector, [{"title": "x"}])
    reopened = KnowledgeStore(str(store_dir), embedder.name, embedder.dimension)
    search = KnowledgeSearch(reopened, embedder)
    assert len(search) == 4
    assert [p.id for p in search.search("ingress class annotation", k=1, mode="lexical")] == ["extra"]


def test_an_unwritable_snapshot_place_costs_time_not_answers(tmp_path: Path) -> None:
    import shutil

    from tools.retrieval.lexical_cache import FOLDER_NAME
    from tools.retrieval.search import KnowledgeSearch

    docs_dir, store_dir = tmp_path / "docs", tmp_path / "store"
    _write(docs_dir, DOCS)
    embedder = CountingEmbedder()
    store = KnowledgeStore(str(store_dir), embedder.name, embedder.dimension)
    index_documents(store, embedder, _docs(docs_dir))
    # a file where the snapshot folder should be: no snapshot can be written (even by root)
    shutil.rmtree(store_dir / FOLDER_NAME)
    (store_dir / FOLDER_NAME).write_text("in the way")
    reopened = KnowledgeStore(str(store_dir), embedder.name, embedder.dimension)
    assert _heading_hits(KnowledgeSearch(reopened, embedder), "state lock") == ["Terraform state > Locking"]
    assert (store_dir / FOLDER_NAME).read_text() == "in the way"
