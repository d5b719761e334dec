"""Access to the data shipped inside the package (`knowledge/`, `prompts/`).

Code never builds paths relative to the repository: it asks importlib.resources,
so the installed wheel behaves like a checkout.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable

import yaml


def knowledge_dir(*parts: str) -> Traversable:
    """A folder or file inside the shipped `knowledge` package."""
    node = resources.files("knowledge")
    for part in parts:
        node = node.joinpath(part)
    return node


@lru_cache(maxsize=1)
def taxonomy() -> dict[str, str]:
    """Every root-cause category id mapped to its description."""
    raw = yaml.safe_load(knowledge_dir("taxonomy.yaml").read_text(encoding="utf-8"))
    return {category: text for group in raw.values() for category, text in group.items()}


@lru_cache(maxsize=1)
def taxonomy_groups() -> dict[str, str]:
    """Every category id mapped to its group (kubernetes, terraform, ...)."""
    raw = yaml.safe_load(knowledge_dir("taxonomy.yaml").read_text(encoding="utf-8"))
    return {category: group for group, entries in raw.items() for category in entries}


def runbook_path(category: str) -> str:
    """The package-relative path of a category's runbook."""
    return f"knowledge/runbooks/{category}.md"
