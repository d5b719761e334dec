"""Commits per applied proposal, `shipmate undo` and `shipmate audit`, on real repositories and real processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.approvals import PreApproved, decide_and_apply
from assistant.audit import AuditLog
from assistant.undo import snapshot_path
from tests.conftest import REPO
from tools.proposals import Proposal, file_edit_proposal


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "assistant.cli.app", *args],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        cwd=cwd or REPO,
        timeout=120,
        check=False,
    )


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True
    ).stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "Test")
    git(root, "config", "user.email", "test@example.com")
    (root / "deploy.yaml").write_text("replicas: 1\n")
    (root / "other.yaml").write_text("other: 1\n")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "first")
    return root


def apply(root: Path, proposal: Proposal, commit: bool = True, new_branch: bool = False) -> str:
    outcome = decide_and_apply(
        [proposal],
        PreApproved(frozenset({proposal.id})),
        root,
        AuditLog(),
        commit=commit,
        new_branch=new_branch,
    )[0]
    assert outcome.applied, outcome.message
    return outcome.message


def events() -> list[str]:
    return [r["event"] for r in AuditLog().records()]


def test_an_approved_edit_is_committed_alone_and_undo_reverts_it(repo: Path) -> None:
    (repo / "other.yaml").write_text("other: 2\n")
    git(repo, "add", "other.yaml")  # the user's own staged change stays out of shipmate's commit
    proposal = file_edit_proposal(
        repo, repo / "deploy.yaml", "replicas: 3\n", "three replicas", origin="test"
    )
    message = apply(repo, proposal)
    assert "committed" in message
    head = git(repo, "rev-parse", "HEAD")
    assert git(repo, "show", "--name-only", "--format=%s", "HEAD").splitlines() == [
        "shipmate: three replicas",
        "",
        "deploy.yaml",
    ]
    assert proposal.id in git(repo, "log", "-1", "--format=%B")
    assert git(repo, "diff", "--cached", "--name-only") == "other.yaml"
    commit = next(r for r in AuditLog().records() if r["event"] == "commit")
    assert commit["data"]["sha"] == head
    assert commit["data"]["branch"] == "main"

    git(repo, "reset", "-q")  # undo by revert needs a clean index; the user's change stays in the tree
    result = run("undo")
    assert result.returncode == 0, result.stderr
    assert f"undid {proposal.id}: reverted {head[:12]}" in result.stdout
    assert (repo / "deploy.yaml").read_text() == "replicas: 1\n"
    assert (repo / "other.yaml").read_text() == "other: 2\n"
    assert git(repo, "log", "-1", "--format=%s") == 'Revert "shipmate: three replicas"'
    assert git(repo, "rev-parse", "HEAD~1") == head
    assert events()[-1] == "undo"
    assert AuditLog().verify().ok

    again = run("undo")
    assert again.returncode == 1
    assert "nothing to undo" in again.stderr


def test_undo_refuses_when_the_file_changed_since(repo: Path) -> None:
    proposal = file_edit_proposal(repo, repo / "deploy.yaml", "replicas: 3\n", "three replicas")
    apply(repo, proposal)
    head = git(repo, "rev-parse", "HEAD")
    (repo / "deploy.yaml").write_text("replicas: 3\nsomeone: else\n")
    before = len(AuditLog().records())
    result = run("undo")
    assert result.returncode == 1
    assert "changed since shipmate applied" in result.stderr
    assert "nothing undone" in result.stderr
    assert result.stderr.count("\n") == 1
    assert (repo / "deploy.yaml").read_text() == "replicas: 3\nsomeone: else\n"
    assert git(repo, "rev-parse", "HEAD") == head
    assert len(AuditLog().records()) == before + 1
    assert events()[-1] == "refusal"


def test_undo_refuses_when_the_commit_is_no_longer_head(repo: Path) -> None:
    proposal = file_edit_proposal(repo, repo / "deploy.yaml", "replicas: 3\n", "three replicas")
    apply(repo, proposal)
    (repo / "other.yaml").write_text("other: 3\n")
    git(repo, "commit", "-q", "-am", "later work")
    head = git(repo, "rev-parse", "HEAD")
    result = run("undo")
    assert result.returncode == 1
    assert "no longer HEAD" in result.stderr
    assert git(repo, "rev-parse", "HEAD") == head
    assert (repo / "deploy.yaml").read_text() == "replicas: 3\n"


def test_nothing_to_undo_says_so() -> None:
    result = run("undo")
    assert result.returncode == 1
    assert result.stderr == "shipmate: nothing to undo: no applied proposal in the audit log\n"
    assert result.stdout == ""


def test_uncommitted_edits_are_restored_from_the_snapshot_and_created_files_deleted(tmp_path: Path) -> None:
    (tmp_path / "app.conf").write_bytes(b"a = 1\r\n")  # exact bytes come back, line endings included
    first = file_edit_proposal(tmp_path, tmp_path / "app.conf", "a = 2\n", "a two")
    second = file_edit_proposal(tmp_path, tmp_path / "new.conf", "b = 1\n", "new file")
    assert "not committed: not inside a git repository" in apply(tmp_path, first)
    apply(tmp_path, second, commit=False)
    assert snapshot_path(first.id).read_bytes() == b"a = 1\r\n"

    dry = run("undo", "--dry-run")
    assert dry.returncode == 0
    assert "would delete" in dry.stdout
    assert (tmp_path / "new.conf").exists()

    assert run("undo").returncode == 0
    assert not (tmp_path / "new.conf").exists()
    restored = run("undo")
    assert restored.returncode == 0, restored.stderr
    assert f"undid {first.id}: restored" in restored.stdout
    assert (tmp_path / "app.conf").read_bytes() == b"a = 1\r\n"
    assert not snapshot_path(first.id).exists()
    assert [e for e in events() if e in ("apply", "commit_skipped", "undo")] == [
        "apply",
        "commit_skipped",
        "apply",
        "undo",
        "undo",
    ]


def test_a_file_with_uncommitted_changes_is_applied_but_not_committed(repo: Path) -> None:
    (repo / "deploy.yaml").write_text("replicas: 2\n")  # the user's own, uncommitted
    head = git(repo, "rev-parse", "HEAD")
    proposal = file_edit_proposal(repo, repo / "deploy.yaml", "replicas: 4\n", "four")
    assert "had uncommitted changes before the edit" in apply(repo, proposal)
    assert git(repo, "rev-parse", "HEAD") == head
    assert (repo / "deploy.yaml").read_text() == "replicas: 4\n"
    assert run("undo").returncode == 0
    assert (repo / "deploy.yaml").read_text() == "replicas: 2\n"


def test_a_new_branch_per_proposal_when_asked(repo: Path) -> None:
    proposal = file_edit_proposal(repo, repo / "deploy.yaml", "replicas: 5\n", "five")
    assert "committed" in apply(repo, proposal, new_branch=True)
    assert git(repo, "branch", "--show-current") == f"shipmate/{proposal.id}"
    assert git(repo, "rev-parse", "main") == git(repo, "rev-parse", "HEAD~1")
    # the same branch again cannot be made: skipped, nothing half done
    git(repo, "checkout", "-q", "main")
    (repo / "deploy.yaml").write_text("replicas: 1\n")
    again = apply(repo, proposal, new_branch=True)
    assert "already exists" in again
    assert git(repo, "branch", "--show-current") == "main"


def test_audit_verify_and_show(repo: Path) -> None:
    proposal = file_edit_proposal(repo, repo / "deploy.yaml", "replicas: 3\n", "three replicas")
    apply(repo, proposal)
    count = len(AuditLog().records())
    good = run("audit", "verify")
    assert good.returncode == 0
    assert good.stdout == f"chain intact ({count} records)\n"

    shown = run("audit", "show", "--last", "2")
    assert shown.returncode == 0
    lines = shown.stdout.splitlines()
    assert len(lines) == 2
    assert " apply " in lines[0]
    assert "path=deploy.yaml" in lines[0]
    assert " commit " in lines[1]
    as_json = json.loads(run("audit", "show", "--format", "json", "--last", "0").stdout)
    assert [r["event"] for r in as_json] == ["proposal", "approval", "apply", "commit"]
    bad_format = run("audit", "show", "--format", "yaml")
    assert bad_format.returncode == 2
    assert "not one of text, json" in bad_format.stderr

    path = AuditLog().path
    records = path.read_text().splitlines()
    edited = json.loads(records[2])
    edited["data"]["path"] = "elsewhere.yaml"
    path.write_text("\n".join([*records[:2], json.dumps(edited), *records[3:]]) + "\n")
    tampered = run("audit", "verify")
    assert tampered.returncode == 1
    assert tampered.stdout == "line 3: record edited (hash mismatch)\n"
    refused = run("undo")
    assert refused.returncode == 1
    assert "fails verification" in refused.stderr
    assert (repo / "deploy.yaml").read_text() == "replicas: 3\n"


def test_audit_commands_on_an_empty_log_and_an_explicit_file(tmp_path: Path) -> None:
    assert run("audit", "verify").stdout == "chain intact (0 records)\n"
    other = AuditLog(tmp_path / "elsewhere.jsonl")
    other.append("tool_call", name="repo_status")
    result = run("audit", "show", "--log", str(other.path))
    assert "tool_call" in result.stdout
    assert "name=repo_status" in result.stdout
    assert run("audit", "verify", "--log", str(other.path)).stdout == "chain intact (1 records)\n"


def test_a_repository_without_an_identity_gets_shipmate_as_author(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    root = tmp_path / "bare-identity"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    proposal = file_edit_proposal(root, root / "new.yaml", "a: 1\n", "a new file")
    assert "committed" in apply(root, proposal)
    assert git(root, "log", "-1", "--format=%an <%ae>") == "shipmate <shipmate@localhost>"
    assert git(root, "ls-files") == "new.yaml"


def test_a_commit_that_git_refuses_is_skipped_and_leaves_no_half_state(repo: Path) -> None:
    head = git(repo, "rev-parse", "HEAD")
    lock = repo / ".git" / "index.lock"
    lock.write_text("")  # another git process holds the index
    proposal = file_edit_proposal(repo, repo / "deploy.yaml", "replicas: 6\n", "six")
    message = apply(repo, proposal)
    assert "not committed" in message
    assert "index.lock" in message
    lock.unlink()
    assert git(repo, "rev-parse", "HEAD") == head
    assert git(repo, "diff", "--cached", "--name-only") == ""
    assert (repo / "deploy.yaml").read_text() == "replicas: 6\n"
    assert events()[-1] == "commit_skipped"
