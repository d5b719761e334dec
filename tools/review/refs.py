"""Which two commits a review compares: the head, and the merge base of the head with the base branch."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tools.errors import InputError
from tools.repo._git import resolve_ref

if TYPE_CHECKING:
    from git import Repo

# Tried in order when no base is named: the remote's default branch first, as a PR targets it.
DEFAULT_BASES = ("origin/HEAD", "origin/main", "origin/master", "main", "master")


def resolve_range(repo: Repo, base: str | None, head: str | None) -> tuple[str, str]:
    """(merge base, head) commit shas; the change is what head added since it left the base branch."""
    head_sha = resolve_ref(repo, head or "HEAD") if repo.head.is_valid() or head else _no_commits(repo)
    base_sha = resolve_ref(repo, base) if base else _default_base(repo)
    found = repo.merge_base(base_sha, head_sha)
    if not found:
        raise InputError(base or base_sha[:12], f"has no history in common with {head or 'HEAD'}")
    return str(found[0].hexsha), head_sha


def _default_base(repo: Repo) -> str:
    for name in DEFAULT_BASES:
        try:
            return resolve_ref(repo, name)
        except InputError:
            continue
    raise InputError("--base", "no origin/HEAD, origin/main, origin/master, main or master here: name one")


def _no_commits(repo: Repo) -> str:
    raise InputError(str(repo.working_tree_dir), "the repository has no commits yet")
