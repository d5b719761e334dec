"""The agent's read-only views of the repository (git status, diff, log, files), fenced as data."""

from __future__ import annotations

from collections.abc import Callable

from assistant.agent.session import AgentSession
from assistant.agent.untrusted import fence


def repository_tools(session: AgentSession) -> list[Callable[..., str]]:
    """git status, diff and log, file reading and listing, bound to the session's workspace."""

    def repo_status() -> str:
        """The repository's branch, HEAD and changed, staged and untracked files."""
        from tools.repo import repo_status as status

        return status(session.root).model_dump_json(indent=1)

    def repo_diff(ref: str = "", staged: bool = False, path: str = "") -> str:
        """The diff of the working tree (or of staged changes) against a ref (default HEAD).

        Args:
            ref: a commit, branch or tag; empty for HEAD.
            staged: the staged changes instead of the working tree.
            path: only this file or folder.
        """
        from tools.repo import repo_diff as diff

        paths = (path,) if path else ()
        found = diff(
            session.root, ref=ref or None, staged=staged, paths=paths, max_chars=session.tool_output_chars
        )
        return fence(found.diff or "(no changes)", f"git diff {ref}".strip(), "diff", session.redactor)

    def repo_log(max_count: int = 10, path: str = "") -> str:
        """Recent commits (sha, author, date, summary), optionally only those touching `path`.

        Args:
            max_count: how many commits (at most 50).
            path: only commits touching this file or folder.
        """
        from tools.repo import repo_log as log

        found = log(session.root, max_count=max(1, min(max_count, 50)), path=path or None)
        text = "\n".join(f"{c.sha[:10]} {c.date} {c.author}: {c.summary}" for c in found.commits)
        return fence(text or "(no commits)", "git log", "log", session.redactor)

    def read_file(path: str, start_line: int = 1, max_lines: int = 200) -> str:
        """A text file of the repository, numbered, from `start_line`.

        Args:
            path: file inside the workspace.
            start_line: first line (1-based).
            max_lines: how many lines (at most 400).
        """
        from tools.repo import read_file as read

        found = read(session.root, path, start_line=start_line, max_lines=max(1, min(max_lines, 400)))
        return fence(
            found.text, f"{found.path}:{found.start_line}-{found.end_line}", "file", session.redactor
        )

    def list_files(pattern: str = "") -> str:
        """Files of the repository (tracked and untracked, not ignored), optionally matching a glob.

        Args:
            pattern: a glob such as `*.yaml` or `k8s/**`; empty for all.
        """
        from tools.repo import list_files as files

        found = files(session.root, pattern=pattern or None, max_files=300)
        return "\n".join(found.files) + (
            f"\n... {found.total - len(found.files)} more" if found.total > len(found.files) else ""
        )

    return [repo_status, repo_diff, repo_log, read_file, list_files]
