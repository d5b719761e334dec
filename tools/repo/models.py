"""Results of the read-only repository tools."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

ChangeKind = Literal["added", "modified", "deleted", "renamed", "copied", "type_changed", "unmerged"]


class FileChange(BaseModel):
    """One changed path, as git status reports it (paths from the repository's top folder)."""

    path: str
    change: ChangeKind
    old_path: str | None = Field(default=None, description="The previous path of a rename or copy.")


class RepoStatus(BaseModel):
    """The working tree against the index and HEAD."""

    top: str = Field(description="The repository's top folder.")
    branch: str | None = Field(description="Current branch; None on a detached HEAD.")
    head: str | None = Field(description="HEAD's commit sha; None before the first commit.")
    staged: list[FileChange] = Field(default_factory=list)
    unstaged: list[FileChange] = Field(default_factory=list)
    untracked: list[str] = Field(default_factory=list)
    truncated: bool = Field(default=False, description="More entries than the limit; the rest left off.")

    @property
    def clean(self) -> bool:
        """Nothing staged, changed or untracked."""
        return not (self.staged or self.unstaged or self.untracked)


class RepoDiff(BaseModel):
    """A unified diff and the files it touches."""

    ref: str | None = Field(description="The commit compared against, as resolved (None: the index).")
    staged: bool
    files: list[str]
    diff: str
    truncated: bool = Field(default=False, description="The diff was cut at the size limit.")


class Commit(BaseModel):
    """One commit of the log."""

    sha: str
    author: str
    email: str
    date: str = Field(description="Author date, ISO 8601.")
    summary: str
    message: str


class RepoLog(BaseModel):
    """Commits from HEAD backwards, newest first."""

    path: str | None
    commits: list[Commit]


class FileSlice(BaseModel):
    """Some lines of a text file, numbered."""

    path: str = Field(description="Path relative to the root it was read from.")
    start_line: int
    end_line: int = Field(description="Last line included (start_line - 1 when none).")
    total_lines: int
    text: str = Field(description="Each line prefixed by its number and ' | '.")
    truncated: bool = Field(description="Lines after end_line exist, or long lines were cut.")


class FileList(BaseModel):
    """Tracked files plus untracked files git does not ignore."""

    files: list[str]
    total: int = Field(description="How many matched before the limit.")
    truncated: bool
