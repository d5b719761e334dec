"""The command allowlist: which argv lists shipmate may run, decided by parsing, whatever asks.

Only read verbs and dry-runs of kubectl, terraform, helm and git pass (docs/safety.md has
the table and the reasons). A command is an argv list run without a shell; a string is
refused. `run_command` runs only what `check_command` allows.
"""

from __future__ import annotations

from tools.commands.allowlist import CommandVerdict, check_command
from tools.commands.run import CommandResult, run_command

__all__ = ["CommandResult", "CommandVerdict", "check_command", "run_command"]
