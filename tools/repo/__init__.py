"""Read-only views of a git repository: status, diff, log, a file's lines, the file list.

Every function takes the folder to work in and returns a small pydantic model; none
writes, prints or asks. gitpython is imported inside the functions, so importing this
package costs nothing.
"""

from __future__ import annotations

from tools.repo.files import list_files, read_file
from tools.repo.models import Commit, FileChange, FileList, FileSlice, RepoDiff, RepoLog, RepoStatus
from tools.repo.state import repo_diff, repo_log, repo_status

__all__ = [
    "Commit",
    "FileChange",
    "FileList",
    "FileSlice",
    "RepoDiff",
    "RepoLog",
    "RepoStatus",
    "list_files",
    "read_file",
    "repo_diff",
    "repo_log",
    "repo_status",
]
