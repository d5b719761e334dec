"""The agent's chat model: langchain-litellm on the configured model, with shipmate's limits.

The gateway's rules hold for the agent too, as langchain middleware: the explicit timeout,
retries with backoff on retryable errors only (the gateway's error table decides), the
fallback models in order, and the session's token and cost caps, checked before every
call and after every answer.
"""

from __future__ import annotations

from typing import Any

from assistant.agent.cache import DiskCache
from assistant.agent.middleware import model_cost
from assistant.llm.config import GatewayConfig
from assistant.llm.errors import ERRORS, classify
from assistant.llm.usage import SessionUsage


def chat_model(config: GatewayConfig, model: str | None = None, streaming: bool = False) -> Any:
    """A ChatLiteLLM for `model` (default: the configured one); litellm never retries on its own."""
    from tools.litellm_loader import load_litellm

    load_litellm()  # langchain-litellm imports litellm: make sure it does so without the network
    from langchain_litellm import ChatLiteLLM

    name = model or config.model
    api_base, api_key = config.endpoint_for(name)
    return ChatLiteLLM(
        model=name,
        api_base=api_base,
        api_key=api_key,
        request_timeout=config.timeout_seconds,
        max_retries=0,
        temperature=0,
        streaming=streaming,
        # litellm and the OpenAI client each retry on their own by default: the middleware decides
        model_kwargs={"num_retries": 0, "max_retries": 0},
        cache=DiskCache(config.resolved_cache_dir) if config.cache else None,
    )


def retryable(error: Exception) -> bool:
    """True for provider errors the gateway's table marks retryable (rate limits, timeouts, 5xx)."""
    kind = classify(error)
    return kind is not None and ERRORS[kind].retryable


def model_middleware(config: GatewayConfig, usage: SessionUsage, initial_delay: float = 1.0) -> list[Any]:
    """Retry, fallback and budget middleware for the agent, in the order they must wrap the call."""
    from langchain.agents.middleware import ModelFallbackMiddleware, ModelRetryMiddleware, wrap_model_call

    @wrap_model_call
    def budget(request: Any, handler: Any) -> Any:
        usage.check_before()
        response = handler(request)
        name = str(getattr(request.model, "model", "") or config.model)
        for message in getattr(response, "result", None) or []:
            metadata = getattr(message, "usage_metadata", None) or {}
            tokens_in, tokens_out = (
                int(metadata.get("input_tokens", 0)),
                int(metadata.get("output_tokens", 0)),
            )
            usage.input_tokens += tokens_in
            usage.output_tokens += tokens_out
            usage.cost_usd += model_cost(name, tokens_in, tokens_out)
        usage.calls += 1
        usage.check_before()  # an answer that crossed a cap ends the run here
        return response

    middleware: list[Any] = [budget]
    if config.fallbacks:
        fallbacks = [chat_model(config, name) for name in config.fallbacks]
        middleware.append(ModelFallbackMiddleware(*fallbacks))
    middleware.append(
        ModelRetryMiddleware(
            max_retries=config.max_retries,
            retry_on=retryable,
            on_failure="error",
            initial_delay=initial_delay,
            max_delay=30.0,
        )
    )
    return middleware
