"""`shipmate ask` with a model: one agent run in the repository, proposals offered for approval."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from tools.errors import InputError

if TYPE_CHECKING:
    from assistant.config import LoadedSettings


def ask_agent(
    question: str,
    files: list[Path],
    repo: Path | None,
    loaded: LoadedSettings,
    quiet: bool,
    knowledge: str | None,
) -> str:
    """Run the agent on `question` (pointing it at `files`); print and return its answer."""
    from assistant.agent.anonymize import Anonymizer
    from assistant.agent.build import build_agent, run_agent
    from assistant.agent.model import chat_model, model_middleware
    from assistant.agent.session import AgentSession
    from assistant.audit import AuditLog
    from assistant.cli.proposal_view import choose_approver, proposal_printer
    from assistant.cli.state import repository_root
    from assistant.llm.config import GatewayConfig
    from assistant.llm.errors import LLMError, to_llm_error
    from assistant.llm.usage import SessionUsage

    config = GatewayConfig.from_loaded(loaded)
    root = (repo or repository_root(Path.cwd())).resolve()
    approver = choose_approver(set())
    agent_settings = loaded.settings.agent
    session = AgentSession(
        root=root,
        audit=AuditLog(),
        approver=approver,
        knowledge_store=knowledge,
        tool_output_tokens=agent_settings.tool_output_tokens,
        anonymizer=Anonymizer() if agent_settings.anonymize else None,
        show=proposal_printer(),
    )
    usage = SessionUsage(max_cost_usd=config.max_cost_usd, max_tokens=config.max_tokens)
    named = [str(session.path(str(f.resolve()))) for f in files]
    prompt = (
        question
        if not named
        else f"{question}\n\nFiles to look at: " + ", ".join(str(Path(n).relative_to(root)) for n in named)
    )
    agent = build_agent(
        chat_model(config, streaming=True),
        session,
        max_steps=agent_settings.max_steps,
        extra_middleware=model_middleware(config, usage),
    )

    def show(line: str) -> None:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()

    try:
        answer = run_agent(agent, session, prompt, on_line=show)
    except LLMError as err:
        raise InputError("model", err.message) from err
    except Exception as err:
        mapped = to_llm_error(err, config.model)
        if mapped is None:
            raise
        raise InputError("model", mapped.message) from err
    if not quiet:
        applied = sum(1 for o in session.outcomes if o.applied)
        print(
            f"shipmate: {usage.calls} model calls, {usage.total_tokens} tokens, ${usage.cost_usd:.4f}; "
            f"{len(session.proposals)} proposals, {applied} applied; audit: {session.audit.path}",
            file=sys.stderr,
        )
    return answer
