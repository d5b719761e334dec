"""The model's answer before anyone renders it: no link may carry data out.

A model steered by injected text can try to exfiltrate data through Markdown: an image
whose URL holds the secret (a renderer fetches it without a click), or a link with the
data in its query string. Images pointing anywhere are replaced by their alt text; links
keep their text and lose a URL that carries a query, a fragment or userinfo, or that is
not plain http(s). Each removal is reported so it can be audited.
"""

from __future__ import annotations

import re
from urllib.parse import urlparse

_IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]*)[^)]*\)")
_LINK = re.compile(r"(?<!!)\[([^\]]*)\]\(([^)\s]*)[^)]*\)")
_REFERENCE_DEFINITION = re.compile(r"^\s*\[[^\]]+\]:\s*(\S+).*$", re.MULTILINE)
_AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")


def guard_answer(text: str) -> tuple[str, list[str]]:
    """The answer with every data-carrying link neutralised, and the URLs that were removed."""
    removed: list[str] = []

    def image(match: re.Match[str]) -> str:
        removed.append(match.group(2))
        return f"[image removed: {match.group(1) or 'no description'}]"

    def link(match: re.Match[str]) -> str:
        if _carries_data(match.group(2)):
            removed.append(match.group(2))
            return f"{match.group(1)} [link removed]"
        return match.group(0)

    def definition(match: re.Match[str]) -> str:
        if _carries_data(match.group(1)):
            removed.append(match.group(1))
            return "[link definition removed]"
        return match.group(0)

    def autolink(match: re.Match[str]) -> str:
        if _carries_data(match.group(1)):
            removed.append(match.group(1))
            return "[link removed]"
        return match.group(0)

    text = _IMAGE.sub(image, text)
    text = _LINK.sub(link, text)
    text = _REFERENCE_DEFINITION.sub(definition, text)
    text = _AUTOLINK.sub(autolink, text)
    return text, removed


def _carries_data(url: str) -> bool:
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https"):
        return bool(parsed.scheme)  # mailto:, data:, javascript: and the like; relative paths are fine
    return bool(parsed.query or parsed.fragment or parsed.username or parsed.password)
