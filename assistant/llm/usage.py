"""Per-session token and cost accounting, and the caps that stop a run cleanly.

Costs come from litellm's bundled price map (no network). A model missing from the
map (a local model, a proxy alias) costs 0 and the session keeps a note saying so,
so a cost cap is never silently believed to hold for it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from assistant.llm.completion import Completion
from assistant.llm.errors import ERRORS, LLMError


class BudgetExceeded(LLMError):
    """A session cap is reached; `completion` is the answer that crossed it, if any."""

    def __init__(
        self, cap: str, limit: float, usage: SessionUsage, completion: Completion | None = None
    ) -> None:
        totals = (
            f"{usage.total_tokens} tokens ({usage.input_tokens} in, {usage.output_tokens} out), "
            f"${usage.cost_usd:.4f} over {usage.calls} calls"
        )
        shown = f"${limit:g}" if cap == "max_cost_usd" else f"{int(limit)} tokens"
        message = f"{ERRORS['budget'].message} (llm.{cap} = {shown}; this session: {totals})"
        super().__init__("budget", message, completion.model if completion else "")
        self.cap = cap
        self.limit = limit
        self.completion = completion


@dataclass
class SessionUsage:
    """Tokens and cost of one session, with its caps."""

    max_cost_usd: float | None = None
    max_tokens: int | None = None
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    calls: int = 0
    cached_calls: int = 0
    notes: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def total_tokens(self) -> int:
        """Tokens in plus out, over the session."""
        return self.input_tokens + self.output_tokens

    def check_before(self) -> None:
        """Refuse a new call when a cap is already reached."""
        self._check(None)

    def record(self, completion: Completion) -> None:
        """Add one answer (a cached one adds no tokens and no cost), then raise if a cap is now passed."""
        with self._lock:
            self.calls += 1
            if completion.cached:
                self.cached_calls += 1
            else:
                self.input_tokens += completion.usage.input_tokens
                self.output_tokens += completion.usage.output_tokens
                self.cost_usd += completion.cost_usd
            if completion.cost_note and completion.cost_note not in self.notes:
                self.notes.append(completion.cost_note)
        self._check(completion)

    def summary(self) -> dict[str, Any]:
        """Totals as JSON-ready values."""
        return {
            "calls": self.calls,
            "cached_calls": self.cached_calls,
            "input_tokens": self.input_tokens,
            "output_tokens": self.output_tokens,
            "cost_usd": round(self.cost_usd, 6),
            "notes": list(self.notes),
        }

    def _check(self, completion: Completion | None) -> None:
        # Before a call, reaching a cap refuses; after one, only passing it does (an answer that
        # lands exactly on the cap is still within budget and is returned).
        before = completion is None
        if self.max_tokens is not None and (
            self.total_tokens > self.max_tokens or (before and self.total_tokens >= self.max_tokens)
        ):
            raise BudgetExceeded("max_tokens", self.max_tokens, self, completion)
        cost = round(self.cost_usd, 9)  # prices are floats: $0.5 + $0.5 must reach a $1 cap
        if self.max_cost_usd is not None and (
            cost > self.max_cost_usd or (before and cost >= self.max_cost_usd)
        ):
            raise BudgetExceeded("max_cost_usd", self.max_cost_usd, self, completion)


def response_cost(response: Any, model: str) -> tuple[float, str | None]:
    """(cost in USD, note) of a litellm response, from the bundled price map; unknown models cost 0."""
    hidden = getattr(response, "_hidden_params", None) or {}
    cost = hidden.get("response_cost")
    if isinstance(cost, int | float) and cost > 0:
        return float(cost), None
    from tools.litellm_loader import load_litellm

    litellm = load_litellm()
    try:
        return float(litellm.completion_cost(completion_response=response)), None
    except Exception:  # litellm raises several types for "not in the price map"
        return 0.0, f"{model}: no price in litellm's map, counted as $0"
