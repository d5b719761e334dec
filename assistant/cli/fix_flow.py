"""`shipmate validate --fix`: show each proposed fix as a diff, apply only what is approved."""

from __future__ import annotations

import sys
from pathlib import Path

from assistant.cli.state import GlobalOptions, repository_root
from tools.validation.report import ValidationReport


def offer_fixes(report: ValidationReport, approved_ids: set[str], options: GlobalOptions) -> None:
    """Propose fixes for the report's findings (inside the current repository) and apply the approved ones."""
    from assistant.cli.proposal_view import review_and_apply
    from tools.k8s.fixes import propose_fixes

    root = repository_root(Path.cwd())
    proposals = propose_fixes(
        root, [f for f in report.findings if _inside(root, f.evidence[0].source) if f.evidence]
    )
    if not proposals:
        print("shipmate: no mechanical fix for these findings", file=sys.stderr)
        return

    review_and_apply(proposals, approved_ids, root, options.no_color)


def _inside(root: Path, source: str) -> bool:
    try:
        Path(source).resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True
