"""`shipmate serve` reads its webhook secret and GitHub token from mounted files: a file that is
missing, empty or unreadable stops the command with one line naming it and exit code 2."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.integration.test_cli import run
from tests.integration.test_server_http import free_port

# Empty values count as unset, so the developer's own environment cannot leak into these runs.
BASE_ENV = {
    "SHIPMATE_WEBHOOK_SECRET": "perf-webhook-secret",
    "SHIPMATE_ALLOWED_REPOS": "acme/*",
    "GITHUB_TOKEN": "",
    "SHIPMATE_GITHUB_TOKEN_FILE": "",
    "GITHUB_API_URL": "http://127.0.0.1:9/api/v3",
}
TOKEN = "ghs_fromTheMountedFile0123456789abcdef"
WHAT = {"--secret-file": "secret", "--github-token-file": "token"}


def refusal(args: list[str], env: dict[str, str], prefix: list[str] | None = None) -> str:
    result = run("serve", *args, env={**BASE_ENV, **env}, prefix=prefix)
    stderr = result.stderr.decode()
    assert result.returncode == 2, stderr
    assert "Traceback" not in stderr
    (line,) = stderr.strip().splitlines()
    return line


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A folder any user may enter (pytest's own tmp folders are private to their owner)."""
    with tempfile.TemporaryDirectory() as name:
        os.chmod(name, 0o755)
        yield Path(name)


@pytest.mark.parametrize("flag", sorted(WHAT))
def test_missing_or_empty_file_is_one_line_and_exit_2(flag: str, tmp_path: Path) -> None:
    missing = tmp_path / "missing"
    assert refusal([flag, str(missing)], {}) == (
        f"shipmate: error: {missing}: cannot read the {WHAT[flag]} file (No such file or directory)"
    )
    empty = tmp_path / "empty"
    empty.write_text("\n")
    assert refusal([flag, str(empty)], {}) == f"shipmate: error: {empty}: the {WHAT[flag]} file is empty"


def test_token_file_named_by_the_environment_is_checked_the_same_way(tmp_path: Path) -> None:
    missing = tmp_path / "missing"
    assert refusal([], {"SHIPMATE_GITHUB_TOKEN_FILE": str(missing), "GITHUB_TOKEN": "ghs_notUsed"}) == (
        f"shipmate: error: {missing}: cannot read the token file (No such file or directory)"
    )
    assert refusal([], {}).startswith(
        "shipmate: error: GITHUB_TOKEN: missing: set it or pass --github-token-file"
    )


@pytest.mark.parametrize("flag", sorted(WHAT))
def test_unreadable_file_is_one_line_and_exit_2(flag: str, shared_dir: Path) -> None:
    prefix: list[str] = []
    if os.geteuid() == 0:  # root reads any file: run the command as nobody instead
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv to drop privileges")
        prefix = ["setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups"]
    locked = shared_dir / "locked"
    locked.write_text("value\n")
    locked.chmod(0)
    assert refusal([flag, str(locked)], {}, prefix) == (
        f"shipmate: error: {locked}: cannot read the {WHAT[flag]} file (Permission denied)"
    )


def test_the_command_serves_with_the_token_only_in_a_file(tmp_path: Path) -> None:
    token_file = tmp_path / "github-token"
    token_file.write_text(TOKEN + "\n")
    port = free_port()
    argv = [sys.executable, "-m", "assistant.cli.app", "serve", "--port", str(port)]
    argv += ["--work-dir", str(tmp_path / "work"), "--github-token-file", str(token_file)]
    env = {**os.environ, **BASE_ENV}
    process = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/readyz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "the server did not become ready"
            time.sleep(0.05)
        process.send_signal(signal.SIGTERM)
        _out, err = process.communicate(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert [json.loads(line)["event"] for line in err.splitlines() if line.startswith("{")][-1] == (
        "shutdown_finished"
    )
    assert TOKEN not in err
