"""Every bundled example: the top finding names its root cause and cites a decisive line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import REPO
from tools.logs.catalogue import load_catalogue
from tools.logs.diagnose import diagnose

INDEX: list[dict[str, Any]] = yaml.safe_load((REPO / "examples" / "index.yaml").read_text())["examples"]
CATALOGUE = load_catalogue()


def test_index_lists_every_example_folder() -> None:
    folders = {
        p.name for p in (REPO / "examples").iterdir() if p.is_dir() and not p.name.startswith((".", "_"))
    }
    folders.discard("validate")  # manifests and Terraform for `shipmate validate`, not incidents
    folders.discard("review")  # a pull request for `shipmate review` (test_review.py)
    assert folders == {e["name"] for e in INDEX}
    assert len(INDEX) >= 12
    platforms = {e["platform"] for e in INDEX}
    assert {"kubernetes", "terraform", "ci", "model-serving"} <= platforms


@pytest.mark.parametrize("example", INDEX, ids=lambda e: e["name"])
def test_top_finding_names_the_root_cause(example: dict[str, Any]) -> None:
    folder = REPO / "examples" / example["name"]
    report = diagnose([str(folder)], catalogue=CATALOGUE)
    top = report.top
    assert top is not None
    assert top.category == example["category"], [(f.category, f.title) for f in report.findings[:4]]
    assert top.role == "cause"
    cited = {(Path(e.source).relative_to(folder).as_posix(), e.line) for e in top.evidence}
    expected = {(e["file"], e["line"]) for e in example["evidence"]}
    assert cited & expected, f"none of {sorted(expected)} cited; cited {sorted(cited)}"
