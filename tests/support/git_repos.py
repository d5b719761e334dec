"""Real git repositories in temporary folders, built file by file like a pull request is."""

from __future__ import annotations

import subprocess
from pathlib import Path


class GitRepo:
    """A repository at `root` with helpers to write files, commit and branch."""

    def __init__(self, root: Path, branch: str = "main") -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", branch)
        self.git("config", "user.name", "Test")
        self.git("config", "user.email", "test@example.com")
        self.git("config", "commit.gpgsign", "false")

    def git(self, *args: str) -> str:
        """Run git in the repository and return its output."""
        return subprocess.run(
            ["git", "-C", str(self.root), *args], check=True, capture_output=True, text=True
        ).stdout.strip()

    def write(self, files: dict[str, str | bytes]) -> None:
        """Create or overwrite files (folders made as needed)."""
        for name, content in files.items():
            path = self.root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")

    def remove(self, *names: str) -> None:
        """Delete files from the work tree and the index."""
        self.git("rm", "-q", *names)

    def commit(self, message: str, files: dict[str, str | bytes] | None = None) -> str:
        """Write `files`, stage everything and commit; the new commit's sha."""
        if files:
            self.write(files)
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)
        return self.git("rev-parse", "HEAD")

    def branch(self, name: str) -> None:
        """Create branch `name` at HEAD and switch to it."""
        self.git("checkout", "-q", "-b", name)
