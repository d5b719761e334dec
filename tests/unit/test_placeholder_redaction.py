"""Model-bound redaction: one stable placeholder per secret, and random-looking strings masked too."""

from __future__ import annotations

import pytest

from tools.redaction.placeholders import PlaceholderRedactor, looks_random


def test_each_secret_keeps_its_own_placeholder() -> None:
    redactor = PlaceholderRedactor()
    first = redactor.redact("db password=hunter2hunter2\nkey sk-proj-Aa1Bb2Cc3Dd4Ee5Ff6Gg7Hh8 in use")
    again = redactor.redact("retrying with hunter2hunter2")
    assert "hunter2hunter2" not in first + again
    assert "[SECRET-1]" in first
    assert "[SECRET-2]" in first
    assert again == "retrying with [SECRET-1]"


@pytest.mark.parametrize(
    ("token", "random"),
    [
        ("x9Kf2LmQ8vT1zR7wN3pB6yH0", True),
        ("AbCdEfGh1234IjKlMnOp5678QrStUvWx", True),
        ("9fceb02d0ae598e95dc970b74767f19372d61af8", False),  # a commit id
        ("123e4567-e89b-12d3-a456-426614174000", False),  # a UUID
        ("checkout-7d9f5c8b6d-x2kqp", False),  # a pod name
        ("kubernetes_apiserver_request_total", False),  # a metric name
        ("ThisIsAVeryLongCamelCaseClassName", False),  # no digits: a word
    ],
)
def test_high_entropy_detection(token: str, random: bool) -> None:
    assert looks_random(token) is random


def test_high_entropy_strings_are_masked_only_for_the_model() -> None:
    from tools.redaction.secrets import Redactor

    line = "webhook secret is x9Kf2LmQ8vT1zR7wN3pB6yH0 for now"
    assert "x9Kf2LmQ8vT1zR7wN3pB6yH0" not in PlaceholderRedactor().redact(line)
    assert Redactor().redact("id x9Kf2LmQ8vT1zR7wN3pB6yH0 seen") == "id x9Kf2LmQ8vT1zR7wN3pB6yH0 seen"
