"""How a proposal is shown to the person who approves it: the diff or the argv, then why."""

from __future__ import annotations

import sys
from collections.abc import Callable

from tools.proposals import Proposal


def proposal_printer(no_color: bool = False) -> Callable[[Proposal], None]:
    """A function that prints a proposal to the terminal (a diff is never cut to the console width)."""
    from rich.console import Console
    from rich.syntax import Syntax

    console = Console(highlight=False, no_color=no_color, stderr=False)

    def show(proposal: Proposal) -> None:
        console.rule(f"{proposal.id}: {proposal.title}")
        if proposal.edit is not None and console.is_terminal:
            console.print(
                Syntax(
                    proposal.edit.diff, "diff", theme="ansi_dark", background_color="default", word_wrap=True
                )
            )
        elif proposal.edit is not None:
            sys.stdout.write(proposal.edit.diff)
        if proposal.argv is not None:
            console.print("$ " + " ".join(proposal.argv), style="bold", markup=False)
        if proposal.rationale:
            console.print(proposal.rationale, style="dim", markup=False)

    return show
