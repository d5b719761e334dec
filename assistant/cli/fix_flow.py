"""`shipmate validate --fix`: show each proposed fix as a diff, apply only what is approved."""

from __future__ import annotations

import sys
from pathlib import Path

from assistant.approvals import (
    Approver,
    CliApprover,
    NeverApprove,
    PreApproved,
    decide_and_apply,
    interactive,
)
from assistant.audit import AuditLog
from assistant.cli.state import GlobalOptions
from tools.proposals import Proposal
from tools.validation.report import ValidationReport


def offer_fixes(report: ValidationReport, approved_ids: set[str], options: GlobalOptions) -> None:
    """Propose fixes for the report's findings (inside the current repository) and apply the approved ones."""
    from rich.console import Console
    from rich.syntax import Syntax

    from tools.k8s.fixes import propose_fixes

    root = _repository_root(Path.cwd())
    proposals = propose_fixes(
        root, [f for f in report.findings if _inside(root, f.evidence[0].source) if f.evidence]
    )
    console = Console(highlight=False, no_color=options.no_color)
    if not proposals:
        print("shipmate: no mechanical fix for these findings", file=sys.stderr)
        return

    def show(proposal: Proposal) -> None:
        console.rule(f"{proposal.id}: {proposal.title}")
        if proposal.edit is not None and console.is_terminal:
            console.print(
                Syntax(
                    proposal.edit.diff, "diff", theme="ansi_dark", background_color="default", word_wrap=True
                )
            )
        elif proposal.edit is not None:
            sys.stdout.write(proposal.edit.diff)  # exactly as is: a diff must never be cut to a width
        console.print(proposal.rationale, style="dim")

    approver: Approver
    if approved_ids:
        approver = PreApproved(frozenset(approved_ids))
    elif interactive():
        approver = CliApprover()
    else:
        approver = NeverApprove()
    outcomes = decide_and_apply(proposals, approver, root, AuditLog(), show=show, commit=True)
    for outcome in outcomes:
        print(f"shipmate: {outcome.proposal.id}: {outcome.message}", file=sys.stderr)
    if isinstance(approver, NeverApprove):
        ids = " ".join(f"--yes {o.proposal.id}" for o in outcomes)
        print(
            f"shipmate: nothing applied without a terminal; to apply, run again with {ids}", file=sys.stderr
        )


def _repository_root(start: Path) -> Path:
    """The enclosing git repository's top folder, else `start`: fixes never leave it."""
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return start


def _inside(root: Path, source: str) -> bool:
    try:
        Path(source).resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True
