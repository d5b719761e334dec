"""Smoke test in a real terminal (tmux): styled output on a TTY, plain with NO_COLOR."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import uuid

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def _run_in_tmux(command: str) -> tuple[str, str]:
    """Run `command` in a fresh tmux server; return the screen with escapes and as plain text."""
    socket = f"shipmate-test-{uuid.uuid4().hex[:8]}"
    tmux = ["tmux", "-L", socket]
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TMUX")}
    env["TERM"] = "xterm-256color"
    subprocess.run(
        [*tmux, "new-session", "-d", "-x", "200", "-y", "60", f"{command}; echo SMOKE-EXIT=$?; sleep 60"],
        check=True,
        env=env,
        cwd=REPO,
    )
    try:
        deadline = time.monotonic() + 60
        plain = ""
        while time.monotonic() < deadline:
            plain = subprocess.run(
                [*tmux, "capture-pane", "-p"], capture_output=True, text=True, check=True
            ).stdout
            if "SMOKE-EXIT=" in plain:
                break
            time.sleep(0.2)
        styled = subprocess.run(
            [*tmux, "capture-pane", "-p", "-e"], capture_output=True, text=True, check=True
        ).stdout
        return styled, plain
    finally:
        subprocess.run([*tmux, "kill-server"], check=False, capture_output=True)


def test_diagnose_in_a_terminal_is_styled() -> None:
    styled, plain = _run_in_tmux(f"{sys.executable} -m assistant.cli.app diagnose examples/k8s-oomkilled/")
    assert "SMOKE-EXIT=1" in plain
    assert "Most likely root cause:" in plain
    assert "container.oom" in plain
    assert _colours(styled)


def test_no_color_in_a_terminal_is_plain() -> None:
    styled, plain = _run_in_tmux(
        f"NO_COLOR=1 {sys.executable} -m assistant.cli.app diagnose examples/k8s-oomkilled/"
    )
    assert "Most likely root cause:" in plain
    assert _colours(styled) == set()


def _colours(screen: str) -> set[int]:
    """Colour parameters (foreground or background) of the SGR sequences on the screen.

    NO_COLOR forbids colour, not bold or dim; 39 and 49 (default colours) are tmux's resets.
    """
    found: set[int] = set()
    for params in re.findall(r"\x1b\[([0-9;]*)m", screen):
        for param in (int(p) for p in params.split(";") if p):
            if 30 <= param <= 38 or 40 <= param <= 48 or 90 <= param <= 97 or 100 <= param <= 107:
                found.add(param)
    return found
