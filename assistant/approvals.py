"""Approval of proposals: nothing is written until a human says yes, and every step is audited.

Approvers: `CliApprover` asks on the terminal, `PreApproved` says yes to the proposal
ids named with `--yes ID`, `NeverApprove` (PR bot, non-interactive runs) says no, and the
TUI's approver shows a dialog. An approver may also answer with a revised proposal (the
human edited the new text before approving): that one is applied instead, and the audit
log records the edit.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from assistant.audit import AuditLog
from assistant.undo import discard_snapshot, save_snapshot
from tools.errors import InputError
from tools.proposals import Proposal, apply_file_edit, sha256_text


class Approver(Protocol):
    """Decides on one proposal."""

    def decide(self, proposal: Proposal) -> bool | Proposal:
        """True to apply it; a revised file edit of the same file to apply that instead."""


class NeverApprove:
    """Says no to everything (a PR bot, a run without a terminal)."""

    def decide(self, proposal: Proposal) -> bool:
        """Always False."""
        return False


@dataclass
class PreApproved:
    """Approves exactly the proposal ids the user named (`--yes ID`)."""

    ids: frozenset[str]

    def decide(self, proposal: Proposal) -> bool:
        """True when the id was named."""
        return proposal.id in self.ids


@dataclass
class CliApprover:
    """Asks on the terminal for each proposal, after it has been shown."""

    ask: Callable[[str], str] = input

    def decide(self, proposal: Proposal) -> bool:
        """'y' or 'yes' approves; anything else (or end of input) refuses."""
        try:
            answer = self.ask(f"Apply {proposal.id} ({proposal.title})? [y/N] ")
        except EOFError:
            return False
        return answer.strip().lower() in ("y", "yes")


@dataclass(frozen=True)
class Outcome:
    """What happened to one proposal."""

    proposal: Proposal
    applied: bool
    message: str


def decide_and_apply(
    proposals: Sequence[Proposal],
    approver: Approver,
    root: Path,
    audit: AuditLog,
    show: Callable[[Proposal], None] | None = None,
    commit: bool = False,
    new_branch: bool = False,
) -> list[Outcome]:
    """Show each proposal, ask the approver, apply the approved ones; every step goes to the audit log.

    The previous content of each file is kept for `shipmate undo`. With `commit`, each applied
    edit inside a git repository is committed alone (on a new branch `shipmate/<id>` with
    `new_branch`); a commit that cannot be made cleanly is skipped and said, the edit stays.
    """
    outcomes: list[Outcome] = []
    for offered in proposals:
        proposal = offered
        audit.append(
            "proposal", id=proposal.id, title=proposal.title, origin=proposal.origin, **_subject(proposal)
        )
        if show is not None:
            show(proposal)
        decision = approver.decide(proposal)
        if decision is not True and not isinstance(decision, Proposal):  # only an explicit yes applies
            audit.append("rejection", id=proposal.id)
            outcomes.append(Outcome(proposal, False, "not applied"))
            continue
        if isinstance(decision, Proposal) and decision.id != offered.id:
            revised = _revision(offered, decision, audit)
            if revised is None:
                outcomes.append(Outcome(offered, False, "refused: the edit changed another file"))
                continue
            proposal = revised
        audit.append("approval", id=proposal.id, approver=type(approver).__name__)
        if proposal.kind != "file_edit" or proposal.edit is None:
            audit.append("refusal", id=proposal.id, reason="only file edits are applied here")
            outcomes.append(Outcome(proposal, False, "refused: not a file edit"))
            continue
        try:
            previous = save_snapshot(root, proposal)
            written = apply_file_edit(root, proposal.edit)
        except InputError as err:
            discard_snapshot(proposal.id)
            audit.append("refusal", id=proposal.id, reason=str(err))
            outcomes.append(Outcome(proposal, False, f"refused: {err}"))
            continue
        applied = audit.append(
            "apply",
            id=proposal.id,
            path=proposal.edit.path,
            sha256=sha256_text(proposal.edit.new_text),
            root=str(root.resolve()),
            previous_sha256=previous,
        )
        message = f"applied to {written}"
        if commit:
            from assistant.git_commits import commit_applied_edit

            committed = commit_applied_edit(root, proposal, audit, new_branch, apply_seq=applied["seq"])
            message += f"; {committed.message}"
        outcomes.append(Outcome(proposal, True, message))
    return outcomes


def _revision(original: Proposal, revised: Proposal, audit: AuditLog) -> Proposal | None:
    """The human's edit of `original`, audited; None (refused, audited) unless it edits the same file."""
    same_file = (
        original.edit is not None and revised.edit is not None and original.edit.path == revised.edit.path
    )
    if not same_file:
        audit.append("refusal", id=original.id, reason="a revision must edit the same file")
        return None
    audit.append("revision", id=original.id, revised_id=revised.id, origin="human", **_subject(revised))
    return revised


def _subject(proposal: Proposal) -> dict[str, str]:
    if proposal.edit is not None:
        return {"path": proposal.edit.path, "diff_sha256": sha256_text(proposal.edit.diff)}
    return {"argv": " ".join(proposal.argv or [])}


def interactive() -> bool:
    """True when both ends of the terminal are a person (stdin and stdout are TTYs)."""
    return sys.stdin.isatty() and sys.stdout.isatty()
