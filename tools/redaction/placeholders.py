"""Redaction for text that goes to a model: stable placeholders, and high-entropy strings too.

A model reasons better when it can tell secrets apart ("the key in line 3 is the same as
in line 9"), so each distinct secret becomes its own placeholder, `[SECRET-1]`,
`[SECRET-2]`, the same one every time in a session. Text sent to a model also loses
strings that merely look random enough to be keys (long, mixed letters and digits,
high Shannon entropy), which the terminal output keeps because there they are mostly
harmless identifiers. Digests and commit ids (pure hex) and UUIDs are left alone.
"""

from __future__ import annotations

import math
import re
from collections import Counter

from tools.redaction.secrets import Redactor

_CANDIDATE = re.compile(r"(?<![A-Za-z0-9+/=_-])[A-Za-z0-9+/=_-]{20,}(?![A-Za-z0-9+/=_-])")
_HEX = re.compile(r"^[0-9a-fA-F]+$")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE)
_WORDS = re.compile(r"^[a-z]+(?:[-_][a-z0-9]+)+$")  # kebab or snake words: pod, file and metric names
MIN_ENTROPY_BITS = 4.0


def shannon_entropy(text: str) -> float:
    """Bits per character of `text`."""
    counts = Counter(text)
    return -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())


def looks_random(token: str) -> bool:
    """True for a token that reads like a generated key rather than a word, path, digest or id."""
    if _HEX.match(token) or _UUID.match(token) or _WORDS.match(token) or token.count("/") > 1:
        return False
    has_digit = any(c.isdigit() for c in token)
    has_upper = any(c.isupper() for c in token)
    has_lower = any(c.islower() for c in token)
    if not (has_digit and has_lower and (has_upper or len(token) >= 32)):
        return False
    return shannon_entropy(token) >= MIN_ENTROPY_BITS


class PlaceholderRedactor(Redactor):
    """A `Redactor` for model-bound text: `[SECRET-n]` per distinct secret, and high-entropy strings."""

    def __init__(self) -> None:
        super().__init__()
        self._placeholders: dict[str, str] = {}

    def _mask(self, secret: str) -> str:
        if secret not in self._placeholders:
            self._placeholders[secret] = f"[SECRET-{len(self._placeholders) + 1}]"
        return self._placeholders[secret]

    def _more_secrets(self, line: str) -> set[str]:
        return {match.group() for match in _CANDIDATE.finditer(line) if looks_random(match.group())}
