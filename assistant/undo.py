"""Undo the last applied proposal, from what the audit log and the snapshot store say.

Before an edit is written, the file's previous bytes go to
`$XDG_DATA_HOME/shipmate/undo/<proposal-id>` and their sha256 into the "apply" record.
Undo takes the last "apply" not yet undone: a committed one is reverted with
`git revert` (only while its commit is HEAD), an uncommitted one is restored from the
snapshot. Either way the file must be exactly as shipmate left it, or nothing is done.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from assistant.audit import AuditLog, default_audit_path
from tools.atomic import write_atomically
from tools.errors import InputError
from tools.proposals import Proposal, confined

UndoStatus = Literal["undone", "would_undo", "refused", "nothing"]


@dataclass(frozen=True)
class UndoResult:
    """What undo did, or why it did nothing."""

    status: UndoStatus
    message: str
    id: str | None = None
    path: str | None = None


def snapshot_dir() -> Path:
    """`$XDG_DATA_HOME/shipmate/undo`, beside the audit log."""
    return default_audit_path().parent / "undo"


def snapshot_path(proposal_id: str) -> Path:
    """Where the previous content of `proposal_id`'s file is kept."""
    safe = proposal_id if re.fullmatch(r"[A-Za-z0-9._-]{1,100}", proposal_id) else None
    return snapshot_dir() / (safe or hashlib.sha256(proposal_id.encode("utf-8")).hexdigest())


def save_snapshot(root: Path, proposal: Proposal) -> str | None:
    """Keep the bytes the edit is about to replace; their sha256, or None for a file that does not exist."""
    if proposal.edit is None:
        return None
    target = root.resolve() / confined(root, Path(proposal.edit.path))
    if not target.is_file():
        return None
    data = target.read_bytes()
    store = snapshot_path(proposal.id)
    store.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(store, data, 0o600)
    return hashlib.sha256(data).hexdigest()


def discard_snapshot(proposal_id: str) -> None:
    """Forget a snapshot (its edit was not applied, or has been undone)."""
    snapshot_path(proposal_id).unlink(missing_ok=True)


def undo_last(audit: AuditLog, dry_run: bool = False) -> UndoResult:
    """Revert (committed) or restore (uncommitted) the last applied proposal not yet undone; audited."""
    check = audit.verify()
    if not check.ok:
        return UndoResult("refused", f"the audit log fails verification ({check.message}); nothing undone")
    records = audit.records()
    undone = {r["data"].get("apply_seq") for r in records if r.get("event") == "undo"}
    applies = [r for r in records if r.get("event") == "apply" and r["seq"] not in undone]
    if not applies:
        return UndoResult("nothing", "nothing to undo: no applied proposal in the audit log")
    apply = applies[-1]
    data: dict[str, Any] = apply["data"]
    proposal_id, path = str(data.get("id")), str(data.get("path"))
    if "root" not in data:
        return UndoResult("refused", f"{proposal_id} was applied before undo was recorded; undo it by hand")
    commit = next(
        (
            r["data"]
            for r in records
            if r.get("event") == "commit" and r["data"].get("apply_seq") == apply["seq"]
        ),
        None,
    )
    result = _undo(audit, apply, commit, dry_run)
    if result.status == "refused" and not dry_run:
        audit.append("refusal", id=proposal_id, action="undo", reason=result.message)
    return UndoResult(result.status, result.message, proposal_id, path)


def _undo(audit: AuditLog, apply: dict[str, Any], commit: dict[str, Any] | None, dry_run: bool) -> UndoResult:
    data = apply["data"]
    root, proposal_id = Path(data["root"]), str(data["id"])
    try:
        target = root.resolve() / confined(root, Path(data["path"]))
    except InputError as err:
        return UndoResult("refused", f"{err}; nothing undone")
    shown = f"{proposal_id} ({target})"
    current = target.read_bytes() if target.is_file() else None
    if current is None or hashlib.sha256(current).hexdigest() != data.get("sha256"):
        return UndoResult("refused", f"{target} changed since shipmate applied {proposal_id}; nothing undone")
    if commit is not None:
        return _revert(audit, apply, commit, dry_run)
    previous = data.get("previous_sha256")
    if previous is None:
        if dry_run:
            return UndoResult("would_undo", f"would delete {target}, which {proposal_id} created")
        target.unlink()
        method = "delete"
    else:
        store = snapshot_path(proposal_id)
        content = store.read_bytes() if store.is_file() else None
        if content is None or hashlib.sha256(content).hexdigest() != previous:
            return UndoResult("refused", f"the snapshot of {shown} is missing or altered; nothing undone")
        if dry_run:
            return UndoResult("would_undo", f"would restore {target} as it was before {proposal_id}")
        write_atomically(target, content, target.stat().st_mode & 0o7777)
        method = "restore"
    audit.append("undo", id=proposal_id, apply_seq=apply["seq"], path=data["path"], method=method)
    discard_snapshot(proposal_id)
    done = "deleted" if method == "delete" else "restored"
    return UndoResult("undone", f"undid {proposal_id}: {done} {target}")


def _revert(audit: AuditLog, apply: dict[str, Any], commit: dict[str, Any], dry_run: bool) -> UndoResult:
    from git import GitCommandError

    from assistant.git_commits import first_line, open_worktree, staged, with_identity

    data = apply["data"]
    proposal_id, sha = str(data["id"]), str(commit.get("sha"))
    repo = open_worktree(Path(data["root"]))
    if repo is None or not repo.head.is_valid():
        return UndoResult(
            "refused", f"{data['root']} is no longer a git repository with commits; nothing undone"
        )
    if repo.head.commit.hexsha != sha:
        return UndoResult(
            "refused",
            f"commit {sha[:12]} of {proposal_id} is no longer HEAD; nothing undone "
            f"(`git revert {sha[:12]}` reverts it by hand)",
        )
    if staged(repo):
        return UndoResult(
            "refused", "the index has staged changes: commit or unstage them first; nothing undone"
        )
    if dry_run:
        return UndoResult("would_undo", f"would revert commit {sha[:12]} of {proposal_id}")
    try:
        with_identity(repo).revert("--no-edit", sha)
    except GitCommandError as err:
        with contextlib.suppress(GitCommandError):
            repo.git.revert("--abort")
        return UndoResult("refused", f"git revert failed ({first_line(err)}); nothing undone")
    reverted = repo.head.commit.hexsha
    audit.append(
        "undo",
        id=proposal_id,
        apply_seq=apply["seq"],
        path=data["path"],
        method="revert",
        commit=sha,
        revert=reverted,
    )
    discard_snapshot(proposal_id)
    return UndoResult("undone", f"undid {proposal_id}: reverted {sha[:12]} with commit {reverted[:12]}")
