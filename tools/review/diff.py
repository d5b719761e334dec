"""The files a change touches and the head lines it added or changed, from `git diff` read by unidiff."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tools.errors import InputError
from tools.repo._git import git_failure
from tools.review.models import ChangedFile, ChangeStatus

if TYPE_CHECKING:
    from git import Repo

# Renames are found as git finds them by default; zero context lines, so every line in a hunk is changed.
# Paths with non-ASCII letters printed as they are, not quoted and escaped.
_GIT_CONFIG = ("-c", "core.fsmonitor=false", "-c", "color.ui=false", "-c", "core.quotePath=false")
_DIFF_OPTIONS = ("--unified=0", "--no-color", "--no-ext-diff", "--no-textconv", "--find-renames")


def changed_files(repo: Repo, base: str, head: str) -> list[ChangedFile]:
    """Every file that differs between the commits `base` and `head`, sorted by path (kind 'other')."""
    from git import GitCommandError
    from unidiff.errors import UnidiffParseError
    from unidiff.patch import PatchSet

    try:
        text = str(
            repo.git.execute(
                ["git", *_GIT_CONFIG, "diff", *_DIFF_OPTIONS, base, head, "--"], strip_newline_in_stdout=False
            )
        )
    except GitCommandError as err:
        raise git_failure(f"{base[:12]}..{head[:12]}", err) from err
    try:
        patch = PatchSet(text)
    except UnidiffParseError as err:
        raise InputError(f"{base[:12]}..{head[:12]}", f"cannot read the diff git printed: {err}") from err
    files = []
    for patched in patch:
        status: ChangeStatus
        if patched.is_added_file:
            status = "added"
        elif patched.is_removed_file:
            status = "deleted"
        elif patched.is_rename:
            status = "renamed"
        else:
            status = "modified"
        path = _strip(patched.source_file if status == "deleted" else patched.target_file)
        lines = sorted(
            {
                line.target_line_no
                for hunk in patched
                for line in hunk
                if line.is_added and line.target_line_no
            }
        )
        files.append(
            ChangedFile(
                path=path,
                old_path=_strip(patched.source_file) if status == "renamed" else None,
                status=status,
                kind="other",
                changed_lines=lines,
                binary=bool(patched.is_binary_file),
            )
        )
    return sorted(files, key=lambda f: f.path)


def _strip(name: str) -> str:
    """`b/dir/file` -> `dir/file` (git's a/ and b/ prefixes)."""
    return name[2:] if name.startswith(("a/", "b/")) else name
