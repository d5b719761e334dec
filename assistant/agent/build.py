"""Assemble the agent: langchain's `create_agent` with shipmate's tools, prompt and middleware."""

from __future__ import annotations

import subprocess
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from assistant.agent.answer_guard import guard_answer
from assistant.agent.middleware import session_middleware
from assistant.agent.review import GATED_TOOLS, review
from assistant.agent.session import AgentSession
from assistant.agent.tools import agent_tools, wrap_errors
from assistant.prompts import render_prompt

DEFAULT_MAX_STEPS = 12
ALLOWED_COMMANDS = (
    "kubectl get/describe/logs, kubectl diff, kubectl apply --dry-run, "
    "terraform fmt/validate/plan, helm template"
)


def system_prompt(session: AgentSession, max_steps: int) -> str:
    """The system prompt for this workspace."""
    return render_prompt(
        "system.md.j2",
        workspace=str(session.root),
        branch=_branch(session),
        allowed_commands=ALLOWED_COMMANDS,
        max_steps=max_steps,
    )


def build_agent(
    model: Any,
    session: AgentSession,
    max_steps: int = DEFAULT_MAX_STEPS,
    extra_middleware: Sequence[Any] = (),
) -> Any:
    """A compiled agent for `session` on `model` (a langchain chat model), at most `max_steps` tool calls."""
    from langchain.agents import create_agent
    from langchain.agents.middleware import (
        HumanInTheLoopMiddleware,
        InterruptOnConfig,
        ModelCallLimitMiddleware,
        ToolCallLimitMiddleware,
    )
    from langchain_core.tools import StructuredTool
    from langgraph.checkpoint.memory import InMemorySaver

    tools = [StructuredTool.from_function(wrap_errors(function)) for function in agent_tools(session)]
    review_only: InterruptOnConfig = {"allowed_decisions": ["approve", "reject"]}
    middleware = [
        *extra_middleware,
        *session_middleware(session),
        HumanInTheLoopMiddleware(interrupt_on=dict.fromkeys(GATED_TOOLS, review_only)),
        ModelCallLimitMiddleware(run_limit=max_steps + 1, exit_behavior="end"),
        ToolCallLimitMiddleware(run_limit=max_steps, exit_behavior="continue"),
    ]
    return create_agent(
        model,
        tools,
        system_prompt=system_prompt(session, max_steps),
        middleware=middleware,
        checkpointer=InMemorySaver(),  # the interrupt for review needs the run's state kept
    )


class Cancelled(Exception):
    """The run was stopped (`stop()` said so) before it finished."""


def run_agent(
    agent: Any,
    session: AgentSession,
    question: str,
    on_line: Callable[[str], None] | None = None,
    *,
    thread_id: str | None = None,
    stop: Callable[[], bool] | None = None,
) -> str:
    """Run one question to the end; the model's last answer, with data-carrying links removed.

    With `on_line`, the model's text is streamed as it comes, a whole line at a time, each
    line restored (anonymisation) and guarded before it is handed over. The same
    `thread_id` continues a conversation (the agent's checkpointer keeps its messages).
    `stop` is asked between streamed chunks; when it says so, `Cancelled` is raised.
    """
    from langgraph.types import Command

    config: dict[str, Any] = {"configurable": {"thread_id": thread_id or uuid.uuid4().hex}}
    if stop is not None:
        # The model streams in langgraph's worker thread: leaving the loop below does not end
        # that stream, so the model call itself is stopped at its next token.
        config["callbacks"] = [_stop_handler(stop)]
    payload: Any = {"messages": [{"role": "user", "content": question}]}
    while True:
        if on_line is None and stop is None:
            state = agent.invoke(payload, config)
            interrupts = state.get("__interrupt__") or []
        else:
            state, interrupts = _stream(agent, session, payload, config, on_line or (lambda _: None), stop)
        if not interrupts:
            break
        # the run paused before a proposal ran: the human reviews it, then the run goes on
        payload = Command(resume={"decisions": review(session, interrupts[0].value["action_requests"])})
    final = ""
    for message in reversed(state["messages"]):
        if (
            getattr(message, "type", "") == "ai"
            and isinstance(message.content, str)
            and message.content.strip()
        ):
            final = message.content
            break
    guarded, removed = guard_answer(session.reveal(final))
    for url in removed:
        session.audit.append(
            "refusal", reason="link that could carry data out removed from the answer", url=url
        )
    return guarded


def _stop_handler(stop: Callable[[], bool]) -> Any:
    """A callback that raises `Cancelled` inside the model call once `stop()` says so."""
    from langchain_core.callbacks import BaseCallbackHandler

    class StopOnCancel(BaseCallbackHandler):
        raise_error = True  # langchain logs a handler's exception and goes on unless told otherwise

        def on_llm_new_token(self, *args: Any, **kwargs: Any) -> None:
            if stop():
                raise Cancelled("stopped")

    return StopOnCancel()


def _stream(
    agent: Any,
    session: AgentSession,
    payload: Any,
    config: dict[str, Any],
    on_line: Callable[[str], None],
    stop: Callable[[], bool] | None = None,
) -> tuple[Any, list[Any]]:
    state: Any = {"messages": []}
    interrupts: list[Any] = []
    pending = ""
    for mode, data in agent.stream(payload, config, stream_mode=["messages", "values", "updates"]):
        if stop is not None and stop():
            raise Cancelled("stopped")
        if mode == "values":
            state = data
            continue
        if mode == "updates":
            interrupts.extend(data.get("__interrupt__") or [])
            continue
        chunk = data[0]
        if getattr(chunk, "type", "") in ("AIMessageChunk", "ai") and isinstance(chunk.content, str):
            pending += chunk.content
            while "\n" in pending:
                line, pending = pending.split("\n", 1)
                on_line(guard_answer(session.reveal(line))[0])
    if pending:
        on_line(guard_answer(session.reveal(pending))[0])
    return state, interrupts


def _branch(session: AgentSession) -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(session.root), "rev-parse", "--abbrev-ref", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() or None if done.returncode == 0 else None
