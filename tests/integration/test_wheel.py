"""The wheel carries its data: build it, install it in a fresh venv, diagnose from elsewhere."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO


def _uv() -> str:
    found = shutil.which("uv") or str(REPO / ".uv-bootstrap" / "bin" / "uv")
    if not Path(found).exists():
        pytest.skip("uv is not installed (make installs it)")
    return found


@pytest.mark.slow
def test_installed_wheel_diagnoses_an_example(tmp_path: Path) -> None:
    uv = _uv()
    env = {**os.environ, "UV_PYTHON_DOWNLOADS": "never"}
    subprocess.run(
        [uv, "build", "--wheel", "--out-dir", str(tmp_path / "dist"), str(REPO)],
        check=True,
        capture_output=True,
        env=env,
    )
    wheel = next((tmp_path / "dist").glob("shipmate-*.whl"))
    venv = tmp_path / "venv"
    subprocess.run(
        [uv, "venv", "--python", sys.executable, str(venv)], check=True, capture_output=True, env=env
    )
    python = venv / "bin" / "python"
    install = [uv, "pip", "install", "--python", str(python), str(wheel)]
    if subprocess.run([*install, "--offline"], capture_output=True, env=env, check=False).returncode != 0:
        subprocess.run(install, check=True, capture_output=True, env=env)
    example = tmp_path / "case"
    shutil.copytree(REPO / "examples" / "k8s-missing-secret", example)
    result = subprocess.run(
        [str(venv / "bin" / "shipmate"), "diagnose", "-f", "json", str(example)],
        capture_output=True,
        cwd=tmp_path,
        check=False,
        env=env,
    )
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert report["findings"][0]["category"] == "container.config.missing_secret"
    runbook = report["findings"][0]["references"][0]["path"]
    listed = subprocess.run(
        [
            str(python),
            "-c",
            "import importlib.resources as r; print(r.files('knowledge')"
            f".joinpath('{runbook.removeprefix('knowledge/')}').is_file())",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    )
    assert listed.stdout.strip() == "True"
    rendered = subprocess.run(
        [
            str(python),
            "-c",
            "from assistant.prompts import render_prompt; "
            "print('Untrusted data' in render_prompt('system.md.j2', workspace='/w', branch=None, "
            "allowed_commands='kubectl get', max_steps=3))",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    )
    assert rendered.stdout.strip() == "True"  # the prompts and their partials ship in the wheel
