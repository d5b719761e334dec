"""Terminal consoles: colour and rich styling only on a terminal, never with NO_COLOR or --no-color."""

from __future__ import annotations

import os
import sys
from typing import TextIO

from rich.console import Console


def color_disabled(no_color_flag: bool, setting: str = "auto") -> bool:
    """True when colour must be off: the flag, NO_COLOR (any value), or `color = "never"`."""
    return no_color_flag or "NO_COLOR" in os.environ or setting == "never"


def make_console(stream: TextIO | None = None, no_color: bool = False, force: bool = False) -> Console:
    """A console for `stream` (stdout by default); styles render only on a terminal (or when forced)."""
    target = stream or sys.stdout
    return Console(
        file=target,
        no_color=no_color,
        force_terminal=True if force and not no_color else None,
        highlight=False,
        soft_wrap=True,
        emoji=False,
        markup=False,
    )
