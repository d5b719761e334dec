"""Options given before the command (`shipmate -v --no-color diagnose ...`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class GlobalOptions:
    """Verbosity and colour, shared by every command."""

    verbosity: int = 0
    quiet: bool = False
    no_color: bool = False
