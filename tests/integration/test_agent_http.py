"""The agent over real HTTP: langchain-litellm against a local OpenAI-compatible server.

The server serves recorded replies (tool calls, answers, errors); the tests check what
the agent did with them and what left the process.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from assistant.agent.build import build_agent, run_agent
from assistant.agent.model import chat_model, model_middleware
from assistant.agent.session import AgentSession
from assistant.approvals import NeverApprove
from assistant.audit import AuditLog
from assistant.llm.config import GatewayConfig
from assistant.llm.usage import BudgetExceeded, SessionUsage
from tests.integration.test_cli import one_line_error, run
from tests.servers.openai_chat import (
    answer,
    auth_error,
    openai_chat_server,
    rate_limit,
    server_error,
    tool_call,
)

CANARY = "password=Hunter2Hunter2Canary"


def _repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    (root / "app.log").write_text(
        f"INFO boot\nINFO db {CANARY}\nERROR dial tcp 10.0.0.5:5432: connection refused\n"
    )
    return root


def _run(
    tmp_path: Path, config: GatewayConfig, usage: SessionUsage | None = None
) -> tuple[str, AgentSession]:
    root = _repo(tmp_path)
    session = AgentSession(root=root, audit=AuditLog(tmp_path / "audit.jsonl"), approver=NeverApprove())
    usage = usage or SessionUsage()
    agent = build_agent(
        chat_model(config), session, extra_middleware=model_middleware(config, usage, initial_delay=0.01)
    )
    return run_agent(agent, session, "why does the app fail?"), session


def test_a_tool_call_round_trip_over_http_never_sends_the_secret(tmp_path: Path) -> None:
    with openai_chat_server() as server:
        server.queue(
            tool_call("search_logs", {"path": "app.log", "pattern": "ERROR|db"}),
            answer("The database at 10.0.0.5:5432 refuses connections (app.log:3)."),
        )
        config = GatewayConfig(model="openai/stub", api_base=server.base_url, api_key="sk-local")
        final, session = _run(tmp_path, config)
        bodies = server.bodies_text()
    assert final == "The database at 10.0.0.5:5432 refuses connections (app.log:3)."
    assert "connection refused" in bodies  # the tool result went to the model ...
    assert "Hunter2Hunter2Canary" not in bodies  # ... without the secret
    assert "<untrusted-data" in bodies
    assert session.audit.verify().ok


def test_retryable_errors_are_retried_then_fallback_then_clear_failure(tmp_path: Path) -> None:
    with openai_chat_server() as server:
        server.queue(rate_limit(), answer("after one retry"))
        config = GatewayConfig(model="openai/stub", api_base=server.base_url, api_key="k", max_retries=2)
        final, _ = _run(tmp_path / "a", config)
        assert final == "after one retry"
        assert len(server.requests) == 2

    with openai_chat_server() as server:
        server.queue(server_error(), server_error(), answer("from the fallback"))
        config = GatewayConfig(
            model="openai/stub",
            api_base=server.base_url,
            api_key="k",
            max_retries=1,
            fallbacks=("openai/other",),
        )
        final, _ = _run(tmp_path / "b", config)
        assert final == "from the fallback"
        assert server.models()[-1] == "other"


def test_a_non_retryable_error_is_not_retried(tmp_path: Path) -> None:
    with openai_chat_server() as server:
        server.queue(auth_error(), answer("never reached"))
        config = GatewayConfig(model="openai/stub", api_base=server.base_url, api_key="bad", max_retries=3)
        with pytest.raises(Exception) as caught:  # noqa: PT011 - the provider's own class, mapped below
            _run(tmp_path, config)
        assert len(server.requests) == 1
    from assistant.llm.errors import to_llm_error

    mapped = to_llm_error(caught.value, "openai/stub")
    assert mapped is not None
    assert mapped.kind == "auth"


def test_the_token_cap_stops_the_run_cleanly(tmp_path: Path) -> None:
    with openai_chat_server() as server:
        server.queue(
            tool_call("search_logs", {"path": "app.log", "pattern": "ERROR"}),
            answer("too late"),
        )
        config = GatewayConfig(model="openai/stub", api_base=server.base_url, api_key="k")
        with pytest.raises(BudgetExceeded, match="max_tokens"):
            _run(tmp_path, config, SessionUsage(max_tokens=10))
        assert len(server.requests) == 1


def test_cli_ask_with_a_model_answers_and_reports(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    with openai_chat_server() as server:
        server.queue(
            tool_call("diagnose_logs", {"path": "app.log"}), answer("The database refuses connections.")
        )
        env = {
            "SHIPMATE_MODEL": "openai/stub",
            "SHIPMATE_API_BASE": server.base_url,
            "SHIPMATE_API_KEY": "sk-x",
        }
        result = run("ask", "why does the app fail?", "--file", str(root / "app.log"), env=env, cwd=root)
        assert result.returncode == 0, result.stderr
        assert result.stdout.decode().strip() == "The database refuses connections."
        assert "2 model calls" in result.stderr.decode()
        first = json.loads(json.dumps(server.requests[0]))
        assert "Files to look at: app.log" in json.dumps(first)
        server.queue(auth_error())
        failed = run("ask", "again", env=env, cwd=root)
    one_line_error(failed, "shipmate: error: model: the model provider refused the API key")


def test_cli_ask_streams_guarded_lines(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    with openai_chat_server() as server:
        server.queue(
            answer(
                "The database refuses connections.\n![status](https://evil.example/p.png?k=1)\nRestart it."
            )
        )
        env = {
            "SHIPMATE_MODEL": "openai/stub",
            "SHIPMATE_API_BASE": server.base_url,
            "SHIPMATE_API_KEY": "sk-x",
        }
        result = run("-q", "ask", "why?", env=env, cwd=root)
        streamed = server.requests[0].get("stream")
    assert result.returncode == 0, result.stderr
    assert streamed is True
    assert result.stdout.decode().splitlines() == [
        "The database refuses connections.",
        "[image removed: status]",
        "Restart it.",
    ]


def test_malformed_tool_arguments_and_a_timeout_do_not_break_the_run(tmp_path: Path) -> None:
    with openai_chat_server() as server:
        server.queue(
            answer("too slow", delay=2.0),
            tool_call("search_logs", '{"path": "app.log", "pattern": '),
            answer("Recovered: the database refuses connections."),
        )
        config = GatewayConfig(
            model="openai/stub", api_base=server.base_url, api_key="k", timeout_seconds=0.5, max_retries=2
        )
        final, session = _run(tmp_path, config)
        assert final == "Recovered: the database refuses connections."
        assert len(server.requests) == 3  # the timed-out call was retried; the bad call was answered
    outcomes = [r["data"].get("outcome") for r in session.audit.records() if r["event"] == "model_call"]
    assert outcomes.count("ok") >= 2


def test_the_disk_cache_answers_a_repeated_run_without_a_request(tmp_path: Path) -> None:
    with openai_chat_server() as server:
        server.queue(answer("The database refuses connections."))
        config = GatewayConfig(
            model="openai/stub",
            api_base=server.base_url,
            api_key="k",
            cache=True,
            cache_dir=tmp_path / "cache",
        )
        first, _ = _run(tmp_path, config)
        second, _ = _run(tmp_path, config)  # the same workspace, so the same prompt
        assert first == second == "The database refuses connections."
        assert len(server.requests) == 1


def test_cli_ask_shows_a_proposed_edit_and_applies_nothing_without_a_terminal(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    (root / "deploy.yaml").write_text("replicas: 1\n")
    edit = {"path": "deploy.yaml", "new_content": "replicas: 3\n", "title": "scale up", "rationale": "load"}
    with openai_chat_server() as server:
        server.queue(tool_call("propose_file_edit", edit), answer("I proposed scaling to 3 replicas."))
        env = {
            "SHIPMATE_MODEL": "openai/stub",
            "SHIPMATE_API_BASE": server.base_url,
            "SHIPMATE_API_KEY": "sk-x",
        }
        result = run("ask", "scale it", env=env, cwd=root)
        told = json.dumps(server.requests[-1])
    out = result.stdout.decode()
    assert "-replicas: 1" in out
    assert "+replicas: 3" in out
    assert (root / "deploy.yaml").read_text() == "replicas: 1\n"
    assert "not applied" in told  # the model learns that the human did not approve it
    assert "1 proposals, 0 applied" in result.stderr.decode()


def test_stop_ends_the_model_stream_itself_not_only_the_loop(tmp_path: Path) -> None:
    import time

    from assistant.agent.build import Cancelled

    root = _repo(tmp_path)
    session = AgentSession(root=root, audit=AuditLog(tmp_path / "audit.jsonl"), approver=NeverApprove())
    lines: list[str] = []
    words = " ".join(f"word{i}" for i in range(400))  # 400 chunks, 20 ms apart: 8 s to the end
    with openai_chat_server() as server:
        server.queue(answer(f"first line\n{words}", chunk_delay=0.02))
        config = GatewayConfig(model="openai/stub", api_base=server.base_url, api_key="k")
        agent = build_agent(chat_model(config, streaming=True), session)
        started = time.perf_counter()
        with pytest.raises(Cancelled):
            run_agent(agent, session, "why?", on_line=lines.append, stop=lambda: bool(lines))
        deadline = time.monotonic() + 3
        while _model_threads() and time.monotonic() < deadline:
            time.sleep(0.05)
        settled = time.perf_counter() - started
        assert lines == ["first line"]
        assert not _model_threads(), "the model stream kept running after the stop"
        assert settled < 4  # far from the 8 s the whole answer takes


def _model_threads() -> list[str]:
    """The worker threads langgraph runs the model call in (the server's and litellm's own are not)."""
    import threading

    return [t.name for t in threading.enumerate() if t.name.startswith("ThreadPoolExecutor")]
