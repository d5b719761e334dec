"""Embedding providers chosen by `knowledge.embedder`, each on real parts that run here."""

from __future__ import annotations

import json
import os
import socket
from importlib.util import find_spec
from pathlib import Path

import pytest

from tests.integration.test_cli import one_line_error, run
from tests.servers.openai_api import openai_server
from tools.errors import InputError
from tools.retrieval.docs_tool import build_index, open_store, search_docs
from tools.retrieval.embedders import LiteLLMEmbedder, make_embedder
from tools.retrieval.minilm import default_embedder

SECRET = "sk-proj-" + "Q3kZ8wV1xT5yN2rB7mC4pL9d"
DOCS = {
    "dns.md": "# DNS\n\n## Lookups\n\n`no such host` means the resolver has no record for the name; "
    "check the Service name and namespace.\n",
    "creds.md": f"# Credentials\n\n## Rotation\n\nRotate the API key (OPENAI_API_KEY={SECRET}) every 90 days.\n",
}


def _docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, text in DOCS.items():
        (folder / name).write_text(text)
    return folder


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_litellm_embeddings_through_an_openai_compatible_server(tmp_path: Path) -> None:
    docs, store = _docs(tmp_path), str(tmp_path / "store")
    with openai_server() as server:
        embedder = LiteLLMEmbedder("openai/minilm-test", server.base_url, "sk-local-test-key")
        assert embedder.dimension == 384
        report = build_index(store, [docs], embedder=embedder, bundled=False)
        assert (report.embedded_files, report.total_chunks) == (2, 2)
        passages = search_docs("lookup fails: no such host", store, k=1, embedder=embedder)
        assert [p.heading for p in passages] == ["DNS > Lookups"]
        # vectors match the built-in embedder's
        query = default_embedder().embed(["no such host"])[0]
        assert float(embedder.embed(["no such host"])[0] @ query) == pytest.approx(1.0, abs=1e-5)
        sent = server.texts_sent()
    assert any("Rotate the API key" in text for text in sent)
    assert not any(SECRET in text for text in sent)  # redacted before it left the process
    assert all(body["model"] == "minilm-test" for body in server.requests)
    # each provider has its own collection
    assert open_store(store, embedder).collection_name != open_store(store).collection_name
    assert open_store(store).count() == 0


def test_litellm_errors_are_one_clear_line(tmp_path: Path) -> None:
    with openai_server() as server:
        server.fail_with = 401
        with pytest.raises(InputError) as caught:
            LiteLLMEmbedder("openai/minilm-test", server.base_url, "sk-local-test-key")
    message = str(caught.value)
    assert message.startswith("knowledge.embedder: embedding with openai/minilm-test failed")
    assert "\n" not in message
    with pytest.raises(InputError, match="embedding with openai/minilm-test failed"):
        LiteLLMEmbedder("openai/minilm-test", f"http://127.0.0.1:{_closed_port()}/v1", "sk-local-test-key")


def test_cli_index_and_ask_with_the_litellm_provider(tmp_path: Path) -> None:
    docs, store = _docs(tmp_path), str(tmp_path / "store")
    with openai_server() as server:
        env = {
            "SHIPMATE_KNOWLEDGE__EMBEDDER": "litellm:openai/minilm-test",
            "SHIPMATE_KNOWLEDGE__EMBEDDING_API_BASE": server.base_url,
            "SHIPMATE_KNOWLEDGE__EMBEDDING_API_KEY": "sk-local-test-key",
            "NO_PROXY": "127.0.0.1",
        }
        indexed = run("index", "--no-bundled", "--store", store, "-f", "json", str(docs), env=env)
        assert indexed.returncode == 0, indexed.stderr
        assert json.loads(indexed.stdout)["total_chunks"] == 2
        asked = run("ask", "resolver has no record", "--store", store, "-f", "json", "-k", "1", env=env)
        assert asked.returncode == 0, asked.stderr
        assert json.loads(asked.stdout)["passages"][0]["heading"] == "DNS > Lookups"
        server.fail_with = 500
        failed = run("ask", "resolver", "--store", store, "-f", "json", env=env)
    one_line_error(failed, "knowledge.embedder: embedding with openai/minilm-test failed")


def test_unknown_provider_is_refused_with_the_choices(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"unknown embedder 'word2vec'; use one of: minilm, chroma"):
        make_embedder("word2vec")
    result = run("ask", "x", "--store", str(tmp_path / "s"), env={"SHIPMATE_KNOWLEDGE__EMBEDDER": "litellm"})
    one_line_error(result, "unknown embedder 'litellm'")


def test_chroma_default_offline_names_the_way_out(tmp_path: Path) -> None:
    # a fresh HOME (no cached model) and a proxy on a closed loopback port: the download fails here
    proxy = f"http://127.0.0.1:{_closed_port()}"
    env = {
        "HOME": str(tmp_path),
        "HTTPS_PROXY": proxy,
        "https_proxy": proxy,
        "HTTP_PROXY": proxy,
        "SHIPMATE_KNOWLEDGE__EMBEDDER": "chroma",
    }
    result = run("index", "--no-bundled", "--store", str(tmp_path / "s"), str(_docs(tmp_path)), env=env)
    one_line_error(result, "Chroma's default model could not be loaded or downloaded")
    assert "use the built-in `minilm` embedder" in result.stderr.decode()


@pytest.mark.skipif(
    find_spec("sentence_transformers") is not None, reason="sentence-transformers is installed"
)
def test_sentence_transformers_when_missing_says_how_to_install() -> None:
    with pytest.raises(InputError, match="sentence-transformers is not installed"):
        make_embedder("sentence-transformers:all-MiniLM-L6-v2")


@pytest.mark.skipif(
    find_spec("sentence_transformers") is None, reason="sentence-transformers is not installed"
)
def test_sentence_transformers_when_installed_agrees_with_minilm() -> None:
    embedder = make_embedder(f"sentence-transformers:{os.environ.get('ST_MODEL', 'all-MiniLM-L6-v2')}")
    vector = embedder.embed(["pods keep restarting"])[0]
    assert float(vector @ default_embedder().embed(["pods keep restarting"])[0]) > 0.999
