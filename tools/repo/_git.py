"""Opening a repository for reading: one clear error for every way it can fail."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tools.errors import InputError

if TYPE_CHECKING:
    from git import Repo

# Options for every git process these tools start: no fsmonitor hook (a repository's own
# config could name a program to run) and no colour codes in what is read back.
SAFE_OPTIONS = ("core.fsmonitor=false", "color.ui=false")


def open_repo(root: Path) -> Repo:
    """The git repository containing `root`; InputError when there is none."""
    from git import InvalidGitRepositoryError, NoSuchPathError, Repo

    if not root.is_dir():
        raise InputError(str(root), "not a folder")
    try:
        repo = Repo(root, search_parent_directories=True)
    except (InvalidGitRepositoryError, NoSuchPathError) as err:
        raise InputError(str(root), "not inside a git repository") from err
    if repo.bare or repo.working_tree_dir is None:
        raise InputError(str(root), "a bare repository has no working tree to read")
    repo.git.set_persistent_git_options(c=list(SAFE_OPTIONS))
    return repo


def git_failure(subject: str, err: Exception) -> InputError:
    """An InputError from a failed git command, with git's own first line of explanation."""
    stderr = getattr(err, "stderr", "") or str(err)
    lines = [line.strip() for line in str(stderr).splitlines() if line.strip()]
    detail = lines[0].removeprefix("stderr: ").strip("'") if lines else "git failed"
    return InputError(subject, detail)


def resolve_ref(repo: Repo, ref: str) -> str:
    """The commit sha `ref` names; refuses option-like refs and unknown names."""
    from git import BadName, BadObject

    if not ref or ref.startswith("-") or any(ch.isspace() for ch in ref):
        raise InputError(ref or "ref", "not a commit, branch or tag name")
    try:
        commit = repo.rev_parse(ref)
    except (BadName, BadObject, ValueError) as err:
        raise InputError(ref, "not a known commit, branch or tag") from err
    if commit.type == "tag":  # an annotated tag: follow it to what it tags
        commit = commit.object
    if commit.type != "commit":
        raise InputError(ref, f"names a {commit.type}, not a commit")
    return str(commit.hexsha)


def head_sha(repo: Repo) -> str | None:
    """HEAD's commit sha; None before the first commit."""
    return str(repo.head.commit.hexsha) if repo.head.is_valid() else None
