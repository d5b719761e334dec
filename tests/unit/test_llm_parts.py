"""Gateway parts without the network: settings, redaction of messages, hashes, cache, tool-call parsing."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.config import describe, load_settings
from assistant.llm.cache import ResponseCache, cache_key
from assistant.llm.completion import Completion, ToolCall, Usage
from assistant.llm.config import GatewayConfig, default_cache_dir
from assistant.llm.messages import prompt_sha256, redact_messages


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    monkeypatch.chdir(root)
    return root


def test_llm_settings_defaults_and_config_show(repo: Path) -> None:
    loaded = load_settings()
    llm = loaded.settings.llm
    assert (llm.timeout_seconds, llm.max_retries, llm.cache, llm.fallbacks) == (60.0, 2, False, [])
    rows = {name: value for name, value, _ in describe(loaded)}
    for name in (
        "fallbacks",
        "timeout_seconds",
        "max_retries",
        "max_cost_usd",
        "max_tokens",
        "cache",
        "cache_dir",
    ):
        assert f"llm.{name}" in rows
    assert rows["llm.timeout_seconds"] == "60.0"
    assert rows["llm.max_cost_usd"] == "(not set)"


def test_llm_settings_from_env_and_repo_file(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (repo / ".shipmate.toml").write_text(
        'model = "ollama/qwen2.5-coder"\napi_base = "http://localhost:11434"\n'
        '[llm]\nfallbacks = ["ollama/llama3.1"]\ncache = true\ncache_dir = "cache/llm"\n'
    )
    monkeypatch.setenv("SHIPMATE_LLM__TIMEOUT_SECONDS", "0.5")
    monkeypatch.setenv("SHIPMATE_LLM__MAX_COST_USD", "2")
    loaded = load_settings()
    config = GatewayConfig.from_loaded(loaded)
    assert config.models == ("ollama/qwen2.5-coder", "ollama/llama3.1")
    assert (config.timeout_seconds, config.max_cost_usd, config.cache) == (0.5, 2.0, True)
    assert config.resolved_cache_dir == repo / "cache" / "llm"  # relative to the file that set it
    assert loaded.sources["llm.timeout_seconds"] == "env"


def test_no_model_is_an_error(repo: Path) -> None:
    with pytest.raises(ValueError, match="no model configured"):
        GatewayConfig.from_settings(load_settings().settings)


def test_endpoint_goes_with_models_of_the_same_provider() -> None:
    config = GatewayConfig(
        model="openai/qwen",
        api_base="http://vllm:8000/v1",
        api_key="k",
        fallbacks=("openai/small", "anthropic/c"),
    )
    assert config.endpoint_for("openai/small") == ("http://vllm:8000/v1", "k")
    assert config.endpoint_for("anthropic/c") == (None, None)
    assert "k'" not in repr(config)  # the key stays out of reprs and tracebacks


def test_default_cache_dir_follows_xdg(isolated_user_config: Path) -> None:
    assert default_cache_dir() == isolated_user_config / "cache" / "shipmate" / "llm"
    assert GatewayConfig(model="m").resolved_cache_dir == default_cache_dir()


def test_every_text_is_redacted_and_the_input_is_untouched() -> None:
    messages = [
        {"role": "user", "content": "secret here"},
        {"role": "user", "content": [{"type": "text", "text": "secret part"}, {"type": "image_url", "image_url": {}}]},
        {"role": "assistant", "content": None,
         "tool_calls": [{"id": "1", "type": "function", "function": {"name": "f", "arguments": '{"q": "secret"}'}}]},
    ]  # fmt: skip
    redacted = redact_messages(messages, lambda text: text.replace("secret", "[R]"))
    assert redacted[0]["content"] == "[R] here"
    assert redacted[1]["content"][0]["text"] == "[R] part"
    assert redacted[1]["content"][1]["type"] == "image_url"
    assert redacted[2]["tool_calls"][0]["function"]["arguments"] == '{"q": "[R]"}'
    assert messages[0]["content"] == "secret here"  # the caller's messages are not changed


def test_prompt_hash_is_stable_and_sensitive() -> None:
    one = [{"role": "user", "content": "a"}]
    assert prompt_sha256(one) == prompt_sha256([{"content": "a", "role": "user"}])
    assert prompt_sha256(one) != prompt_sha256([{"role": "user", "content": "b"}])
    assert prompt_sha256(one) != prompt_sha256(one, tools=[{"type": "function"}])


def test_cache_key_covers_model_messages_tools_temperature() -> None:
    messages = [{"role": "user", "content": "a"}]
    base = cache_key("m", messages, None, 0.0)
    assert base == cache_key("m", [{"content": "a", "role": "user"}], None, 0.0)
    assert len({base, cache_key("n", messages), cache_key("m", messages, [{"t": 1}], 0.0),
                cache_key("m", messages, None, 1.0), cache_key("m", messages, None, 0.0, {"seed": 1})}) == 5  # fmt: skip


def test_cache_round_trip_marks_answers_cached_and_free(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path)
    stored = Completion(
        text="hi",
        model="m",
        tool_calls=(ToolCall.parse("c1", "f", '{"a": 1}'),),
        usage=Usage(3, 4),
        cost_usd=0.5,
    )
    key = cache_key("m", [{"role": "user", "content": "x"}])
    assert cache.get(key) is None
    cache.put(key, stored)
    hit = cache.get(key)
    assert hit is not None
    assert hit.cached
    assert hit.cost_usd == 0.0
    assert (hit.text, hit.tool_calls, hit.usage) == ("hi", stored.tool_calls, stored.usage)
    cache.path(key).write_text("{not json")
    assert cache.get(key) is None


def test_tool_call_arguments_parsing() -> None:
    assert ToolCall.parse("1", "f", "").arguments == {}
    assert ToolCall.parse("1", "f", '{"a": [1]}').arguments == {"a": [1]}
    broken = ToolCall.parse("1", "f", '{"a": ')
    assert broken.arguments is None
    assert broken.error
    assert broken.raw_arguments == '{"a": '
