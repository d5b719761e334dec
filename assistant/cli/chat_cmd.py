"""`shipmate chat` (and `shipmate` alone on a terminal): the terminal UI."""

from __future__ import annotations

from pathlib import Path

import typer

from tools.errors import InputError

HELP = """Open the terminal UI: chat with the assistant, watch the tools it runs, review
its proposals side by side with their validation, and approve or reject each with one key.

With no model configured it works offline: slash commands (/diagnose PATH, /validate
PATH, /generate ..., /ask, /undo, /audit, /save, /clear, /help) and plain questions
answered from the knowledge base, with any file they name diagnosed or validated.
F1 lists every key; ctrl+p opens the command palette; Esc cancels a running turn.

Examples:

  shipmate chat

  shipmate chat --resume            # reopen the last session's transcript

  SHIPMATE_MODEL=openai/gpt-4.1-mini shipmate chat --repo ~/src/shop
"""


def chat(
    resume: bool = typer.Option(False, "--resume", help="Reopen the last session's transcript."),
    offline: bool = typer.Option(
        False, "--offline", help="Do not use the model even when one is configured."
    ),
    repo: Path = typer.Option(
        None,
        "--repo",
        help="Workspace the assistant reads and proposes changes in. [default: the repository around .]",
        show_default=False,
    ),
) -> None:
    """Open the TUI; see HELP."""
    import sys

    from assistant.cli.state import repository_root

    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise InputError("chat", "needs a terminal: run it in one, or use `shipmate ask` in scripts")
    root = (repo or repository_root(Path.cwd())).resolve()
    if not root.is_dir():
        raise InputError(str(repo), "is not a folder")
    run_chat(root, resume=resume, offline=offline)


def run_chat(root: Path, *, resume: bool = False, offline: bool = False) -> None:
    """Run the app in this terminal until the user quits."""
    from assistant.tui.app import ShipmateApp, create_app
    from assistant.tui.approver import TuiApprover

    def approver(app: ShipmateApp) -> TuiApprover:
        return TuiApprover(app, app.root, cancelled=app.turn_cancelled)

    create_app(root, resume=resume, offline=offline, approver_factory=approver).run()
