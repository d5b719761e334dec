"""Session accounting and caps: refuse before a call when reached, raise after one that passes a cap."""

from __future__ import annotations

import pytest

from assistant.llm.completion import Completion, Usage
from assistant.llm.errors import LLMError
from assistant.llm.usage import BudgetExceeded, SessionUsage


def _answer(tokens_in: int, tokens_out: int, cost: float = 0.0, *, cached: bool = False) -> Completion:
    return Completion(text="x", model="m", usage=Usage(tokens_in, tokens_out), cost_usd=cost, cached=cached)


def test_totals_add_up() -> None:
    usage = SessionUsage()
    usage.record(_answer(10, 2, 0.01))
    usage.record(_answer(5, 1, 0.02))
    assert (usage.input_tokens, usage.output_tokens, usage.total_tokens, usage.calls) == (15, 3, 18, 2)
    assert usage.cost_usd == pytest.approx(0.03)
    assert usage.summary()["cost_usd"] == 0.03


def test_no_caps_never_stop() -> None:
    usage = SessionUsage()
    for _ in range(100):
        usage.check_before()
        usage.record(_answer(10_000, 10_000, 5.0))


def test_token_cap_after_and_before() -> None:
    usage = SessionUsage(max_tokens=100)
    usage.record(_answer(90, 10))  # exactly on the cap: the answer is still good
    with pytest.raises(BudgetExceeded) as before:
        usage.check_before()
    assert before.value.cap == "max_tokens"
    assert before.value.completion is None
    assert "llm.max_tokens = 100 tokens" in str(before.value)
    assert "100 tokens (90 in, 10 out)" in str(before.value)


def test_cost_cap_raised_by_the_answer_that_passes_it() -> None:
    usage = SessionUsage(max_cost_usd=0.05)
    usage.record(_answer(1, 1, 0.04))
    passing = _answer(1, 1, 0.02)
    with pytest.raises(BudgetExceeded) as raised:
        usage.record(passing)
    assert raised.value.cap == "max_cost_usd"
    assert raised.value.completion is passing
    assert isinstance(raised.value, LLMError)
    assert raised.value.kind == "budget"
    assert not raised.value.retryable
    assert "llm.max_cost_usd = $0.05" in str(raised.value)
    assert "$0.0600 over 2 calls" in str(raised.value)


def test_float_sums_reach_the_cap() -> None:
    usage = SessionUsage(max_cost_usd=0.3)
    for _ in range(3):
        usage.record(_answer(1, 1, 0.1))  # 0.1 + 0.1 + 0.1 == 0.30000000000000004
    with pytest.raises(BudgetExceeded):
        usage.check_before()


def test_cached_answers_are_free_and_counted() -> None:
    usage = SessionUsage(max_tokens=10)
    usage.record(_answer(500, 500, 1.0, cached=True))
    assert (usage.total_tokens, usage.cost_usd, usage.calls, usage.cached_calls) == (0, 0.0, 1, 1)
    usage.check_before()


def test_unknown_prices_leave_a_note_once() -> None:
    usage = SessionUsage()
    note = "ollama/qwen: no price in litellm's map, counted as $0"
    for _ in range(2):
        usage.record(Completion(text="x", model="ollama/qwen", cost_note=note))
    assert usage.notes == [note]
