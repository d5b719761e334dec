"""One git commit per applied proposal: exactly the edited file, nothing else the user had staged.

After an approved file edit is written inside a git repository, the file is committed on
the current branch (or on a new branch `shipmate/<proposal-id>`) with a message naming
the proposal. When that cannot be done cleanly (no repository, a detached HEAD, the file
had uncommitted changes of the user's, its own staged changes, an ignored file) the
commit is skipped and the reason said: the applied edit stands, and `shipmate undo`
restores it from the snapshot instead.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.audit import AuditLog
from tools.proposals import Proposal

if TYPE_CHECKING:
    from git import Git, Repo

BRANCH_PREFIX = "shipmate/"
FALLBACK_IDENTITY = ["user.name=shipmate", "user.email=shipmate@localhost"]


@dataclass(frozen=True)
class CommitOutcome:
    """Whether the applied edit was committed: the commit's sha and branch, or why not."""

    committed: bool
    message: str
    sha: str | None = None
    branch: str | None = None


def commit_applied_edit(
    root: Path, proposal: Proposal, audit: AuditLog, new_branch: bool = False, apply_seq: int | None = None
) -> CommitOutcome:
    """Commit the file `proposal` just wrote (and nothing else); audit "commit" with the sha, or
    "commit_skipped" with the reason. Never raises for a git problem: the apply stands either way."""
    from git import GitCommandError

    try:
        outcome = _commit(root, proposal, new_branch)
    except GitCommandError as err:
        outcome = CommitOutcome(False, f"not committed: {first_line(err)}")
    if outcome.committed:
        audit.append(
            "commit",
            id=proposal.id,
            apply_seq=apply_seq,
            path=proposal.edit.path if proposal.edit else None,
            sha=outcome.sha,
            branch=outcome.branch,
        )
    else:
        audit.append("commit_skipped", id=proposal.id, apply_seq=apply_seq, reason=outcome.message)
    return outcome


def _commit(root: Path, proposal: Proposal, new_branch: bool) -> CommitOutcome:
    from git import GitCommandError

    edit = proposal.edit
    if edit is None:
        return CommitOutcome(False, "not committed: not a file edit")
    repo = open_worktree(root)
    if repo is None:
        return CommitOutcome(False, "not committed: not inside a git repository")
    top = Path(str(repo.working_tree_dir)).resolve()
    relative = (root.resolve() / edit.path).relative_to(top).as_posix()
    if repo.head.is_detached:
        return CommitOutcome(False, "not committed: HEAD is detached (no branch to commit on)")
    if repo.ignored(relative):
        return CommitOutcome(False, f"not committed: git ignores {relative}")
    if text_sha(head_bytes(repo, relative)) != edit.original_sha256:
        return CommitOutcome(
            False,
            f"not committed: {relative} had uncommitted changes before the edit (they would be mixed in)",
        )
    if staged(repo, relative):
        return CommitOutcome(False, f"not committed: {relative} has staged changes of its own")
    previous = repo.active_branch.name
    branch = None
    if new_branch:
        branch = BRANCH_PREFIX + proposal.id
        if not repo.head.is_valid():
            return CommitOutcome(False, "not committed: no commit yet to start a branch from")
        if branch in [head.name for head in repo.heads]:
            return CommitOutcome(False, f"not committed: branch {branch} already exists")
        repo.git.check_ref_format("--branch", branch)
        repo.git.checkout("-q", "-b", branch)  # same commit: working tree and index stay as they are
    message = f"shipmate: {proposal.title}\n\nApplies proposal {proposal.id}"
    message += f" ({proposal.origin}).\n" if proposal.origin else ".\n"
    message += f"\nShipmate-Proposal: {proposal.id}\n"
    try:
        repo.git.add("--", relative)
        with_identity(repo).commit("--no-verify", "--only", "-q", "-m", message, "--", relative)
    except GitCommandError:
        _unstage(repo, relative)
        if branch is not None:
            repo.git.checkout("-q", previous)
            repo.git.branch("-D", branch)
        raise
    return CommitOutcome(
        True, f"committed {repo.head.commit.hexsha[:12]}", repo.head.commit.hexsha, branch or previous
    )


def open_worktree(root: Path) -> Repo | None:
    """The git repository holding `root`, or None (not a repository, or a bare one)."""
    from git import InvalidGitRepositoryError, NoSuchPathError, Repo

    try:
        repo = Repo(root, search_parent_directories=True)
    except (InvalidGitRepositoryError, NoSuchPathError):
        return None
    if repo.bare or repo.working_tree_dir is None:
        return None
    repo.git.set_persistent_git_options(c="core.fsmonitor=false")
    return repo


def head_bytes(repo: Repo, relative: str) -> bytes | None:
    """The file's content at HEAD; None before the first commit or when HEAD lacks it."""
    if not repo.head.is_valid():
        return None
    try:
        blob = repo.head.commit.tree / relative
    except KeyError:
        return None
    data: bytes = blob.data_stream.read()
    return data


def text_sha(data: bytes | None) -> str | None:
    """The sha256 proposals record for a file with these bytes (read as text, universal newlines)."""
    if data is None:
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return "not text"
    normal = text.replace("\r\n", "\n").replace("\r", "\n")
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


def staged(repo: Repo, relative: str | None = None) -> bool:
    """True when the index differs from HEAD (for `relative` only, when given)."""
    from git import GitCommandError

    paths = ["--", relative] if relative else []
    try:
        repo.git.diff("--cached", "--quiet", *paths)
    except GitCommandError as err:
        if err.status == 1:
            return True
        raise
    return False


def with_identity(repo: Repo) -> Git:
    """repo.git, with a fallback author when none is configured (a fresh CI machine)."""
    from git import GitCommandError

    try:
        repo.git.var("GIT_AUTHOR_IDENT")
        repo.git.var("GIT_COMMITTER_IDENT")
    except GitCommandError:
        return repo.git(c=FALLBACK_IDENTITY)
    return repo.git


def first_line(err: Exception) -> str:
    """git's own explanation, one line."""
    text = str(getattr(err, "stderr", "") or err)
    lines = [line.strip().removeprefix("stderr: ").strip("'") for line in text.splitlines() if line.strip()]
    return next((line for line in lines if line), "git failed")


def _unstage(repo: Repo, relative: str) -> None:
    """Put the index entry back as HEAD has it (it matched HEAD before the add)."""
    from git import GitCommandError

    try:
        if repo.head.is_valid() and head_bytes(repo, relative) is not None:
            repo.git.reset("-q", "--", relative)
        else:
            repo.git.rm("--cached", "-q", "--", relative)
    except GitCommandError:
        pass
