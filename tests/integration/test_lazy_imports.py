"""Heavy libraries stay off the start-up path: --help must not import them."""

from __future__ import annotations

from evals.perf.startup import heavy_modules_loaded_by_help


def test_help_imports_no_heavy_library() -> None:
    assert heavy_modules_loaded_by_help() == []
