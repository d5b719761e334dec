"""`shipmate validate --fix` as a user runs it: diffs shown, nothing written without approval."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

from assistant.audit import AuditLog
from tests.integration.test_cli import run

MANIFEST = """# web tier
apiVersion: v1
kind: ConfigMap
metadata: {name: web, namespace: shop}
data: {MODE: "prod"}   # keep this comment
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web           # the app
        image: "nginx"
        ports:
        - containerPort: 80
          name: http
        securityContext:
          allowPrivilegeEscalation: true
"""


def _repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    (repo / "deploy.yaml").write_text(MANIFEST)
    git = ["git", "-C", str(repo), "-c", "user.name=Dev", "-c", "user.email=dev@example.com"]
    subprocess.run([*git, "add", "deploy.yaml"], check=True)
    subprocess.run([*git, "commit", "-qm", "first"], check=True)
    return repo


def test_fix_shows_a_diff_and_writes_nothing_without_approval(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    shown = run("validate", "deploy.yaml", "--fix", cwd=repo)
    out, err = shown.stdout.decode(), shown.stderr.decode()
    assert "+++ b/deploy.yaml" in out
    assert '-        image: "nginx"' in out
    assert '+        image: "nginx:REPLACE-WITH-A-PINNED-TAG"' in out
    assert "nothing applied without a terminal" in err
    assert (repo / "deploy.yaml").read_text() == MANIFEST
    proposal = re.search(r"--yes (edit-[0-9a-f]+)", err)
    assert proposal is not None

    applied = run("validate", "deploy.yaml", "--fix", "--yes", proposal.group(1), cwd=repo)
    assert f"{proposal.group(1)}: applied" in applied.stderr.decode()
    fixed = (repo / "deploy.yaml").read_text()
    assert (
        fixed.split("---")[0] == MANIFEST.split("---", maxsplit=1)[0]
    )  # the untouched document, byte for byte
    assert "- name: web           # the app" in fixed  # comments and the list style are kept
    assert "allowPrivilegeEscalation: false" in fixed
    assert "runAsNonRoot: true" in fixed
    assert "readinessProbe:" in fixed
    assert "port: http" in fixed

    again = run("validate", "deploy.yaml", "-f", "json", cwd=repo)
    ids = {f["id"] for f in json.loads(again.stdout)["findings"]}
    assert not ids & {"K8S_ALLOW_PRIVILEGE_ESCALATION", "K8S_RUN_AS_ROOT", "K8S_LATEST_TAG", "K8S_SECCOMP"}

    audit = AuditLog(Path(os.environ["XDG_DATA_HOME"]) / "shipmate" / "audit.jsonl")
    events = [r["event"] for r in audit.records()]
    assert events == ["proposal", "rejection", "proposal", "approval", "apply", "commit"]
    assert audit.verify().ok
    log = subprocess.run(
        ["git", "-C", str(repo), "log", "-1", "--format=%B"], capture_output=True, text=True, check=True
    )
    assert proposal.group(1) in log.stdout  # the applied fix is its own commit


def test_a_wrong_yes_id_applies_nothing(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    result = run("validate", "deploy.yaml", "--fix", "--yes", "edit-00000000", cwd=repo)
    assert "not applied" in result.stderr.decode()
    assert (repo / "deploy.yaml").read_text() == MANIFEST


def test_fix_needs_text_output(tmp_path: Path) -> None:
    result = run("validate", str(_repo(tmp_path) / "deploy.yaml"), "--fix", "-f", "json")
    assert result.returncode == 2
    assert b"--fix" in result.stderr
