"""Access to the data shipped inside the package (`knowledge/`, `prompts/`).

Code never builds paths relative to the repository: it asks importlib.resources,
so the installed wheel behaves like a checkout.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

import yaml

_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: ten times faster


def load_yaml(text: str) -> Any:
    """Parse YAML safely (no object construction), with libyaml when available."""
    return yaml.load(text, Loader=_SafeLoader)


def knowledge_dir(*parts: str) -> Traversable:
    """A folder or file inside the shipped `knowledge` package."""
    node = resources.files("knowledge")
    for part in parts:
        node = node.joinpath(part)
    return node


@lru_cache(maxsize=1)
def taxonomy() -> dict[str, str]:
    """Every root-cause category id mapped to its description."""
    raw = load_yaml(knowledge_dir("taxonomy.yaml").read_text(encoding="utf-8"))
    return {category: text for group in raw.values() for category, text in group.items()}


def runbook_path(category: str) -> str:
    """The package-relative path of a category's runbook."""
    return f"knowledge/runbooks/{category}.md"


@lru_cache(maxsize=1)
def _ranking_rules() -> dict[str, Any]:
    loaded: dict[str, Any] = load_yaml(knowledge_dir("ranking.yaml").read_text(encoding="utf-8"))
    return loaded


def causality() -> dict[str, frozenset[str]]:
    """For each category, the categories a cause of it explains (knowledge/ranking.yaml)."""
    return {cause: frozenset(effects) for cause, effects in _ranking_rules()["explains"].items()}


def category_recovery() -> dict[str, list[str]]:
    """Recovery patterns shared by every signature of a category (knowledge/ranking.yaml)."""
    return {category: list(patterns) for category, patterns in _ranking_rules()["recovery"].items()}
