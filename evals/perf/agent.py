"""Cost of the agent loop itself, and how many model requests a typical investigation takes.

Measured in one run, in one process:

- per step, with a zero-latency in-process model (the scripted model the tests use):
  one model turn that calls `read_log_lines`, then the tool, middleware and audit; the
  same tool called directly, beside it, is the baseline (the difference is the agent's
  own overhead per step; goal under 50 ms);
- per step over real HTTP, with langchain-litellm against the local OpenAI-compatible
  server (tests/servers/openai_chat.py) answering at once;
- model requests for a typical log investigation: diagnose the logs, read around the
  decisive line, answer.

    python -m evals.perf.agent [--steps 20] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from assistant.agent.build import build_agent, run_agent
from assistant.agent.model import chat_model, model_middleware
from assistant.agent.session import AgentSession
from assistant.agent.tools import agent_tools
from assistant.audit import AuditLog
from assistant.llm.config import GatewayConfig
from assistant.llm.usage import SessionUsage
from tests.servers.openai_chat import answer, openai_chat_server, tool_call
from tests.support.scripted_model import ScriptedChatModel, calls
from tests.support.scripted_model import answer as scripted_answer

LOG = "".join(f"2026-11-23T10:00:{n % 60:02d}Z INFO request {n} served in 12 ms\n" for n in range(400))
LOG += '2026-11-23T10:07:00Z ERROR secret "checkout-db" not found\n'


def _workspace(base: Path) -> Path:
    root = base / "repo"
    root.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    (root / "app.log").write_text(LOG)
    return root


def _session(root: Path) -> AgentSession:
    return AgentSession(root=root, audit=AuditLog(root.parent / "audit.jsonl"))


def scripted_step_ms(root: Path, steps: int) -> tuple[float, float]:
    """Median ms per agent step with an in-process model, and of the tool called directly."""
    step = ("read_log_lines", {"path": "app.log", "start_line": 390, "count": 10})
    session = _session(root)
    model = ScriptedChatModel(script=[calls(step) for _ in range(steps)] + [scripted_answer("done")])
    agent = build_agent(model, session, max_steps=steps + 1)
    started = time.perf_counter()
    run_agent(agent, session, "what failed?")
    per_step = (time.perf_counter() - started) * 1000 / (steps + 1)
    tool = next(t for t in agent_tools(session) if t.__name__ == "read_log_lines")
    direct = []
    for _ in range(steps):
        began = time.perf_counter()
        tool("app.log", 390, 10)
        direct.append((time.perf_counter() - began) * 1000)
    return per_step, statistics.median(direct)


def http_run(root: Path, replies: list[Any]) -> tuple[float, int]:
    """(ms per model request, requests) for one agent run against the local server."""
    with openai_chat_server() as server:
        server.queue(*replies)
        config = GatewayConfig(model="openai/stub", api_base=server.base_url, api_key="sk-local")
        session = _session(root)
        agent = build_agent(
            chat_model(config), session, extra_middleware=model_middleware(config, SessionUsage())
        )
        started = time.perf_counter()
        run_agent(agent, session, "Why does checkout fail?")
        elapsed = (time.perf_counter() - started) * 1000
        return elapsed / max(len(server.requests), 1), len(server.requests)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="shipmate-agent-bench-") as tmp:
        root = _workspace(Path(tmp))
        scripted_step_ms(root, 3)  # warm-up: imports, compiled graph
        per_step, tool_ms = scripted_step_ms(root, args.steps)
        loop = [tool_call("read_log_lines", {"path": "app.log", "start_line": 390, "count": 10})] * args.steps
        http_run(root, [*loop[:2], answer("warm")])
        http_step, _ = http_run(root, [*loop, answer("done")])
        investigation = [
            tool_call("diagnose_logs", {"path": "app.log"}),
            tool_call("read_log_lines", {"path": "app.log", "start_line": 398, "count": 5}),
            answer("The Secret checkout-db is missing (app.log:401)."),
        ]
        _, requests = http_run(root, investigation)
    figures = {
        "steps": args.steps,
        "scripted_ms_per_step": round(per_step, 2),
        "tool_direct_ms": round(tool_ms, 3),
        "agent_overhead_ms_per_step": round(per_step - tool_ms, 2),
        "http_ms_per_step": round(http_step, 2),
        "requests_per_log_investigation": requests,
    }
    if args.json:
        print(json.dumps(figures))
    else:
        for key, value in figures.items():
            print(f"{key:<34} {value}")


if __name__ == "__main__":
    main()
