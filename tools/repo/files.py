"""A file's lines and the repository's file list, read-only and confined to the root."""

from __future__ import annotations

import fnmatch
from pathlib import Path

from tools.errors import InputError
from tools.proposals import confined
from tools.repo._git import SAFE_OPTIONS, git_failure, open_repo
from tools.repo.models import FileList, FileSlice

MAX_LINES = 2000
MAX_LINE_CHARS = 500
BINARY_SNIFF = 8192


def read_file(root: Path, path: str, start_line: int = 1, max_lines: int = 400) -> FileSlice:
    """Up to `max_lines` lines of the text file `path` (relative to `root`, never outside it),
    from `start_line` (1-based), each numbered; long lines are cut. Binary files are refused,
    and so is anything inside `.git`."""
    if start_line < 1:
        raise InputError(path, "start_line must be 1 or more")
    if max_lines < 1:
        raise InputError(path, "max_lines must be 1 or more")
    relative = confined(root, Path(path))
    if ".git" in relative.parts:
        raise InputError(path, "inside .git: git's own files are not read")
    target = root.resolve() / relative
    if not target.exists():
        raise InputError(path, "no such file")
    if not target.is_file():
        raise InputError(path, "not a regular file")
    wanted = min(max_lines, MAX_LINES)
    with target.open("rb") as handle:
        if b"\0" in handle.read(BINARY_SNIFF):
            raise InputError(path, "a binary file: only text is read")
        handle.seek(0)
        kept: list[str] = []
        cut = False
        total = 0
        for total, raw in enumerate(handle, start=1):
            if start_line <= total < start_line + wanted:
                line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
                if len(line) > MAX_LINE_CHARS:
                    line = f"{line[:MAX_LINE_CHARS]}… [{len(line) - MAX_LINE_CHARS} more characters cut]"
                    cut = True
                kept.append(f"{total:>6} | {line}")
    if total and start_line > total:
        raise InputError(path, f"has {total} lines; start_line {start_line} is past the end")
    end = start_line + len(kept) - 1
    return FileSlice(
        path=relative.as_posix(),
        start_line=start_line,
        end_line=end,
        total_lines=total,
        text="\n".join(kept) + ("\n" if kept else ""),
        truncated=cut or end < total,
    )


def list_files(root: Path, pattern: str | None = None, max_files: int = 500) -> FileList:
    """Files under `root` that git tracks plus untracked ones it does not ignore, relative to
    `root`, sorted; `pattern` is a glob on that path (`*.yaml`, `k8s/*`)."""
    from git import Git, GitCommandError

    if max_files < 1:
        raise InputError("max_files", "must be at least 1")
    open_repo(root)  # a clear error when there is no repository
    here = Git(str(root.resolve()))  # ls-files lists the folder it runs in, relative to it
    here.set_persistent_git_options(c=list(SAFE_OPTIONS))
    try:
        raw = here.ls_files("-z", "--cached", "--others", "--exclude-standard")
    except GitCommandError as err:
        raise git_failure(str(root), err) from err
    names = sorted({name for name in str(raw).split("\0") if name})
    if pattern:
        names = [name for name in names if fnmatch.fnmatchcase(name, pattern)]
    return FileList(files=names[:max_files], total=len(names), truncated=len(names) > max_files)
