"""Provider errors mapped to a few kinds, each with one user message and a retry rule.

litellm raises its own exception classes (subclasses of openai's) for every provider;
some provider errors only show in the status code or the error body's `code` (Azure's
`content_filter` arrives as a plain 400 through an OpenAI-compatible route). `classify`
looks at the class first, then the body code, then the status.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

ErrorKind = Literal[
    "auth",
    "rate_limit",
    "context_window",
    "model_not_found",
    "timeout",
    "content_filter",
    "connection",
    "bad_request",
    "server",
    "budget",
]


@dataclass(frozen=True)
class ErrorInfo:
    """What a kind of error means for the user and for the retry loop."""

    kind: ErrorKind
    retryable: bool
    message: str


ERRORS: dict[ErrorKind, ErrorInfo] = {
    info.kind: info
    for info in (
        ErrorInfo(
            "auth",
            False,
            "the model provider refused the API key: set SHIPMATE_API_KEY or api_key in config "
            "(or the provider's own variable, e.g. OPENAI_API_KEY)",
        ),
        ErrorInfo(
            "rate_limit",
            True,
            "the model provider is rate-limiting requests: wait a moment, or set llm.fallbacks "
            "to other models",
        ),
        ErrorInfo(
            "context_window",
            False,
            "the request is longer than the model's context window: give it less text "
            "(fewer or smaller files, a smaller --context-budget) or use a model with a larger context",
        ),
        ErrorInfo(
            "model_not_found",
            False,
            "the model provider does not know this model: check the model string "
            "(provider/name, e.g. openai/gpt-4.1-mini or ollama/qwen2.5-coder) and that your key may use it",
        ),
        ErrorInfo(
            "timeout",
            True,
            "the model did not answer in time: raise llm.timeout_seconds (local models can be slow) "
            "or check that the server is not overloaded",
        ),
        ErrorInfo(
            "content_filter",
            False,
            "the model provider's content filter blocked the request: leave out or rephrase the flagged text",
        ),
        ErrorInfo(
            "connection",
            True,
            "could not reach the model provider: check api_base and the network, or start the local "
            "server (Ollama, vLLM, llama.cpp)",
        ),
        ErrorInfo(
            "bad_request",
            False,
            "the model provider rejected the request as invalid: check the model string and the llm settings",
        ),
        ErrorInfo(
            "server",
            True,
            "the model provider failed on its side: try again later, or set llm.fallbacks to other models",
        ),
        ErrorInfo(
            "budget",
            False,
            "the session's LLM budget is used up: raise llm.max_cost_usd or llm.max_tokens, "
            "or start a new session",
        ),
    )
}

# Error body codes (OpenAI and compatible servers) that say more than the status does.
BODY_CODES: dict[str, ErrorKind] = {
    "invalid_api_key": "auth",
    "model_not_found": "model_not_found",
    "context_length_exceeded": "context_window",
    "string_above_max_length": "bad_request",
    "content_filter": "content_filter",
    "content_policy_violation": "content_filter",
    "rate_limit_exceeded": "rate_limit",
}

# Words of errors that arrive under a generic class (litellm reports a missing key as a 500).
MESSAGE_PATTERNS: tuple[tuple[str, ErrorKind], ...] = (
    ("missing credentials", "auth"),
    ("api_key client option must be set", "auth"),
    ("content management policy", "content_filter"),
)

_GENERIC: tuple[ErrorKind, ...] = ("bad_request", "server", "connection")

STATUS_CODES: dict[int, ErrorKind] = {
    400: "bad_request",
    401: "auth",
    403: "auth",
    404: "model_not_found",
    408: "timeout",
    413: "context_window",
    422: "bad_request",
    429: "rate_limit",
}

# litellm exception class names, most specific first (subclasses before their bases).
EXCEPTION_CLASSES: tuple[tuple[str, ErrorKind], ...] = (
    ("ContextWindowExceededError", "context_window"),
    ("ContentPolicyViolationError", "content_filter"),
    ("AuthenticationError", "auth"),
    ("PermissionDeniedError", "auth"),
    ("NotFoundError", "model_not_found"),
    ("RateLimitError", "rate_limit"),
    ("Timeout", "timeout"),
    ("InternalServerError", "server"),
    ("ServiceUnavailableError", "server"),
    ("BadGatewayError", "server"),
    ("APIConnectionError", "connection"),
)


class LLMError(Exception):
    """A model call that failed: the kind, its one user message, the model, the provider's detail."""

    def __init__(self, kind: ErrorKind, message: str, model: str, detail: str = "") -> None:
        super().__init__(f"{message} (model {model})" if model else message)
        self.kind: ErrorKind = kind
        self.message = message
        self.model = model
        self.detail = detail

    @property
    def retryable(self) -> bool:
        """Whether trying again (after a pause) may succeed."""
        return ERRORS[self.kind].retryable


def classify(exc: BaseException) -> ErrorKind | None:
    """The kind of a provider error; None for an exception that is not one (a bug: let it propagate)."""
    if isinstance(exc, LLMError):
        return exc.kind
    kind = _kind_from_class(exc) or _kind_from_status(exc) or _kind_from_other_libraries(exc)
    if kind is None or kind not in _GENERIC:
        return kind
    # A generic class hides specific errors: litellm reports a refused connection and a missing
    # key as 500s, and Azure's content filter arrives as a plain 400 through OpenAI-compatible routes.
    return _kind_from_body(exc) or _kind_of_cause(exc) or _kind_from_words(exc) or kind


def to_llm_error(exc: BaseException, model: str) -> LLMError | None:
    """The `LLMError` for a provider exception (None when it is not one)."""
    if isinstance(exc, LLMError):
        return exc
    kind = classify(exc)
    if kind is None:
        return None
    return LLMError(kind, ERRORS[kind].message, model, detail=_detail(exc))


def retry_after(exc: BaseException) -> float | None:
    """Seconds the provider asked us to wait (a Retry-After header in seconds), if any."""
    headers: Any = getattr(exc, "litellm_response_headers", None)
    if headers is None:
        response = getattr(exc, "response", None)
        headers = getattr(response, "headers", None)
    if headers is None:
        return None
    try:
        value = headers.get("retry-after")
        return float(value) if value is not None else None
    except (TypeError, ValueError, AttributeError):
        return None


def _kind_from_class(exc: BaseException) -> ErrorKind | None:
    module = type(exc).__module__
    if not module.startswith("litellm"):
        return None
    names = {cls.__name__ for cls in type(exc).__mro__ if cls.__module__.startswith("litellm")}
    for name, kind in EXCEPTION_CLASSES:
        if name in names:
            return kind
    if "BadRequestError" in names or "UnprocessableEntityError" in names:
        return "bad_request"
    return None


def _kind_from_other_libraries(exc: BaseException) -> ErrorKind | None:
    if isinstance(exc, TimeoutError):
        return "timeout"
    if isinstance(exc, ConnectionError):
        return "connection"
    names = {cls.__name__ for cls in type(exc).__mro__}
    module = type(exc).__module__
    if not module.startswith(("openai", "httpx", "httpcore", "litellm")):
        return None
    if names & {"APITimeoutError", "TimeoutException"}:
        return "timeout"
    if names & {"APIConnectionError", "TransportError", "ConnectError", "NetworkError"}:
        return "connection"
    if "APIError" in names or "OpenAIError" in names:
        return "server"
    return None


def _kind_of_cause(exc: BaseException) -> ErrorKind | None:
    cause = exc.__cause__ or exc.__context__
    for _ in range(8):
        if cause is None:
            return None
        kind = _kind_from_other_libraries(cause)
        if kind in ("timeout", "connection"):
            return kind
        cause = cause.__cause__ or cause.__context__
    return None


def _kind_from_status(exc: BaseException) -> ErrorKind | None:
    status = getattr(exc, "status_code", None)
    if not isinstance(status, int):
        return None
    return STATUS_CODES.get(status, "server" if status >= 500 else "bad_request")


def _kind_from_body(exc: BaseException) -> ErrorKind | None:
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        inner = body.get("error", body)
        code = inner.get("code") if isinstance(inner, dict) else None
        if isinstance(code, str):
            return BODY_CODES.get(code)
    return None


def _kind_from_words(exc: BaseException) -> ErrorKind | None:
    text = str(exc).lower()
    return next((kind for words, kind in MESSAGE_PATTERNS if words in text), None)


def _detail(exc: BaseException) -> str:
    """The provider's own words, cut short (they may quote the request)."""
    text = " ".join(str(exc).split())
    return text[:300] + ("..." if len(text) > 300 else "")
