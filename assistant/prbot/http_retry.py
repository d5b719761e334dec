"""What leaves for a code host: redacted plan text, and HTTP calls with retries and pagination.

One `HostApi` per post. It retries 429s, rate-limit 403s (GitHub's primary limit with
`x-ratelimit-remaining: 0`, its secondary limit with `retry-after`), 5xx answers and connection
errors, waiting between attempts through an injected `sleep` so that tests record the waits.
A 401 stops at once. Any other answer goes back to the caller, which decides what it means.
`redacted` masks secrets in every text of a plan before any of it is sent (the safety model).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from assistant.prbot.plan import PostPlan
from tools.redaction.secrets import Redactor

TIMEOUT_SECONDS = 30.0
MAX_WAIT_SECONDS = 60.0  # a rate limit that resets later than this is waited for in slices
BACKOFF_BASE_SECONDS = 1.0
MAX_PAGES = 200  # a Link chain longer than this is a loop, not a comment thread

JsonBody = dict[str, Any] | list[Any]


class PostError(Exception):
    """Posting failed; the message is one line for the user (it never holds the token)."""


@dataclass(frozen=True)
class HostApi:
    """Calls to one code host with its auth headers, retry policy and a label for messages."""

    client: httpx.Client
    base_url: str
    headers: Mapping[str, str]
    host: str  # "GitHub" or "GitLab", for messages
    token_hint: str  # the variable(s) that hold the token, for the 401 message
    max_retries: int = 3
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.time
    waits: list[float] = field(default_factory=list)

    def url(self, path: str) -> str:
        """The absolute URL of an API path ("/repos/...")."""
        return self.base_url.rstrip("/") + path

    def request(
        self,
        method: str,
        path_or_url: str,
        *,
        json: JsonBody | None = None,
        params: Mapping[str, str | int] | None = None,
    ) -> httpx.Response:
        """Send one call, retrying what is worth retrying; raise PostError on 401 or when retries run out."""
        url = path_or_url if path_or_url.startswith(("http://", "https://")) else self.url(path_or_url)
        label = f"{method} {httpx.URL(url).path}"
        for attempt in range(self.max_retries + 1):
            last_try = attempt == self.max_retries
            try:
                response = self.client.request(method, url, json=json, params=params, headers=self.headers)
            except httpx.TransportError as error:
                # a write that may have reached the host is not sent twice (no duplicate comment)
                unsent = isinstance(error, httpx.ConnectError | httpx.ConnectTimeout)
                if not unsent and method != "GET":
                    raise PostError(
                        f"{self.host} API did not answer {label}: {type(error).__name__} "
                        "(not retried: it may have been applied)"
                    ) from None
                if last_try:
                    raise PostError(
                        f"{self.host} API unreachable ({label}) after {attempt + 1} attempts: "
                        f"{type(error).__name__}: {error}"
                    ) from None
                self._wait(backoff_seconds(attempt))
                continue
            if response.status_code == 401:
                raise PostError(f"{self.host} refused the token (401): check {self.token_hint}")
            wait = retry_wait(response, attempt, self.clock())
            if wait is None:
                return response
            if last_try:
                raise PostError(
                    f"{self.host} API kept failing ({label}): {describe(response)} "
                    f"after {attempt + 1} attempts{_reset_hint(response)}"
                )
            self._wait(wait)
        raise AssertionError("unreachable: the loop returns or raises")  # pragma: no cover

    def expect(self, response: httpx.Response, *ok: int, on_403: str = "") -> Any:
        """The JSON of a successful answer; PostError naming the call otherwise (`on_403`: a hint)."""
        if response.status_code not in (ok or (200, 201)):
            hint = f" ({on_403})" if on_403 and response.status_code == 403 else ""
            raise PostError(
                f"{self.host} API refused {response.request.method} {response.request.url.path}: "
                f"{describe(response)}{hint}"
            )
        return response.json() if response.content else None

    def paginate(self, path: str, params: Mapping[str, str | int] | None = None) -> Iterator[dict[str, Any]]:
        """Every item of a paginated list, following Link rel="next" (GitHub and GitLab both send it)."""
        response = self.request("GET", path, params={"per_page": 100, **(params or {})})
        for _ in range(MAX_PAGES):
            items = self.expect(response, 200)
            if not isinstance(items, list):
                raise PostError(f"{self.host} API answered {path} with {type(items).__name__}, not a list")
            yield from (item for item in items if isinstance(item, dict))
            following = response.links.get("next", {}).get("url")
            if not following:
                return
            response = self.request("GET", following)
        raise PostError(f"{self.host} API: more than {MAX_PAGES} pages at {path}")

    def _wait(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.sleep(seconds)


def redacted(plan: PostPlan) -> PostPlan:
    """A copy of `plan` with secrets masked in the summary, inline bodies and check-run output.

    One Redactor for the whole plan, so a secret seen in one text is masked in all of them.
    Paths, line numbers and the head SHA are left alone (a SHA looks like a key to the detectors).
    """
    redactor = Redactor()
    mask = redactor.redact
    check = plan.check.model_copy(
        update={
            "title": mask(plan.check.title),
            "summary": mask(plan.check.summary),
            "annotations": [
                a.model_copy(update={"title": mask(a.title), "message": mask(a.message)})
                for a in plan.check.annotations
            ],
        }
    )
    return plan.model_copy(
        update={
            "summary": mask(plan.summary),
            "inline": [c.model_copy(update={"body": mask(c.body)}) for c in plan.inline],
            "check": check,
        }
    )


def holds_marker(body: object, marker: str) -> bool:
    """Whether a comment is shipmate's sticky one: the marker on a line that is not a quote ("> ...").

    A person quoting the review in their own comment must never have it overwritten.
    """
    return any(marker in line and not line.lstrip().startswith(">") for line in str(body).splitlines())


def new_client() -> httpx.Client:
    """The client used when the caller gives none: timeouts on, no redirects to other hosts."""
    return httpx.Client(timeout=TIMEOUT_SECONDS, follow_redirects=False)


def backoff_seconds(attempt: int) -> float:
    """Exponential backoff: 1, 2, 4, ... seconds, capped."""
    return float(min(MAX_WAIT_SECONDS, BACKOFF_BASE_SECONDS * 2**attempt))


def retry_wait(response: httpx.Response, attempt: int, now: float) -> float | None:
    """Seconds to wait before retrying this answer, or None when it is final (success or a real refusal)."""
    status = response.status_code
    headers = response.headers
    limited = status == 429 or (
        status == 403 and (headers.get("x-ratelimit-remaining") == "0" or "retry-after" in headers)
    )
    if limited:
        retry_after = _number(headers.get("retry-after"))
        if retry_after is not None:
            return min(MAX_WAIT_SECONDS, max(0.0, retry_after))
        reset = _number(headers.get("x-ratelimit-reset") or headers.get("ratelimit-reset"))
        if reset is not None:
            # a small value is delta seconds (the IETF RateLimit-Reset), a large one an epoch time
            until = reset - now if reset > 1_000_000_000 else reset
            return min(MAX_WAIT_SECONDS, max(1.0, until + 1.0))
        return backoff_seconds(attempt)
    if status >= 500:
        return backoff_seconds(attempt)
    return None


def describe(response: httpx.Response) -> str:
    """'422 Validation Failed: line must be part of the diff' from a host's error body, on one line."""
    text = ""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        parts = [str(body.get("message") or body.get("error") or "")]
        errors = body.get("errors")
        for error in errors if isinstance(errors, list) else []:
            parts.append(
                str(error.get("message") or error.get("code") or error)
                if isinstance(error, dict)
                else str(error)
            )
        text = ": ".join(p for p in parts if p)
    text = text.removeprefix(f"{response.status_code} ")  # GitLab says "404 Not found"
    if not text:
        text = response.reason_phrase
    return f"{response.status_code} {' '.join(text.split())[:300]}".rstrip()


def _reset_hint(response: httpx.Response) -> str:
    reset = _number(response.headers.get("x-ratelimit-reset"))
    if reset is None or reset < 1_000_000_000:
        return ""
    return f"; the rate limit resets at {time.strftime('%H:%M:%S UTC', time.gmtime(reset))}"


def _number(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        return None
