"""A commit's files written to a folder, so validators read exactly what the commit holds."""

from __future__ import annotations

import tarfile
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from tools.repo._git import git_failure

if TYPE_CHECKING:
    from git import Repo


def export_commit(repo: Repo, commit: str, destination: Path) -> None:
    """Write the tree of `commit` under `destination` (`git archive`); links leaving it are skipped."""
    from git import GitCommandError

    destination.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryFile() as archive:
        try:
            repo.archive(archive, commit, format="tar")
        except GitCommandError as err:
            raise git_failure(commit[:12], err) from err
        archive.seek(0)
        with tarfile.open(fileobj=archive, mode="r:") as tar:
            tar.extractall(destination, filter=_safe_member)


def _safe_member(member: tarfile.TarInfo, path: str) -> tarfile.TarInfo | None:
    """tarfile's `data` filter, except that a refused member (a link out of the tree) is skipped."""
    try:
        return tarfile.data_filter(member, path)
    except tarfile.FilterError:
        return None
