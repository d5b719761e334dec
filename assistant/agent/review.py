"""The human review of the agent's proposals, at langchain's human-in-the-loop interrupt.

When the model calls `propose_file_edit` or `propose_command`, the run pauses before the
tool runs. Each gated call becomes a `Proposal` (a diff, or an argv already checked
against the allowlist) and goes to the session's approver: a terminal prompt, the TUI's
dialog, or "never" for a PR bot. An approved edit is applied (atomic, stale-checked,
committed alone) right here; the tool then only reports it. A rejected or refused call
never runs: the model is told why. Every step is in the audit log.
"""

from __future__ import annotations

import json
from typing import Any

from assistant.agent.session import AgentSession
from assistant.approvals import decide_and_apply
from tools.errors import InputError
from tools.proposals import Proposal, file_edit_proposal, sha256_text

GATED_TOOLS = ("propose_file_edit", "propose_command")
APPROVED = "approved"


def decision_key(name: str, args: dict[str, Any]) -> str:
    """How a reviewed call is found again when its tool runs."""
    return f"{name}:{json.dumps(args, sort_keys=True)}"


def review(session: AgentSession, action_requests: list[dict[str, Any]]) -> list[dict[str, str]]:
    """One decision per gated call, in order, for `Command(resume={"decisions": ...})`."""
    return [
        _review_one(session, request["name"], dict(request.get("args") or {})) for request in action_requests
    ]


def _review_one(session: AgentSession, name: str, args: dict[str, Any]) -> dict[str, str]:
    key = decision_key(name, session.reveal_args(args))
    if name == "propose_file_edit":
        return _review_edit(session, key, session.reveal_args(args))
    if name == "propose_command":
        return _review_command(session, key, session.reveal_args(args))
    return {"type": "reject", "message": f"{name} is not reviewed here"}


def _review_edit(session: AgentSession, key: str, args: dict[str, Any]) -> dict[str, str]:
    try:
        proposal = file_edit_proposal(
            session.root,
            session.path(str(args.get("path", ""))),
            str(args.get("new_content", "")),
            str(args.get("title", "")) or "edit",
            str(args.get("rationale", "")),
            origin="agent",
        )
    except InputError as err:
        session.audit.append("refusal", tool="propose_file_edit", reason=str(err), origin="agent")
        return {"type": "reject", "message": f"refused: {err}"}
    session.proposals.append(proposal)
    outcome = decide_and_apply(
        [proposal], session.approver, session.root, session.audit, show=session.show, commit=True
    )[0]
    session.outcomes.append(outcome)
    if not outcome.applied:
        return {
            "type": "reject",
            "message": f"{proposal.id}: {outcome.message} (the human decides; do not retry it)",
        }
    session.decided[key] = f"{proposal.id}: approved and {outcome.message}"
    return {"type": "approve"}


def _review_command(session: AgentSession, key: str, args: dict[str, Any]) -> dict[str, str]:
    from tools.commands import check_command

    argv = args.get("argv")
    if not isinstance(argv, list) or not all(isinstance(a, str) for a in argv):
        return {"type": "reject", "message": "refused: argv must be a list of strings (never a shell line)"}
    verdict = check_command(argv)
    if not verdict.allowed:
        session.audit.append("refusal", argv=" ".join(argv), reason=verdict.reason, origin="agent")
        return {"type": "reject", "message": f"refused: {verdict.reason}"}
    proposal = Proposal(
        id=f"cmd-{sha256_text(json.dumps(argv))[:8]}",
        title=str(args.get("title", "")) or " ".join(argv),
        rationale=str(args.get("rationale", "")),
        kind="command",
        argv=argv,
        origin="agent",
    )
    session.proposals.append(proposal)
    session.audit.append(
        "proposal", id=proposal.id, title=proposal.title, origin="agent", argv=" ".join(argv)
    )
    if not session.approver.decide(proposal):
        session.audit.append("rejection", id=proposal.id)
        return {"type": "reject", "message": f"{proposal.id}: not run (the human decides; do not retry it)"}
    session.audit.append("approval", id=proposal.id, approver=type(session.approver).__name__)
    session.decided[key] = APPROVED
    return {"type": "approve"}
