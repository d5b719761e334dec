"""Putting untrusted text (names, values and lines from a pull request) into Markdown as data.

A PR author controls object names, images and file content: in a comment they must not
become HTML, links, @mentions that notify people, or a fence that ends ours early.
"""

from __future__ import annotations

import re

_MENTION = re.compile(r"@(?=[A-Za-z0-9])")
_MARKDOWN = re.compile(r"([\\`*_\[\]<>|#!~])")


def plain(text: str) -> str:
    """`text` as literal Markdown on one line: markup escaped, mentions broken, HTML shown as text."""
    flat = " ".join(text.split())
    return _MENTION.sub("@\u200b", _MARKDOWN.sub(r"\\\1", flat.replace("&", "&amp;")))


def prose(text: str) -> str:
    """Shipmate's own sentences, which may quote a value: Markdown kept, HTML and mentions neutralised."""
    return _MENTION.sub("@\u200b", text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


def code(text: str) -> str:
    """`text` as an inline code span on one line (code spans ignore markup and mentions)."""
    flat = " ".join(text.split())
    longest = max((len(run) for run in re.findall(r"`+", flat)), default=0)
    ticks = "`" * (longest + 1)
    padded = f" {flat} " if flat.startswith("`") or flat.endswith("`") or longest else flat
    return f"{ticks}{padded}{ticks}"


def fenced(text: str, language: str = "") -> str:
    """`text` in a code block whose fence no line inside can close."""
    longest = max((len(run) for run in re.findall(r"^\s*(`{3,}|~{3,})", text, re.M)), default=2)
    fence = "`" * max(3, longest + 1)
    body = text if text.endswith("\n") else text + "\n"
    return f"{fence}{language}\n{body}{fence}"
