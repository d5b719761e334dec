"""`terraform fmt -check` and `terraform validate` (or OpenTofu's), run on a temporary copy of a module.

python-terraform builds the argument lists; we run them ourselves with `subprocess.run` because
its own runner has no timeout (an `init` that hangs on the network would hang shipmate).  Never
a shell.  The copy keeps `init` from writing `.terraform/` and lock files into the user's repo.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tools.terraform.model import Module

FMT_TIMEOUT = 60
INIT_TIMEOUT = 120
VALIDATE_TIMEOUT = 120
OFFLINE_NOTE = "terraform validate skipped: providers could not be installed (offline?)"
_PROVIDER_TROUBLE = re.compile(
    r"(?i)provider|registry\.terraform\.io|registry\.opentofu\.org|could not connect|no such host|"
    r"failed to download module|module not installed|network is unreachable"
)


@dataclass(frozen=True)
class FmtProblem:
    """A file `terraform fmt` would change, with its diff."""

    source: str
    line: int
    diff: list[str]


@dataclass(frozen=True)
class Diagnostic:
    """One error or warning from `terraform validate -json`."""

    severity: str
    summary: str
    detail: str
    source: str
    line: int


@dataclass
class CliResult:
    """What the Terraform binary said about one module."""

    fmt: list[FmtProblem] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def find_binary(explicit: str | None = None) -> str | None:
    """The binary to use: `explicit` if it exists, else `terraform` or `tofu` from PATH."""
    if explicit:
        return explicit if Path(explicit).is_file() else shutil.which(explicit)
    return shutil.which("terraform") or shutil.which("tofu")


def _argv(binary: str, command: str, *args: str, **options: Any) -> list[str]:
    from python_terraform import Terraform

    argv: list[str] = Terraform(
        working_dir=tempfile.gettempdir(), terraform_bin_path=binary
    ).generate_cmd_string(command, *args, **options)
    return [str(part) for part in argv]


def _run(argv: list[str], cwd: Path, timeout: int) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TF_IN_AUTOMATION": "1", "TF_INPUT": "0", "CHECKPOINT_DISABLE": "1"}
    env.pop("TF_CLI_ARGS", None)
    return subprocess.run(
        argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def run_terraform(module: Module, binary: str, *, validate: bool = True) -> CliResult:
    """fmt-check the module's judged files and (optionally) validate the module, in a temporary copy."""
    from python_terraform import IsFlagged

    result = CliResult()
    name = Path(binary).name
    with tempfile.TemporaryDirectory(prefix="shipmate-tf-") as tmp:
        work = Path(tmp)
        shown: dict[str, str] = {}
        for source in module.files:
            shutil.copy2(source.path, work / source.path.name)
            shown[source.path.name] = source.display
        for extra in [*module.directory.glob("*.tfvars"), module.directory / ".terraform.lock.hcl"]:
            if extra.is_file():
                shutil.copy2(extra, work / extra.name)
        try:
            done = _run(
                _argv(binary, "fmt", check=IsFlagged, diff=IsFlagged, no_color=IsFlagged), work, FMT_TIMEOUT
            )
            for problem in parse_fmt_diff(done.stdout, shown):
                if problem.source in module.focus:
                    result.fmt.append(problem)
        except (OSError, subprocess.TimeoutExpired) as error:
            result.notes.append(f"{name} fmt could not run: {error}")
        if validate:
            _validate(work, binary, shown, result)
    return result


def _validate(work: Path, binary: str, shown: dict[str, str], result: CliResult) -> None:
    from python_terraform import IsFlagged

    try:
        init = _run(
            _argv(binary, "init", backend="false", input="false", no_color=IsFlagged), work, INIT_TIMEOUT
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        result.notes.append(f"terraform validate skipped: init could not run ({error})")
        return
    if init.returncode != 0:
        text = f"{init.stdout}\n{init.stderr}"
        if _PROVIDER_TROUBLE.search(text):
            result.notes.append(OFFLINE_NOTE)
        else:
            first = next(
                (ln.strip() for ln in text.splitlines() if ln.strip().startswith("Error")), "init failed"
            )
            result.notes.append(f"terraform validate skipped: terraform init failed ({first})")
        return
    try:
        done = _run(_argv(binary, "validate", json=IsFlagged, no_color=IsFlagged), work, VALIDATE_TIMEOUT)
    except (OSError, subprocess.TimeoutExpired) as error:
        result.notes.append(f"terraform validate could not run: {error}")
        return
    try:
        result.diagnostics.extend(parse_validate_json(done.stdout, shown))
    except ValueError:
        result.notes.append("terraform validate gave no JSON output; its result is not included")


def parse_fmt_diff(output: str, shown: dict[str, str]) -> list[FmtProblem]:
    """Files and diffs from `terraform fmt -check -diff` output (file names are mapped through `shown`).

    The line of each problem is the first line that fmt would change.
    """
    problems: list[FmtProblem] = []
    current: str | None = None
    diff: list[str] = []
    first_changed = 0
    old_line = 0

    def close() -> None:
        if current is not None:
            problems.append(FmtProblem(shown.get(current, current), max(1, first_changed), diff))

    for text in output.splitlines():
        if text.startswith("--- old/"):
            close()
            current, diff, first_changed, old_line = text[len("--- old/") :].strip(), [text], 0, 0
            continue
        if current is None or text.strip() in shown or (text and text[0] not in "+- @\\"):
            continue  # before the first diff, or a bare file-name line that `-list` prints
        diff.append(text)
        hunk = re.match(r"@@ -(\d+)", text)
        if hunk:
            old_line = int(hunk.group(1))
        elif text.startswith("-") and not text.startswith("---"):
            first_changed = first_changed or old_line
            old_line += 1
        elif text.startswith(" ") or text == "":
            old_line += 1
    close()
    return problems


def parse_validate_json(output: str, shown: dict[str, str]) -> list[Diagnostic]:
    """Diagnostics from `terraform validate -json`; ValueError when the output is not that JSON."""
    document = json.loads(output)
    if not isinstance(document, dict):
        raise ValueError("not a validate document")
    found: list[Diagnostic] = []
    for item in document.get("diagnostics") or []:
        where = item.get("range") or {}
        filename = str(where.get("filename", ""))
        found.append(
            Diagnostic(
                severity=str(item.get("severity", "error")),
                summary=str(item.get("summary", "")),
                detail=str(item.get("detail", "")),
                source=shown.get(Path(filename).name, filename),
                line=int((where.get("start") or {}).get("line", 1) or 1),
            )
        )
    return found
