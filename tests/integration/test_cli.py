"""The `shipmate` command as a user runs it: a real subprocess, real files, real pipes."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.conftest import REPO

MISSING_SECRET = """Name:         api-7d9f
Namespace:    shop
Containers:
  api:
    State:          Waiting
      Reason:       CreateContainerConfigError
Events:
  Type     Reason  Age               From     Message
  ----     ------  ----              ----     -------
  Warning  Failed  1m (x4 over 3m)   kubelet  Error: secret "db-creds" not found
"""


def run(
    *args: str,
    stdin: bytes | None = None,
    env: dict[str, str] | None = None,
    prefix: list[str] | None = None,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[bytes]:
    full_env = {**os.environ, **(env or {})}
    full_env.pop("NO_COLOR", None) if env is None or "NO_COLOR" not in env else None
    return subprocess.run(
        [*(prefix or []), sys.executable, "-m", "assistant.cli.app", *args],
        input=stdin,
        capture_output=True,
        env=full_env,
        cwd=cwd or REPO,
        timeout=120,
        check=False,
    )


def one_line_error(result: subprocess.CompletedProcess[bytes], expected: str) -> None:
    assert result.returncode == 2, result.stderr
    err = result.stderr.decode()
    assert "Traceback" not in err
    assert err.count("\n") == 1, err
    assert expected in err, err
    assert result.stdout == b""


def test_version_and_help() -> None:
    assert run("--version").stdout.decode().startswith("shipmate 0.")
    helped = run("--help").stdout.decode()
    assert "diagnose" in helped
    assert "Examples:" in helped
    diagnose_help = run("diagnose", "--help").stdout.decode()
    for option in (
        "--format",
        "--include",
        "--exclude",
        "--fail-on",
        "--context-budget",
        "shipmate diagnose",
    ):
        assert option in diagnose_help


def test_diagnose_text_json_markdown(tmp_path: Path) -> None:
    path = tmp_path / "describe.txt"
    path.write_text(MISSING_SECRET)
    text = run("diagnose", str(path))
    assert text.returncode == 1
    out = text.stdout.decode()
    assert "\x1b[" not in out  # not a terminal: no styling
    assert 'secret "db-creds"' in out.lower() or "db-creds" in out
    as_json = json.loads(run("diagnose", "--format", "json", str(path)).stdout)
    assert as_json["findings"][0]["category"] == "container.config.missing_secret"
    assert 10 in [e["line"] for e in as_json["findings"][0]["evidence"]]
    assert as_json["inputs"][0]["kind"] == "kubectl_describe"
    markdown = run("diagnose", "-f", "markdown", str(path)).stdout.decode()
    assert markdown.startswith("## shipmate diagnosis")
    assert "`container.config.missing_secret`" in markdown


def test_stdin_and_gzip(tmp_path: Path) -> None:
    piped = run("diagnose", "-f", "json", "-", stdin=MISSING_SECRET.encode())
    assert json.loads(piped.stdout)["inputs"][0]["source"] == "stdin"
    archive = tmp_path / "describe.txt.gz"
    archive.write_bytes(gzip.compress(MISSING_SECRET.encode()))
    report = json.loads(run("diagnose", "-f", "json", str(archive)).stdout)
    assert report["findings"][0]["category"] == "container.config.missing_secret"


def test_fail_on_sets_the_exit_code(tmp_path: Path) -> None:
    path = tmp_path / "describe.txt"
    path.write_text(MISSING_SECRET)
    assert run("diagnose", "--fail-on", "critical", str(path)).returncode == 0
    assert run("diagnose", "--fail-on", "low", str(path)).returncode == 1
    clean = tmp_path / "clean.log"
    clean.write_text("server started\nGET /healthz 200\n")
    assert run("diagnose", str(clean)).returncode == 0


def test_no_color_and_forced_color(tmp_path: Path) -> None:
    path = tmp_path / "describe.txt"
    path.write_text(MISSING_SECRET)
    forced = run("diagnose", str(path), env={"SHIPMATE_COLOR": "always"})
    assert b"\x1b[" in forced.stdout
    assert (
        b"\x1b[" not in run("diagnose", str(path), env={"SHIPMATE_COLOR": "always", "NO_COLOR": "1"}).stdout
    )
    assert b"\x1b[" not in run("--no-color", "diagnose", str(path), env={"SHIPMATE_COLOR": "always"}).stdout


def test_context_budget_pack(tmp_path: Path) -> None:
    path = tmp_path / "describe.txt"
    path.write_text(MISSING_SECRET)
    pack = run("diagnose", "--context-budget", "400", str(path)).stdout.decode()
    assert "untrusted data" in pack
    assert 'Error: secret "db-creds" not found' in pack


def test_missing_path() -> None:
    one_line_error(run("diagnose", "/no/such/file.log"), "/no/such/file.log: no such file or directory")


def test_empty_file_and_empty_stdin(tmp_path: Path) -> None:
    empty = tmp_path / "empty.log"
    empty.write_bytes(b"")
    one_line_error(run("diagnose", str(empty)), "empty.log: nothing to diagnose: input is empty")
    one_line_error(run("diagnose", "-", stdin=b""), "stdin: nothing to diagnose: input is empty")


def test_binary_file_is_skipped_with_a_note(tmp_path: Path) -> None:
    binary = tmp_path / "core.bin"
    binary.write_bytes(b"\x7fELF\x02\x01\x00\x00" * 100)
    one_line_error(run("diagnose", str(binary)), "input is binary data")
    log = tmp_path / "describe.txt"
    log.write_text(MISSING_SECRET)
    report = json.loads(run("diagnose", "-f", "json", str(tmp_path)).stdout)
    assert any("core.bin: skipped (binary data)" in note for note in report["notes"])
    assert report["findings"][0]["category"] == "container.config.missing_secret"


def test_directory_with_nothing_readable(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x\n")
    one_line_error(
        run("diagnose", "--include", "*.log", str(tmp_path)), "no readable file matching the filters"
    )


def test_invalid_utf8_and_huge_line(tmp_path: Path) -> None:
    path = tmp_path / "weird.log"
    with path.open("wb") as handle:
        handle.write(b"\xff\xfe\xfa garbage \xc3\x28\n")
        handle.write(b"A" * (10 << 20) + b' Error: secret "db-creds" not found\n')
        handle.write(b"tail line\n")
    result = run("diagnose", "-f", "json", str(path))
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    top = report["findings"][0]
    assert top["category"] == "container.config.missing_secret"
    assert top["evidence"][0]["line"] == 2
    assert len(top["evidence"][0]["text"]) < 2100


@pytest.mark.parametrize("reachable_folder", [True, False])
def test_permission_denied(tmp_path: Path, reachable_folder: bool) -> None:
    folder = Path(tempfile.mkdtemp(prefix="shipmate-perm-")) if reachable_folder else tmp_path
    try:
        folder.chmod(0o755)
        path = folder / "secret.log"
        path.write_text(MISSING_SECRET)
        path.chmod(0)
        prefix: list[str] = []
        if os.geteuid() == 0:
            if not shutil.which("setpriv"):
                pytest.skip("running as root without setpriv: cannot drop privileges")
            prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        result = run("diagnose", str(path), prefix=prefix, cwd=Path("/"))
        one_line_error(result, "secret.log: permission denied")
    finally:
        if reachable_folder:
            shutil.rmtree(folder)


def test_yaml_bomb_in_a_signature_file(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.yaml"
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for n in range(1, 9):
        lines.append(f"{chr(97 + n)}: &{chr(97 + n)} [" + ", ".join([f"*{chr(96 + n)}"] * 9) + "]")
    lines.append("signatures: *i")
    bomb.write_text("\n".join(lines) + "\n")
    log = tmp_path / "x.log"
    log.write_text("hello\n")
    one_line_error(run("diagnose", "--signatures", str(bomb), str(log)), "bomb.yaml: signature #1")


def test_bad_format_is_a_usage_error(tmp_path: Path) -> None:
    log = tmp_path / "x.log"
    log.write_text("hello\n")
    one_line_error(run("diagnose", "--format", "xml", str(log)), "setting 'format'")


def test_config_show_masks_secrets(tmp_path: Path) -> None:
    result = run(
        "config",
        "show",
        "-f",
        "json",
        env={"SHIPMATE_API_KEY": "sk-abcdefghijklmnop1234", "XDG_CONFIG_HOME": str(tmp_path)},
    )
    shown = json.loads(result.stdout)
    assert shown["api_key"] == {"value": "********", "source": "env"}
    assert "sk-abcdef" not in result.stdout.decode()


def test_truncated_gzip_is_an_input_error(tmp_path: Path) -> None:
    archive = tmp_path / "app.log.gz"
    archive.write_bytes(gzip.compress(MISSING_SECRET.encode() * 50)[:200])
    one_line_error(run("diagnose", str(archive)), "app.log.gz: not a valid gzip file")


def test_a_corrupt_file_inside_a_folder_is_skipped_with_a_note(tmp_path: Path) -> None:
    (tmp_path / "describe.txt").write_text(MISSING_SECRET)
    (tmp_path / "old.log.gz").write_bytes(gzip.compress(MISSING_SECRET.encode() * 50)[:200])
    result = run("diagnose", "-f", "json", str(tmp_path))
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert report["findings"][0]["category"] == "container.config.missing_secret"
    assert any("old.log.gz: skipped (not a valid gzip file" in note for note in report["notes"])
