"""`knowledge.store` may name a Chroma server: index and search against a real `chroma run` on loopback."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO
from tools.retrieval.docs_tool import build_index, search_docs
from tools.retrieval.indexer import folder_documents
from tools.retrieval.store import is_remote

CHROMA = REPO / ".venv" / "bin" / "chroma"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    binary = shutil.which("chroma") or (str(CHROMA) if CHROMA.exists() else None)
    if binary is None:
        pytest.skip("the chroma command is not installed")
    port = _free_port()
    data = tmp_path_factory.mktemp("chroma-server")
    log = (data / "server.log").open("wb")
    server = subprocess.Popen(
        [binary, "run", "--path", str(data / "db"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1):
                    break
            except OSError:
                if server.poll() is not None:
                    pytest.fail(f"chroma run exited: {(data / 'server.log').read_text()[-2000:]}")
                time.sleep(0.2)
        else:
            pytest.fail("chroma run did not answer within 60 s")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


def test_index_and_search_on_a_chroma_server(chroma_server: str, tmp_path: Path) -> None:
    assert is_remote(chroma_server)
    (tmp_path / "dns.md").write_text(
        "# DNS\n\n## Lookups\n\n`no such host` means the Service name does not resolve.\n"
    )
    (tmp_path / "gpu.md").write_text(
        "# GPUs\n\n## Memory\n\n`CUDA out of memory` means the model does not fit.\n"
    )
    report = build_index(chroma_server, [tmp_path], bundled=False)
    assert (report.embedded_files, report.total_chunks) == (2, 2)
    passages = search_docs("lookup fails with no such host", chroma_server, k=1)
    assert passages[0].source == str(tmp_path / "dns.md")
    again = build_index(chroma_server, [tmp_path], bundled=False)
    assert (again.embedded_files, again.unchanged_files) == (0, 2)
    assert len(list(folder_documents([tmp_path], []))) == 2
