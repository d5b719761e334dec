"""When a code host's answer is retried, and how long to wait; what a plan looks like once redacted."""

from __future__ import annotations

import httpx
import pytest

from assistant.prbot.http_retry import (
    MAX_WAIT_SECONDS,
    backoff_seconds,
    describe,
    holds_marker,
    redacted,
    retry_wait,
)
from assistant.prbot.plan import MARKER, Annotation, CheckRunPlan, InlineComment, PostPlan

NOW = 1_700_000_000.0


def _response(status: int, headers: dict[str, str] | None = None, json: object = None) -> httpx.Response:
    return httpx.Response(status, headers=headers, json=json)


@pytest.mark.parametrize(
    ("status", "headers", "attempt", "wait"),
    [
        (200, {}, 0, None),
        (201, {}, 0, None),
        (404, {}, 0, None),
        (422, {}, 0, None),
        (403, {}, 0, None),  # a real refusal (permissions), not a limit
        (403, {"x-ratelimit-remaining": "12"}, 0, None),
        (403, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(NOW) + 10)}, 0, 11.0),
        (403, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(NOW) + 3600)}, 0, MAX_WAIT_SECONDS),
        (403, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(NOW) - 5)}, 0, 1.0),
        (403, {"retry-after": "7"}, 0, 7.0),
        (429, {"retry-after": "2"}, 0, 2.0),
        (429, {"ratelimit-reset": "4"}, 0, 5.0),  # delta seconds (IETF header)
        (429, {}, 2, 4.0),
        (500, {}, 0, 1.0),
        (502, {}, 1, 2.0),
        (503, {}, 3, 8.0),
    ],
)
def test_retry_wait(status: int, headers: dict[str, str], attempt: int, wait: float | None) -> None:
    assert retry_wait(_response(status, headers), attempt, NOW) == wait


def test_backoff_is_capped() -> None:
    assert [backoff_seconds(a) for a in range(4)] == [1.0, 2.0, 4.0, 8.0]
    assert backoff_seconds(20) == MAX_WAIT_SECONDS


def test_describe_keeps_one_line_from_github_and_gitlab_bodies() -> None:
    github = _response(422, json={"message": "Validation Failed", "errors": ["Line could not\nbe resolved"]})
    assert describe(github) == "422 Validation Failed: Line could not be resolved"
    assert describe(_response(404, json={"message": "404 Project Not Found"})) == "404 Project Not Found"
    assert describe(httpx.Response(502, text="<html>bad gateway</html>")) == "502 Bad Gateway"
    nested = _response(422, json={"message": "Invalid", "errors": [{"code": "missing_field", "field": "x"}]})
    assert describe(nested) == "422 Invalid: missing_field"


def test_redacted_masks_every_outgoing_text_but_keeps_paths_lines_and_sha() -> None:
    key = "AKIAIOSFODNN7EXAMPLE"
    sha = "a" * 40
    plan = PostPlan(
        head_sha=sha,
        summary=f"{MARKER}\nfound {key}",
        inline=[InlineComment(path="src/aws.py", line=3, body=f"key = {key}")],
        check=CheckRunPlan(
            conclusion="failure",
            title="1 finding",
            summary=f"found {key}",
            annotations=[
                Annotation(
                    path="src/aws.py",
                    start_line=3,
                    end_line=3,
                    annotation_level="failure",
                    title="key",
                    message=key,
                )
            ],
        ),
    )
    safe = redacted(plan)
    assert key not in safe.model_dump_json()
    assert safe.summary.startswith(MARKER)
    assert (safe.head_sha, safe.inline[0].path, safe.inline[0].line) == (sha, "src/aws.py", 3)
    assert safe.check.annotations[0].message == "[REDACTED]"
    assert key in plan.summary  # the caller's plan is left as it was


@pytest.mark.parametrize(
    ("body", "sticky"),
    [
        (f"{MARKER}\n## review", True),
        (f"## review\n\n{MARKER}", True),
        (f"> {MARKER}\n> ## review\nno", False),
        ("  >" + MARKER, False),
        ("plain comment", False),
        (None, False),
    ],
)
def test_holds_marker(body: object, sticky: bool) -> None:
    assert holds_marker(body, MARKER) is sticky
