"""`shipmate undo`: revert the last applied proposal, only if its file is as shipmate left it."""

from __future__ import annotations

import sys

import typer

HELP = """Undo the last applied proposal (the newest "apply" in the audit log not yet undone).

A committed edit is reverted with `git revert` while its commit is still HEAD; an
uncommitted one is restored from the snapshot kept when it was applied (or deleted, if
the edit created the file). When the file has changed since shipmate wrote it, nothing
is done. Run it again to undo the one before.

Exit codes: 0 undone (or, with --dry-run, what would be undone), 1 refused or nothing to undo.

Examples:

  shipmate undo --dry-run

  shipmate undo
"""


def undo(
    dry_run: bool = typer.Option(False, "--dry-run", help="Say what would be undone; change nothing."),
) -> None:
    """Undo the last applied proposal; see HELP."""
    from assistant.audit import AuditLog
    from assistant.undo import undo_last

    result = undo_last(AuditLog(), dry_run=dry_run)
    if result.status in ("undone", "would_undo"):
        sys.stdout.write(f"{result.message}\n")
        return
    prefix = "undo refused: " if result.status == "refused" else ""
    print(f"shipmate: {prefix}{result.message}", file=sys.stderr)
    raise typer.Exit(1)
