"""How a proposal is shown to the person who approves it: the diff or the argv, then why."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from tools.proposals import Proposal

if TYPE_CHECKING:
    from assistant.approvals import Approver


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


def choose_approver(approved_ids: set[str]) -> Approver:
    """`--yes ID` approves those ids; otherwise a person on a terminal decides; otherwise nobody does."""
    from assistant.approvals import CliApprover, NeverApprove, PreApproved, interactive

    if approved_ids:
        return PreApproved(frozenset(approved_ids))
    return CliApprover() if interactive() else NeverApprove()


def review_and_apply(
    proposals: Sequence[Proposal], approved_ids: set[str], root: Path, no_color: bool
) -> None:
    """Show each proposal, apply the approved ones (each committed alone), and say what happened."""
    from assistant.approvals import NeverApprove, decide_and_apply
    from assistant.audit import AuditLog

    approver = choose_approver(approved_ids)
    outcomes = decide_and_apply(
        proposals, approver, root, AuditLog(), show=proposal_printer(no_color), commit=True
    )
    for outcome in outcomes:
        print(f"shipmate: {outcome.proposal.id}: {outcome.message}", file=sys.stderr)
    if isinstance(approver, NeverApprove):
        ids = " ".join(f"--yes {o.proposal.id}" for o in outcomes)
        print(
            f"shipmate: nothing applied without a terminal; to apply, run again with {ids}", file=sys.stderr
        )
