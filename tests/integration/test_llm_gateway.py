"""The LLM gateway over real HTTP: litellm against a local OpenAI-compatible server of recorded replies."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.audit import AuditLog
from assistant.llm import BudgetExceeded, GatewayConfig, LLMError, LLMGateway
from assistant.llm.errors import ERRORS, ErrorKind
from tests.servers.openai_chat import (
    ChatServer,
    answer,
    auth_error,
    content_filter,
    context_length_exceeded,
    model_not_found,
    openai_chat_server,
    rate_limit,
    server_error,
    tool_call,
    tool_calls,
)

CANARIES = ("AKIAIOSFODNN7EXAMPLE", "hunter2hunter2", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
QUESTION = [{"role": "user", "content": "why does checkout fail?"}]

MakeGateway = Callable[..., LLMGateway]


@pytest.fixture
def server() -> Iterator[ChatServer]:
    with openai_chat_server() as running:
        yield running


@pytest.fixture
def audit(tmp_path: Path) -> AuditLog:
    return AuditLog(tmp_path / "audit.jsonl")


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def make_gateway(server: ChatServer, audit: AuditLog, sleeps: list[float], tmp_path: Path) -> MakeGateway:
    def make(model: str = "openai/stub", **overrides: Any) -> LLMGateway:
        config = GatewayConfig(model=model, api_base=server.base_url, api_key="sk-test", **overrides)
        return LLMGateway(config, audit, sleep=sleeps.append, jitter=lambda: 0.5)

    return make


def _calls(audit: AuditLog) -> list[dict[str, Any]]:
    return [r["data"] for r in audit.records() if r["event"] == "model_call"]


def test_plain_completion(server: ChatServer, make_gateway: MakeGateway, audit: AuditLog) -> None:
    server.queue(
        answer("The readiness probe points at the wrong port.", prompt_tokens=42, completion_tokens=9)
    )
    completion = make_gateway().complete(QUESTION, temperature=0)
    assert completion.text == "The readiness probe points at the wrong port."
    assert completion.model == "openai/stub"
    assert (completion.usage.input_tokens, completion.usage.output_tokens) == (42, 9)
    assert completion.cost_usd == 0.0
    assert completion.cost_note
    body = server.requests[0]
    assert body["model"] == "stub"
    assert body["messages"] == QUESTION
    assert body["temperature"] == 0
    [record] = _calls(audit)
    assert record["outcome"] == "ok"
    assert record["input_tokens"] == 42
    assert record["output_tokens"] == 9
    assert len(record["prompt_sha256"]) == 64
    assert "checkout" not in json.dumps(record)
    assert audit.verify().ok


def test_known_model_is_priced_from_the_bundled_map(server: ChatServer, make_gateway: MakeGateway) -> None:
    server.queue(answer("ok", prompt_tokens=1_000_000, completion_tokens=0))
    gateway = make_gateway("openai/gpt-4o")
    completion = gateway.complete(QUESTION)
    assert completion.cost_usd == pytest.approx(2.5)  # gpt-4o input: $2.50 per million tokens
    assert completion.cost_note is None
    assert gateway.usage.cost_usd == pytest.approx(2.5)


def test_streaming_chunks_in_order_and_usage_recorded(
    server: ChatServer, make_gateway: MakeGateway, audit: AuditLog
) -> None:
    server.queue(answer("kubectl rollout undo deployment/checkout", prompt_tokens=30, completion_tokens=4))
    gateway = make_gateway()
    stream = gateway.stream(QUESTION)
    chunks = list(stream)
    assert chunks == ["kubectl ", "rollout ", "undo ", "deployment/checkout"]
    assert server.requests[0]["stream"] is True
    assert stream.completion is not None
    assert stream.completion.text == "".join(chunks)
    assert (stream.completion.usage.input_tokens, stream.completion.usage.output_tokens) == (30, 4)
    assert gateway.usage.total_tokens == 34
    [record] = _calls(audit)
    assert record["stream"] is True
    assert record["outcome"] == "ok"
    assert record["output_tokens"] == 4


def test_stream_retries_a_rate_limit_before_the_first_chunk(
    server: ChatServer, make_gateway: MakeGateway, sleeps: list[float]
) -> None:
    server.queue(rate_limit(), answer("fine now"))
    assert make_gateway().stream(QUESTION).read() == "fine now"
    assert len(server.requests) == 2
    assert len(sleeps) == 1


def test_stream_stopped_early_is_audited_as_cancelled(
    server: ChatServer, make_gateway: MakeGateway, audit: AuditLog
) -> None:
    server.queue(answer("one two three four"))
    stream = make_gateway().stream(QUESTION)
    assert next(stream) == "one "
    stream.close()
    assert [r["outcome"] for r in _calls(audit)] == ["cancelled"]


def test_streamed_tool_call(server: ChatServer, make_gateway: MakeGateway) -> None:
    server.queue(tool_call("read_file", {"path": "deploy/checkout.yaml", "start": 1}))
    stream = make_gateway().stream(QUESTION, tools=[_READ_FILE])
    assert stream.read() == ""
    assert stream.completion is not None
    [call] = stream.completion.tool_calls
    assert call.name == "read_file"
    assert call.arguments == {"path": "deploy/checkout.yaml", "start": 1}


_READ_FILE = {
    "type": "function",
    "function": {
        "name": "read_file",
        "description": "Read a file of the repository.",
        "parameters": {"type": "object", "properties": {"path": {"type": "string"}}, "required": ["path"]},
    },
}


def test_tool_calls_parsed(server: ChatServer, make_gateway: MakeGateway) -> None:
    server.queue(tool_calls(("read_file", {"path": "a.yaml"}), ("search_logs", {"pattern": "OOMKilled"})))
    completion = make_gateway().complete(QUESTION, tools=[_READ_FILE])
    assert server.requests[0]["tools"] == [_READ_FILE]
    assert [(c.id, c.name, c.arguments) for c in completion.tool_calls] == [
        ("call_1", "read_file", {"path": "a.yaml"}),
        ("call_2", "search_logs", {"pattern": "OOMKilled"}),
    ]
    assert completion.finish_reason == "tool_calls"
    message = completion.as_message()
    assert message["tool_calls"][0]["function"] == {"name": "read_file", "arguments": '{"path": "a.yaml"}'}


def test_malformed_tool_arguments_are_kept_with_an_error(
    server: ChatServer, make_gateway: MakeGateway
) -> None:
    server.queue(tool_call("read_file", '{"path": "a.yaml"'), tool_call("read_file", '["a.yaml"]'))
    gateway = make_gateway()
    [broken] = gateway.complete(QUESTION, tools=[_READ_FILE]).tool_calls
    assert broken.arguments is None
    assert broken.raw_arguments == '{"path": "a.yaml"'
    assert broken.error is not None
    assert "not valid JSON" in broken.error
    [not_object] = gateway.complete(QUESTION, tools=[_READ_FILE]).tool_calls
    assert not_object.arguments is None
    assert not_object.error is not None
    assert "JSON object" in not_object.error


def test_rate_limit_then_success_retries_once_with_backoff(
    server: ChatServer, make_gateway: MakeGateway, sleeps: list[float], audit: AuditLog
) -> None:
    server.queue(rate_limit(), answer("ok"))
    assert make_gateway().complete(QUESTION).text == "ok"
    assert len(server.requests) == 2
    assert sleeps == [0.75]  # base 1 s, first retry: half of it plus half the jitter (0.5)
    assert [r["outcome"] for r in _calls(audit)] == ["rate_limit", "ok"]


def test_retry_after_header_is_honoured(
    server: ChatServer, make_gateway: MakeGateway, sleeps: list[float]
) -> None:
    server.queue(rate_limit(retry_after=3), answer("ok"))
    make_gateway().complete(QUESTION)
    assert sleeps == [3.0]


def test_backoff_grows_exponentially(
    server: ChatServer, make_gateway: MakeGateway, sleeps: list[float]
) -> None:
    server.queue(server_error(), server_error(), server_error(), answer("ok"))
    make_gateway(max_retries=3).complete(QUESTION)
    assert sleeps == [0.75, 1.5, 3.0]


def test_server_errors_fall_back_to_the_next_model(
    server: ChatServer, make_gateway: MakeGateway, sleeps: list[float], audit: AuditLog
) -> None:
    server.queue(server_error(), server_error(), server_error(), answer("from the fallback"))
    gateway = make_gateway(fallbacks=("openai/backup",))
    completion = gateway.complete(QUESTION)
    assert completion.text == "from the fallback"
    assert completion.model == "openai/backup"
    assert server.models() == ["stub", "stub", "stub", "backup"]
    assert len(sleeps) == 2  # between the three attempts on the main model, none before the fallback
    assert [r["model"] for r in _calls(audit)][-1] == "openai/backup"


def test_every_model_failing_gives_the_last_kind(server: ChatServer, make_gateway: MakeGateway) -> None:
    server.queue(*[server_error()] * 4)
    with pytest.raises(LLMError) as raised:
        make_gateway(fallbacks=("openai/backup",), max_retries=1).complete(QUESTION)
    assert raised.value.kind == "server"
    assert "tried openai/stub, openai/backup" in str(raised.value)
    assert len(server.requests) == 4


@pytest.mark.parametrize(
    ("reply", "kind"),
    [
        (auth_error(), "auth"),
        (model_not_found(), "model_not_found"),
        (context_length_exceeded(), "context_window"),
        (content_filter(), "content_filter"),
    ],
)
def test_non_retryable_errors_stop_at_once_with_one_message(
    server: ChatServer, make_gateway: MakeGateway, sleeps: list[float], reply: Any, kind: ErrorKind
) -> None:
    server.queue(reply, answer("never served"))
    with pytest.raises(LLMError) as raised:
        make_gateway(fallbacks=("openai/backup",)).complete(QUESTION)
    assert raised.value.kind == kind
    assert raised.value.message == ERRORS[kind].message
    assert len(server.requests) == 1
    assert sleeps == []


def test_auth_message_tells_what_to_set(server: ChatServer, make_gateway: MakeGateway) -> None:
    server.queue(auth_error())
    with pytest.raises(LLMError, match="refused the API key: set SHIPMATE_API_KEY or api_key in config"):
        make_gateway().complete(QUESTION)


def test_timeout_is_retried_per_config_then_reported(
    server: ChatServer, make_gateway: MakeGateway, sleeps: list[float], audit: AuditLog
) -> None:
    server.queue(answer("late", delay=1.5), answer("late", delay=1.5))
    with pytest.raises(LLMError) as raised:
        make_gateway(timeout_seconds=0.5, max_retries=1).complete(QUESTION)
    assert raised.value.kind == "timeout"
    assert "did not answer in time" in raised.value.message
    assert len(server.requests) == 2
    assert len(sleeps) == 1
    outcomes = _calls(audit)
    assert [r["outcome"] for r in outcomes] == ["timeout", "timeout"]
    assert all(400 <= r["latency_ms"] < 1400 for r in outcomes)  # cut at 0.5 s, not at the delay


def test_connection_refused_is_a_connection_error(audit: AuditLog, sleeps: list[float]) -> None:
    with openai_chat_server() as gone:
        base_url = gone.base_url  # the port is closed once the block ends
    config = GatewayConfig(model="openai/stub", api_base=base_url, api_key="sk-test", max_retries=1)
    with pytest.raises(LLMError) as raised:
        LLMGateway(config, audit, sleep=sleeps.append).complete(QUESTION)
    assert raised.value.kind == "connection"
    assert len(sleeps) == 1


def test_cost_cap_stops_the_run(server: ChatServer, make_gateway: MakeGateway, audit: AuditLog) -> None:
    server.queue(*[answer("ok", prompt_tokens=200_000, completion_tokens=0)] * 3)
    gateway = make_gateway("openai/gpt-4o", max_cost_usd=1.0)  # $0.50 per call
    gateway.complete(QUESTION)
    gateway.complete(QUESTION)  # exactly $1.00: still within the cap
    with pytest.raises(BudgetExceeded) as refused:
        gateway.complete(QUESTION)
    assert refused.value.cap == "max_cost_usd"
    assert "llm.max_cost_usd = $1" in str(refused.value)
    assert "$1.0000 over 2 calls" in str(refused.value)
    assert len(server.requests) == 2  # refused before a third request
    assert _calls(audit)[-1]["outcome"] == "budget"


def test_token_cap_raises_after_the_call_that_passes_it(
    server: ChatServer, make_gateway: MakeGateway
) -> None:
    server.queue(answer("first", prompt_tokens=60, completion_tokens=10), answer("second", prompt_tokens=60))
    gateway = make_gateway(max_tokens=100)
    gateway.complete(QUESTION)
    with pytest.raises(BudgetExceeded) as passed:
        gateway.complete(QUESTION)
    assert passed.value.cap == "max_tokens"
    assert passed.value.completion is not None
    assert passed.value.completion.text == "second"
    assert "135 tokens (120 in, 15 out)" in str(passed.value)
    with pytest.raises(BudgetExceeded):
        gateway.complete(QUESTION)
    assert len(server.requests) == 2


def test_cache_answers_the_second_identical_call(
    server: ChatServer, make_gateway: MakeGateway, audit: AuditLog, tmp_path: Path
) -> None:
    server.queue(answer("cached answer", prompt_tokens=1_000_000, completion_tokens=0))
    gateway = make_gateway("openai/gpt-4o", cache=True, cache_dir=tmp_path / "cache")
    first = gateway.complete(QUESTION, temperature=0)
    second = gateway.complete(QUESTION, temperature=0)
    assert second.text == first.text
    assert second.cached
    assert second.cost_usd == 0.0
    assert len(server.requests) == 1
    assert gateway.usage.calls == 2
    assert gateway.usage.cached_calls == 1
    assert gateway.usage.cost_usd == pytest.approx(2.5)  # only the first call cost anything
    records = _calls(audit)
    assert [r["cached"] for r in records] == [False, True]
    assert records[1]["cost_usd"] == 0.0
    # a different temperature is a different request; a fresh gateway reads the same disk cache
    server.queue(answer("warmer"))
    assert gateway.complete(QUESTION, temperature=1).text == "warmer"
    again = make_gateway("openai/gpt-4o", cache=True, cache_dir=tmp_path / "cache").stream(
        QUESTION, temperature=0
    )
    assert again.read() == "cached answer"
    assert len(server.requests) == 2


def test_cache_is_off_by_default(server: ChatServer, make_gateway: MakeGateway) -> None:
    server.queue(answer("a"), answer("b"))
    gateway = make_gateway()
    assert [gateway.complete(QUESTION).text, gateway.complete(QUESTION).text] == ["a", "b"]


def test_canary_secrets_never_leave_the_process(
    server: ChatServer, make_gateway: MakeGateway, audit: AuditLog, tmp_path: Path
) -> None:
    log = (
        "2024-05-01T10:00:00Z ERROR boto: AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n"
        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"
        "db connect failed: password=hunter2hunter2"
    )
    messages = [
        {"role": "system", "content": "You are shipmate."},
        {"role": "user", "content": [{"type": "text", "text": f"What failed?\n{log}"}]},
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": "search_logs", "arguments": '{"pattern": "hunter2hunter2"}'},
                }
            ],
        },
        {"role": "tool", "tool_call_id": "call_1", "content": log},
    ]
    server.queue(answer("plain"), answer("streamed"))
    gateway = make_gateway(cache=True, cache_dir=tmp_path / "cache")
    gateway.complete(messages, tools=[_READ_FILE])
    gateway.stream(messages).read()
    sent = server.bodies_text()
    assert len(server.requests) == 2
    assert "[SECRET-" in sent  # each secret has its own stable placeholder
    for canary in CANARIES:
        assert canary not in sent
        assert canary not in audit.path.read_text()
        assert all(canary not in p.read_text() for p in (tmp_path / "cache").rglob("*.json"))


def test_a_callers_redactor_is_used(server: ChatServer, audit: AuditLog) -> None:
    server.queue(answer("ok"))
    config = GatewayConfig(model="openai/stub", api_base=server.base_url, api_key="sk-test")
    gateway = LLMGateway(config, audit, redact=lambda text: text.replace("checkout", "<service-1>"))
    gateway.complete(QUESTION)
    assert server.requests[0]["messages"][0]["content"] == "why does <service-1> fail?"


def test_a_resent_conversation_is_redacted_only_for_new_texts(server: ChatServer) -> None:
    seen: list[str] = []

    def redact(text: str) -> str:
        seen.append(text)
        return text.replace("hunter2hunter2", "[REDACTED]")

    server.queue(answer("one"), answer("two"))
    config = GatewayConfig(model="openai/stub", api_base=server.base_url, api_key="sk-test")
    gateway = LLMGateway(config, redact=redact)
    history = [{"role": "user", "content": "password hunter2hunter2 fails"}]
    history.append(gateway.complete(history).as_message())
    history.append({"role": "user", "content": "and now?"})
    gateway.complete(history)
    assert seen == ["password hunter2hunter2 fails", "one", "and now?"]
    assert "hunter2hunter2" not in server.bodies_text()


@pytest.mark.parametrize(
    ("model", "api_key", "sent"),
    [
        ("openai/llama-3.1-8b", None, "llama-3.1-8b"),  # llama.cpp server, any OpenAI-compatible api_base
        ("hosted_vllm/qwen2.5-coder", None, "qwen2.5-coder"),  # vLLM
        ("lm_studio/qwen2.5-coder", None, "qwen2.5-coder"),
        ("litellm_proxy/team-default", "sk-team", "team-default"),  # a team's LiteLLM proxy
    ],
)
def test_local_servers_and_proxies(
    server: ChatServer, monkeypatch: pytest.MonkeyPatch, model: str, api_key: str | None, sent: str
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    server.queue(answer("ok"))
    gateway = LLMGateway(GatewayConfig(model=model, api_base=server.base_url, api_key=api_key))
    assert gateway.complete(QUESTION).text == "ok"
    assert server.models() == [sent]


def test_a_proxy_without_a_key_is_an_auth_error(server: ChatServer, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LITELLM_PROXY_API_KEY", "LITELLM_PROXY_ADMIN_KEY"):
        monkeypatch.delenv(name, raising=False)
    gateway = LLMGateway(GatewayConfig(model="litellm_proxy/team-default", api_base=server.base_url))
    with pytest.raises(LLMError) as raised:
        gateway.complete(QUESTION)
    assert raised.value.kind == "auth"
    assert server.requests == []


def test_reserved_parameters_are_refused(make_gateway: MakeGateway) -> None:
    with pytest.raises(TypeError, match="timeout"):
        make_gateway().complete(QUESTION, timeout=6000)


def test_audit_chain_over_a_mixed_session(
    server: ChatServer, make_gateway: MakeGateway, audit: AuditLog
) -> None:
    server.queue(rate_limit(), answer("a"), tool_call("read_file", {"path": "x"}), answer("b c"))
    gateway = make_gateway()
    gateway.complete(QUESTION)
    gateway.complete(QUESTION, tools=[_READ_FILE])
    gateway.stream(QUESTION).read()
    records = _calls(audit)
    assert [r["outcome"] for r in records] == ["rate_limit", "ok", "ok", "ok"]
    expected = {
        "model",
        "prompt_sha256",
        "input_tokens",
        "output_tokens",
        "cost_usd",
        "latency_ms",
        "outcome",
    }
    assert all(expected <= r.keys() for r in records)
    check = audit.verify()
    assert check.ok
    assert check.records == 4
