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
from assistant.cli.state import GlobalOptions, repository_root
from tools.validation.report import ValidationReport


def offer_fixes(report: ValidationReport, approved_ids: set[str], options: GlobalOptions) -> None:
    """Propose fixes for the report's findings (inside the current repository) and apply the approved ones."""
    from assistant.cli.proposal_view import proposal_printer
    from tools.k8s.fixes import propose_fixes

    root = repository_root(Path.cwd())
    proposals = propose_fixes(
        root, [f for f in report.findings if _inside(root, f.evidence[0].source) if f.evidence]
    )
    if not proposals:
        print("shipmate: no mechanical fix for these findings", file=sys.stderr)
        return

    show = proposal_printer(options.no_color)

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


def _inside(root: Path, source: str) -> bool:
    try:
        Path(source).resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True
