"""Rules of the layout (DESIGN.md) that a test can hold: tools never import assistant; data ships as package data."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import REPO


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_tools_never_import_assistant() -> None:
    offenders = {
        str(path.relative_to(REPO)): sorted(n for n in _imports(path) if n.split(".")[0] == "assistant")
        for path in (REPO / "tools").rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_tools_never_print() -> None:
    printing = [
        str(path.relative_to(REPO))
        for path in (REPO / "tools").rglob("*.py")
        if any(
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("print", "input")
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        )
    ]
    assert printing == []


def test_no_code_reads_data_relative_to_the_repository() -> None:
    for folder in ("tools", "assistant"):
        for path in (REPO / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            assert "__file__" not in text, f"{path}: use importlib.resources (tools.resources) instead"
