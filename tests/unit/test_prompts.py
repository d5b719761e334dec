"""Prompts render only with every variable they use, and partials cannot be rendered alone."""

from __future__ import annotations

import jinja2
import pytest

from assistant.prompts import render_prompt


def test_system_prompt_renders_its_partials() -> None:
    text = render_prompt(
        "system.md.j2", workspace="/repo", branch="main", allowed_commands="kubectl get", max_steps=7
    )
    assert "/repo" in text
    assert "(branch `main`)" in text
    assert "at most 7 tool calls" in text
    assert "<untrusted-data" in text


def test_a_missing_variable_fails_loudly() -> None:
    with pytest.raises(jinja2.UndefinedError):
        render_prompt("system.md.j2", workspace="/repo", allowed_commands="x", max_steps=3)


def test_partials_are_not_prompts() -> None:
    with pytest.raises(ValueError, match="partial"):
        render_prompt("_untrusted.md.j2")


def test_explain_prompt_carries_the_pack() -> None:
    text = render_prompt("explain_diagnosis.md.j2", max_words=100, pack="<untrusted-data>x</untrusted-data>")
    assert text.rstrip().endswith("</untrusted-data>")
    assert "at most 100 words" in text
