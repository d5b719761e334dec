"""The provider error table: kinds, one message each, what is retried, and how exceptions map."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from assistant.llm.errors import ERRORS, LLMError, classify, retry_after, to_llm_error
from tools.litellm_loader import load_litellm

RETRYABLE = {"rate_limit", "timeout", "connection", "server"}


def test_every_kind_has_one_message_and_the_retry_rule() -> None:
    provider_kinds = {
        "auth", "rate_limit", "context_window", "model_not_found", "timeout",
        "content_filter", "connection", "bad_request", "server",
    }  # fmt: skip
    assert provider_kinds <= ERRORS.keys()
    assert {kind for kind, info in ERRORS.items() if info.retryable} == RETRYABLE
    messages = [info.message for info in ERRORS.values()]
    assert len(set(messages)) == len(messages)
    assert all(m and m[0].islower() for m in messages)
    assert "set SHIPMATE_API_KEY or api_key in config" in ERRORS["auth"].message


def _litellm_errors() -> list[tuple[Any, str]]:
    litellm = load_litellm()
    common = {"llm_provider": "openai", "model": "gpt-x"}
    request = httpx.Request("POST", "http://127.0.0.1/v1/chat/completions")
    return [
        (litellm.AuthenticationError(message="bad key", **common), "auth"),
        (
            litellm.PermissionDeniedError(
                message="no", response=httpx.Response(403, request=request), **common
            ),
            "auth",
        ),
        (litellm.NotFoundError(message="no such model", **common), "model_not_found"),
        (litellm.RateLimitError(message="slow down", **common), "rate_limit"),
        (litellm.ContextWindowExceededError(message="too long", **common), "context_window"),
        (litellm.ContentPolicyViolationError(message="flagged", **common), "content_filter"),
        (litellm.Timeout(message="timed out", **common), "timeout"),
        (litellm.APIConnectionError(message="refused", **common), "connection"),
        (litellm.InternalServerError(message="boom", **common), "server"),
        (litellm.ServiceUnavailableError(message="overloaded", **common), "server"),
        (litellm.BadRequestError(message="bad", **common), "bad_request"),
        (litellm.BadRequestError(message="x", body={"code": "content_filter"}, **common), "content_filter"),
        (
            litellm.BadRequestError(message="x", body={"code": "context_length_exceeded"}, **common),
            "context_window",
        ),
    ]


def test_litellm_exceptions_map_to_kinds() -> None:
    for exc, kind in _litellm_errors():
        assert classify(exc) == kind, (type(exc).__name__, exc)


class _StatusError(Exception):
    def __init__(self, status_code: int) -> None:
        super().__init__(f"status {status_code}")
        self.status_code = status_code


@pytest.mark.parametrize(
    ("status", "kind"),
    [(400, "bad_request"), (401, "auth"), (403, "auth"), (404, "model_not_found"), (408, "timeout"),
     (413, "context_window"), (429, "rate_limit"), (500, "server"), (502, "server"), (503, "server")],
)  # fmt: skip
def test_status_codes_map_to_kinds(status: int, kind: str) -> None:
    assert classify(_StatusError(status)) == kind


def test_a_refused_connection_reported_as_500_is_a_connection_error() -> None:
    litellm = load_litellm()
    reported = litellm.InternalServerError(message="Connection error.", llm_provider="openai", model="m")
    reported.__cause__ = ConnectionRefusedError(111, "Connection refused")
    assert classify(reported) == "connection"
    assert classify(litellm.InternalServerError(message="boom", llm_provider="openai", model="m")) == "server"


def test_a_missing_key_reported_as_500_is_an_auth_error() -> None:
    litellm = load_litellm()
    message = "Missing credentials. Please pass an `api_key` or set the `LITELLM_PROXY_API_KEY` variable."
    assert (
        classify(litellm.InternalServerError(message=message, llm_provider="litellm_proxy", model="m"))
        == "auth"
    )


def test_exceptions_that_are_not_provider_errors_are_left_alone() -> None:
    assert classify(ValueError("a bug")) is None
    assert classify(ValueError("missing credentials")) is None
    assert to_llm_error(KeyError("x"), "m") is None
    assert classify(TimeoutError()) == "timeout"
    assert classify(ConnectionResetError()) == "connection"


def test_llm_error_carries_kind_message_model_and_detail() -> None:
    error = to_llm_error(_StatusError(401), "openai/gpt-x")
    assert isinstance(error, LLMError)
    assert (error.kind, error.model, error.retryable) == ("auth", "openai/gpt-x", False)
    assert error.message == ERRORS["auth"].message
    assert str(error).endswith("(model openai/gpt-x)")
    assert error.detail == "status 401"


def test_retry_after_is_read_from_headers() -> None:
    litellm = load_litellm()
    exc = litellm.RateLimitError(message="slow", llm_provider="openai", model="m")
    assert retry_after(exc) is None
    exc.litellm_response_headers = httpx.Headers({"Retry-After": "7"})
    assert retry_after(exc) == 7.0
    exc.litellm_response_headers = httpx.Headers({"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"})
    assert retry_after(exc) is None


def test_docs_list_every_kind_and_message() -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "llm.md").read_text()
    for kind, info in ERRORS.items():
        retried = "yes" if info.retryable else "no"
        assert f"| `{kind}` | {retried} | {info.message} |" in docs
