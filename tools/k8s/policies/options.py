"""What policies need to know about the run."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class PolicyOptions:
    """What policies need to know about the run."""

    kubernetes_version: str
    ignored: frozenset[str] = field(default_factory=frozenset)  # policy ids switched off by config
