"""Prompt templates: Jinja2 files in the `prompts` package, rendered with StrictUndefined.

A template that names a variable the caller did not pass fails loudly instead of
sending the model a prompt with a hole in it. Files starting with `_` are partials.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def _environment() -> Any:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    return Environment(
        loader=PackageLoader("prompts", ""),
        undefined=StrictUndefined,
        autoescape=False,  # prompts are plain text for a model, not HTML
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_prompt(name: str, **variables: Any) -> str:
    """The prompt `name` (e.g. "system.md.j2") rendered with `variables`."""
    if name.startswith("_"):
        raise ValueError(f"{name} is a partial: include it from a prompt")
    rendered: str = _environment().get_template(name).render(**variables)
    return rendered
