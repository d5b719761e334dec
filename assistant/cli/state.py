"""Options given before the command (`shipmate -v --no-color diagnose ...`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class GlobalOptions:
    """Verbosity and colour, shared by every command."""

    verbosity: int = 0
    quiet: bool = False
    no_color: bool = False


def repository_root(start: Path) -> Path:
    """The enclosing git repository's top folder, else `start`: changes never leave it."""
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return start
