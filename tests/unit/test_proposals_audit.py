"""Proposals apply atomically inside their root only, and the audit chain exposes any tampering."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from assistant.approvals import CliApprover, NeverApprove, PreApproved, decide_and_apply
from assistant.audit import AuditLog
from tools.errors import InputError
from tools.proposals import Proposal, apply_file_edit, file_edit_proposal


def test_an_approved_edit_is_written_atomically_and_keeps_the_mode(tmp_path: Path) -> None:
    target = tmp_path / "deploy.yaml"
    target.write_text("a: 1\n")
    target.chmod(0o640)
    proposal = file_edit_proposal(tmp_path, target, "a: 2\n", "bump a")
    assert proposal.edit is not None
    assert "-a: 1\n+a: 2\n" in proposal.edit.diff
    apply_file_edit(tmp_path, proposal.edit)
    assert target.read_text() == "a: 2\n"
    assert target.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["deploy.yaml"]  # no temp file left behind


def test_a_file_changed_since_the_proposal_is_not_overwritten(tmp_path: Path) -> None:
    target = tmp_path / "deploy.yaml"
    target.write_text("a: 1\n")
    proposal = file_edit_proposal(tmp_path, target, "a: 2\n", "bump a")
    target.write_text("a: 1\nb: someone else's change\n")
    assert proposal.edit is not None
    with pytest.raises(InputError, match="changed since the fix was proposed"):
        apply_file_edit(tmp_path, proposal.edit)
    assert "someone else's change" in target.read_text()


def test_paths_outside_the_root_are_refused(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    outside = tmp_path / "outside.yaml"
    outside.write_text("x: 1\n")
    with pytest.raises(InputError, match="outside"):
        file_edit_proposal(root, root / ".." / "outside.yaml", "x: 2\n", "escape")
    os.symlink(outside, root / "link.yaml")
    with pytest.raises(InputError, match="outside"):
        file_edit_proposal(root, root / "link.yaml", "x: 2\n", "escape through a symlink")
    assert outside.read_text() == "x: 1\n"


def test_decisions_are_applied_only_when_approved_and_all_audited(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("a: 1\n")
    (tmp_path / "b.yaml").write_text("b: 1\n")
    first = file_edit_proposal(tmp_path, tmp_path / "a.yaml", "a: 2\n", "a")
    second = file_edit_proposal(tmp_path, tmp_path / "b.yaml", "b: 2\n", "b")
    audit = AuditLog(tmp_path / "audit.jsonl")
    outcomes = decide_and_apply([first, second], PreApproved(frozenset({second.id})), tmp_path, audit)
    assert [o.applied for o in outcomes] == [False, True]
    assert (tmp_path / "a.yaml").read_text() == "a: 1\n"
    assert (tmp_path / "b.yaml").read_text() == "b: 2\n"
    events = [r["event"] for r in audit.records()]
    assert events == ["proposal", "rejection", "proposal", "approval", "apply"]
    assert audit.verify().ok
    assert not decide_and_apply([first], NeverApprove(), tmp_path, audit)[0].applied
    answers = iter(["yes"])
    assert decide_and_apply([first], CliApprover(ask=lambda _: next(answers)), tmp_path, audit)[0].applied


def _log_with(tmp_path: Path, count: int) -> AuditLog:
    audit = AuditLog(tmp_path / "audit.jsonl")
    for n in range(count):
        audit.append("tool_call", n=n)
    return audit


def test_audit_chain_detects_edits_removals_and_reordering(tmp_path: Path) -> None:
    audit = _log_with(tmp_path, 4)
    assert audit.verify().ok
    assert audit.verify().records == 4
    lines = audit.path.read_text().splitlines()

    edited = json.loads(lines[1])
    edited["data"]["n"] = 99
    audit.path.write_text("\n".join([lines[0], json.dumps(edited), *lines[2:]]) + "\n")
    assert "edited" in audit.verify().message

    audit.path.write_text("\n".join([lines[0], *lines[2:]]) + "\n")
    assert not audit.verify().ok

    audit.path.write_text("\n".join([lines[0], lines[2], lines[1], lines[3]]) + "\n")
    assert "out of order" in audit.verify().message

    audit.path.write_text("\n".join([*lines, "not json"]) + "\n")
    assert "not a JSON record" in audit.verify().message


def test_audit_continues_the_chain_across_processes(tmp_path: Path) -> None:
    _log_with(tmp_path, 2)
    again = AuditLog(tmp_path / "audit.jsonl")
    record = again.append("approval", id="edit-1")
    assert record["seq"] == 3
    assert again.verify().ok


class _Revising:
    """Approves after the human changed the new text (or pointed the edit at another file)."""

    def __init__(self, root: Path, path: str, text: str) -> None:
        self.root, self.path, self.text = root, path, text

    def decide(self, proposal: Proposal) -> bool | Proposal:
        return file_edit_proposal(self.root, self.root / self.path, self.text, proposal.title, origin="human")


def test_a_revised_proposal_is_applied_instead_and_the_edit_is_audited(tmp_path: Path) -> None:
    target = tmp_path / "deploy.yaml"
    target.write_text("a: 1\n")
    audit = AuditLog(tmp_path / "audit.jsonl")
    proposal = file_edit_proposal(tmp_path, target, "a: 2\n", "bump a")
    [outcome] = decide_and_apply([proposal], _Revising(tmp_path, "deploy.yaml", "a: 3\n"), tmp_path, audit)
    assert outcome.applied
    assert target.read_text() == "a: 3\n"
    assert outcome.proposal.id != proposal.id
    events = [(r["event"], r["data"].get("id")) for r in audit.records()]
    assert events[:3] == [
        ("proposal", proposal.id),
        ("revision", proposal.id),
        ("approval", outcome.proposal.id),
    ]
    assert audit.verify().ok


def test_a_revision_of_another_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "deploy.yaml").write_text("a: 1\n")
    audit = AuditLog(tmp_path / "audit.jsonl")
    proposal = file_edit_proposal(tmp_path, tmp_path / "deploy.yaml", "a: 2\n", "bump a")
    [outcome] = decide_and_apply([proposal], _Revising(tmp_path, "other.yaml", "x\n"), tmp_path, audit)
    assert not outcome.applied
    assert not (tmp_path / "other.yaml").exists()
    assert (tmp_path / "deploy.yaml").read_text() == "a: 1\n"
    assert [r["event"] for r in audit.records()][-1] == "refusal"


class _Unsure:
    """A broken approver that answers neither yes nor a revision."""

    def decide(self, proposal: Proposal) -> bool | Proposal:
        return None  # type: ignore[return-value]


def test_only_an_explicit_yes_applies(tmp_path: Path) -> None:
    target = tmp_path / "deploy.yaml"
    target.write_text("a: 1\n")
    audit = AuditLog(tmp_path / "audit.jsonl")
    proposal = file_edit_proposal(tmp_path, target, "a: 2\n", "bump a")
    [outcome] = decide_and_apply([proposal], _Unsure(), tmp_path, audit)
    assert not outcome.applied
    assert target.read_text() == "a: 1\n"
    assert [r["event"] for r in audit.records()] == ["proposal", "rejection"]
