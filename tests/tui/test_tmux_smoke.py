"""Smoke test in a real terminal: `shipmate` starts in tmux, takes a slash command, and quits."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def _screen(session: str) -> str:
    return subprocess.run(
        ["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True, check=False
    ).stdout


def _wait_for(session: str, text: str, seconds: float = 30) -> str:
    deadline = time.monotonic() + seconds
    screen = ""
    while time.monotonic() < deadline:
        screen = _screen(session)
        if text in screen:
            return screen
        time.sleep(0.1)
    raise AssertionError(f"{text!r} not on the screen after {seconds} s:\n{screen}")


@pytest.mark.parametrize("no_color", [False, True], ids=["color", "no-color"])
def test_shipmate_alone_opens_the_chat_takes_a_slash_command_and_quits(
    tmp_path: Path, no_color: bool
) -> None:
    session = f"shipmate-smoke-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "TERM": "xterm-256color",
    }
    env.pop("SHIPMATE_MODEL", None)
    if no_color:
        env["NO_COLOR"] = "1"
    (tmp_path / "app.log").write_text('Error: secret "db-creds" not found\n')
    command = f"cd {tmp_path} && {sys.executable} -m assistant.cli.app"
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", "80", "-y", "24", command],
        env=env,
        check=True,
        cwd=Path(__file__).resolve().parent.parent.parent,
    )
    try:
        _wait_for(session, "offline")
        subprocess.run(["tmux", "send-keys", "-t", session, "/help", "Enter"], check=True)
        _wait_for(session, "list the commands and")
        subprocess.run(["tmux", "send-keys", "-t", session, "/diagnose app.log", "Enter"], check=True)
        _wait_for(session, "container_log")
        subprocess.run(["tmux", "send-keys", "-t", session, "C-q"], check=True)
        deadline = time.monotonic() + 15
        while (
            time.monotonic() < deadline
            and session in subprocess.run(["tmux", "ls"], capture_output=True, text=True, check=False).stdout
        ):
            time.sleep(0.1)
        alive = session in subprocess.run(["tmux", "ls"], capture_output=True, text=True, check=False).stdout
        assert not alive, _screen(session)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True, check=False)
