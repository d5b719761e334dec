"""Running an allowed command: no shell, no stdin, a timeout and capped output."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from tools.commands.allowlist import check_command


class CommandResult(BaseModel):
    """What running (or refusing) a command gave."""

    argv: list[str]
    status: Literal["ok", "failed", "refused", "timeout", "not_found"]
    reason: str = ""
    exit_code: int | None = None
    stdout: str = ""
    stderr: str = ""
    truncated: bool = False
    seconds: float = 0.0


def run_command(
    argv: Sequence[str], timeout: float = 60.0, cwd: Path | None = None, max_output: int = 64_000
) -> CommandResult:
    """Run `argv` when the allowlist allows it: no shell, no stdin, a timeout (the whole process
    group is killed) and at most `max_output` bytes kept of each stream. Refused commands never start."""
    args = [argv] if isinstance(argv, str) else [str(a) for a in argv]
    verdict = check_command(argv)
    if not verdict.allowed:
        return CommandResult(argv=args, status="refused", reason=verdict.reason)
    program = shutil.which(args[0])
    if program is None:
        return CommandResult(argv=args, status="not_found", reason=f"{args[0]} is not on PATH")
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(
            [program, *args[1:]],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            cwd=cwd,
            env=_environment(),
            start_new_session=True,
        )
        try:
            code: int | None = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            code = None
        texts, cut = [], False
        for stream in (out, err):
            size = stream.seek(0, os.SEEK_END)
            stream.seek(0)
            texts.append(stream.read(max_output).decode("utf-8", errors="replace"))
            cut = cut or size > max_output
    status: Literal["ok", "failed", "timeout"] = (
        "timeout" if code is None else "ok" if code == 0 else "failed"
    )
    return CommandResult(
        argv=args,
        status=status,
        reason=verdict.reason if code is not None else f"stopped after {timeout:g} s",
        exit_code=code,
        stdout=texts[0],
        stderr=texts[1],
        truncated=cut,
        seconds=round(time.perf_counter() - started, 3),
    )


def _environment() -> dict[str, str]:
    """The caller's environment without hooks that make a read command run another program."""
    env = {k: v for k, v in os.environ.items() if k not in ("KUBECTL_EXTERNAL_DIFF", "GIT_EXTERNAL_DIFF")}
    env.update(GIT_PAGER="cat", PAGER="cat", TF_INPUT="0", TF_IN_AUTOMATION="1")
    return env
