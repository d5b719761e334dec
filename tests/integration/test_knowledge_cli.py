"""`shipmate index` and `shipmate ask` as a user runs them, on a real store in a temp dir."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.integration.test_cli import one_line_error, run

DOCS = {
    "registry.md": "---\ntitle: Registry access\nplatform: kubernetes\ncategories: [image.pull.auth]\n---\n"
    "# Registry access\n\n## Pull secrets\n\nWhen the kubelet logs `ErrImagePull` with `401 Unauthorized`, "
    "the pod lacks an imagePullSecret for the private registry.\n",
    "state.md": "# Terraform state\n\n## Locks\n\n`Error acquiring the state lock` means another run holds the lock; "
    "wait for it or force-unlock a dead one.\n",
    "restarts.txt": "When a container keeps crashing the kubelet restarts it with a growing back-off delay.\n",
}


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    docs = tmp_path_factory.mktemp("docs")
    for name, text in DOCS.items():
        (docs / name).write_text(text)
    (docs / "blob.md").write_bytes(b"\x00\x01\x02")
    store = tmp_path_factory.mktemp("store") / "index"
    result = run("index", "--no-bundled", "--store", str(store), "-f", "json", str(docs))
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["files"], report["embedded_files"], report["total_chunks"]) == (3, 3, 3)
    assert report["skipped"] == [f"{docs / 'blob.md'}: skipped (binary data)"]
    return docs, store


def test_exact_error_string_comes_first(indexed: tuple[Path, Path]) -> None:
    docs, store = indexed
    result = run("ask", "Error acquiring the state lock", "--store", str(store), "-f", "json")
    assert result.returncode == 0, result.stderr
    first = json.loads(result.stdout)["passages"][0]
    assert first["source"] == str(docs / "state.md")
    assert first["heading"] == "Terraform state > Locks"
    assert first["exact"] is True


def test_paraphrase_and_filters(indexed: tuple[Path, Path]) -> None:
    docs, store = indexed
    result = run(
        "ask", "my container keeps crashing and restarting", "--store", str(store), "-f", "json", "-k", "1"
    )
    assert json.loads(result.stdout)["passages"][0]["source"] == str(docs / "restarts.txt")
    filtered = run("ask", "lock", "--store", str(store), "-f", "json", "--category", "image.pull.auth")
    assert {p["source"] for p in json.loads(filtered.stdout)["passages"]} == {str(docs / "registry.md")}


def test_text_output_cites_source_and_heading(indexed: tuple[Path, Path]) -> None:
    _, store = indexed
    out = run("ask", "ErrImagePull", "--store", str(store), "-k", "1").stdout.decode()
    assert out.startswith("1. Registry access > Pull secrets  [exact match]")
    assert "registry.md" in out


def test_reindexing_unchanged_docs_embeds_nothing(indexed: tuple[Path, Path]) -> None:
    docs, store = indexed
    report = json.loads(run("index", "--no-bundled", "--store", str(store), "-f", "json", str(docs)).stdout)
    assert (report["embedded_files"], report["unchanged_files"]) == (0, 3)


def test_empty_question_and_bad_mode_are_usage_errors(indexed: tuple[Path, Path]) -> None:
    _, store = indexed
    one_line_error(run("ask", "  ", "--store", str(store)), "question: empty")
    one_line_error(run("ask", "x", "--mode", "fuzzy", "--store", str(store)), "--mode: 'fuzzy' is not one of")


def test_corrupt_index_names_the_rebuild_command(tmp_path: Path) -> None:
    store = tmp_path / "broken"
    store.mkdir()
    (store / "chroma.sqlite3").write_bytes(b"garbage" * 1000)
    one_line_error(run("ask", "anything", "--store", str(store)), "shipmate index --rebuild")
