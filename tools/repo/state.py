"""Status, diff and log of a git repository, read-only.

Paths in results are relative to the repository's top folder, as git prints them;
paths given as arguments are relative to `root` and must stay inside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from tools.errors import InputError
from tools.proposals import confined
from tools.repo._git import git_failure, head_sha, open_repo, resolve_ref
from tools.repo.models import ChangeKind, Commit, FileChange, RepoDiff, RepoLog, RepoStatus

if TYPE_CHECKING:
    from git import Repo

MAX_STATUS_ENTRIES = 1000
MAX_DIFF_CHARS = 200_000
MAX_LOG = 500

_KINDS: dict[str, ChangeKind] = {
    "M": "modified",
    "A": "added",
    "D": "deleted",
    "R": "renamed",
    "C": "copied",
    "T": "type_changed",
    "U": "unmerged",
}
_UNMERGED = {"DD", "AU", "UD", "UA", "DU", "AA", "UU"}


def repo_status(root: Path, max_entries: int = MAX_STATUS_ENTRIES) -> RepoStatus:
    """Branch, HEAD, and the staged, unstaged and untracked paths of the repository holding `root`."""
    from git import GitCommandError

    repo = open_repo(root)
    try:
        raw = repo.git.status("--porcelain=v1", "-z", "--untracked-files=normal")
    except GitCommandError as err:
        raise git_failure(str(root), err) from err
    status = RepoStatus(
        top=str(repo.working_tree_dir),
        branch=None if repo.head.is_detached else repo.active_branch.name,
        head=head_sha(repo),
    )
    fields = raw.split("\0")
    position = 0
    count = 0
    while position < len(fields):
        entry = fields[position]
        position += 1
        if len(entry) < 4:
            continue
        code, path = entry[:2], entry[3:]
        old_path = None
        if "R" in code or "C" in code:
            old_path = fields[position] if position < len(fields) else None
            position += 1
        count += 1
        if count > max_entries:
            status.truncated = True
            break
        if code == "??":
            status.untracked.append(path)
        elif code in _UNMERGED:
            status.unstaged.append(FileChange(path=path, change="unmerged"))
        else:
            if code[0] in _KINDS:
                status.staged.append(FileChange(path=path, change=_KINDS[code[0]], old_path=old_path))
            if code[1] in _KINDS:
                status.unstaged.append(FileChange(path=path, change=_KINDS[code[1]]))
    return status


def repo_diff(
    root: Path,
    ref: str | None = None,
    staged: bool = False,
    paths: Sequence[str] = (),
    max_chars: int = MAX_DIFF_CHARS,
) -> RepoDiff:
    """A unified diff: the working tree against the index (default), the index against HEAD
    (`staged`), or either against `ref`; limited to `paths` when given."""
    from git import GitCommandError

    repo = open_repo(root)
    resolved = resolve_ref(repo, ref) if ref is not None else None
    options = ["--no-color", "--no-ext-diff", "--no-textconv"]
    if staged:
        options.append("--cached")
    if resolved is not None:
        options.append(resolved)
    pathspec = ["--", *(_top_relative(repo, root, p) for p in paths)] if paths else []
    try:
        names = repo.git.diff(*options, "--name-only", "-z", *pathspec)
        text = repo.git.diff(*options, *pathspec, strip_newline_in_stdout=False)
    except GitCommandError as err:
        raise git_failure(ref or str(root), err) from err
    truncated = len(text) > max_chars
    return RepoDiff(
        ref=resolved,
        staged=staged,
        files=[name for name in names.split("\0") if name],
        diff=text[:max_chars],
        truncated=truncated,
    )


def repo_log(root: Path, max_count: int = 20, path: str | None = None) -> RepoLog:
    """Up to `max_count` commits from HEAD backwards, newest first, optionally only those touching `path`."""
    if max_count < 1:
        raise InputError("max_count", "must be at least 1")
    repo = open_repo(root)
    relative = _top_relative(repo, root, path) if path is not None else None
    if head_sha(repo) is None:
        return RepoLog(path=relative, commits=[])
    found = repo.iter_commits("HEAD", max_count=min(max_count, MAX_LOG), paths=relative or "")
    commits = [
        Commit(
            sha=commit.hexsha,
            author=str(commit.author.name),
            email=str(commit.author.email),
            date=commit.authored_datetime.isoformat(),
            summary=_text(commit.summary),
            message=_text(commit.message),
        )
        for commit in found
    ]
    return RepoLog(path=relative, commits=commits)


def _top_relative(repo: Repo, root: Path, path: str) -> str:
    """`path` (relative to `root`, confined to it) relative to the repository's top folder."""
    inside = root.resolve() / confined(root, Path(path))
    top = Path(str(repo.working_tree_dir)).resolve()
    return inside.relative_to(top).as_posix() or "."


def _text(value: str | bytes) -> str:
    return value.decode("utf-8", errors="replace") if isinstance(value, bytes) else value
