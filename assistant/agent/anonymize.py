"""Reversible anonymisation for cloud models: namespaces, pods, hosts and account ids become placeholders.

With `agent.anonymize` on, the names that identify an organisation's systems are replaced
before any text reaches the model (`shop` becomes `ns-1`, `checkout-7d9f-x2` becomes
`pod-1`, `db.prod.acme.internal` becomes `host-1`, `123456789012` becomes `acct-1`),
consistently across the whole session. The model's tool calls name placeholders, which
are put back before a tool runs, and its answer is restored before anyone reads it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# each pattern's first group is the name; the kind sets the placeholder's prefix
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ns", re.compile(r"(?:-n|--namespace[= ])\s*([a-z0-9][a-z0-9-]{1,62})\b")),
    ("ns", re.compile(r"\b[Nn]amespace[\"']?\s*[:=]\s*[\"']?([a-z0-9][a-z0-9-]{1,62})\b")),
    ("ns", re.compile(r"/namespaces/([a-z0-9][a-z0-9-]{1,62})/")),
    ("pod", re.compile(r"\bpods?[/ ]\"?([a-z0-9][a-z0-9.-]*-[a-z0-9]{4,10}(?:-[a-z0-9]{5})?)\b")),
    ("pod", re.compile(r"\b([a-z0-9][a-z0-9-]*-[a-z0-9]{8,10}-[a-z0-9]{5})\b")),
    ("host", re.compile(r"\b((?:[a-z0-9-]+\.){2,}(?:com|net|org|io|internal|local|lan|corp|cloud|dev))\b")),
    ("acct", re.compile(r"(?<![\d.])(\d{12})(?![\d.])")),
)
_KEEP = frozenset({"default", "kube-system", "kube-public", "kube-node-lease", "true", "false", "none"})


@dataclass
class Anonymizer:
    """One session's mapping between real names and placeholders."""

    forward: dict[str, str] = field(default_factory=dict)
    backward: dict[str, str] = field(default_factory=dict)
    _counts: dict[str, int] = field(default_factory=dict)

    def hide(self, text: str) -> str:
        """`text` with every name it recognises (or has seen before) replaced by its placeholder."""
        for kind, pattern in _PATTERNS:
            for match in pattern.finditer(text):
                name = match.group(1)
                if name not in _KEEP and name not in self.backward:
                    self._placeholder(kind, name)
        for name in sorted(self.forward, key=len, reverse=True):
            text = re.sub(rf"(?<![\w-]){re.escape(name)}(?![\w-])", self.forward[name], text)
        return text

    def reveal(self, text: str) -> str:
        """`text` with every placeholder put back to the real name."""
        for placeholder in sorted(self.backward, key=len, reverse=True):
            text = re.sub(rf"(?<![\w-]){re.escape(placeholder)}(?![\w-])", self.backward[placeholder], text)
        return text

    def _placeholder(self, kind: str, name: str) -> str:
        if name not in self.forward:
            self._counts[kind] = self._counts.get(kind, 0) + 1
            placeholder = f"{kind}-{self._counts[kind]}"
            self.forward[name] = placeholder
            self.backward[placeholder] = name
        return self.forward[name]
