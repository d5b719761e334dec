"""Every blueprint: each example validates with no errors and no high findings; the first is a golden file.

Kubernetes through the schemas (with the bundled CRDs) and every policy; Terraform through
shipmate's HCL reader and policies and the real binary's `fmt`; Compose through its
specification's schema. Regenerate the golden files with UPDATE_GOLDEN=1.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from tools.blueprints.registry import all_blueprints, generate_blueprint
from tools.findings import Severity

GOLDEN = Path(__file__).parent.parent / "golden" / "blueprints"
EXAMPLES = [
    pytest.param(blueprint.name, example, id=f"{blueprint.name}-{index}")
    for blueprint in all_blueprints().values()
    for index, example in enumerate(blueprint.examples)
]


@pytest.mark.parametrize(("name", "parameters"), EXAMPLES)
def test_every_example_validates_clean(name: str, parameters: dict[str, Any]) -> None:
    generated = generate_blueprint(name, parameters)
    report = generated.validation
    assert (report.counts.invalid, report.counts.errors) == (0, 0), report.results
    assert report.counts.resources > 0
    serious = [(f.id, f.title, f.evidence[:1]) for f in report.findings if f.severity.at_least(Severity.HIGH)]
    assert serious == []
    if all_blueprints()[name].target == "terraform":
        assert shutil.which("terraform"), "the Terraform blueprints are checked with the real binary"
        assert not [n for n in report.notes if "skipped" in n], report.notes
        assert [f.id for f in report.findings if f.id == "TF_FMT"] == []


def test_every_blueprint_is_documented_and_has_examples() -> None:
    for blueprint in all_blueprints().values():
        assert blueprint.examples, blueprint.name
        assert blueprint.example_ask, blueprint.name
        assert blueprint.keywords or blueprint.name == "k8s-web-service", blueprint.name
        for parameter in blueprint.parameters:
            assert parameter.help.strip(), f"{blueprint.name}.{parameter.name}"


@pytest.mark.parametrize("name", sorted(all_blueprints()))
def test_golden_files(name: str) -> None:
    generated = generate_blueprint(name, all_blueprints()[name].examples[0])
    folder = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(folder, ignore_errors=True)
        for generated_file in generated.files:
            path = folder / generated_file.path
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(generated_file.text, encoding="utf-8")
    expected = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
    assert sorted(f.path for f in generated.files) == expected, "run with UPDATE_GOLDEN=1"
    for generated_file in generated.files:
        assert generated_file.text == (folder / generated_file.path).read_text(encoding="utf-8"), (
            f"{name}/{generated_file.path} differs from its golden file; rerun with UPDATE_GOLDEN=1 "
            "after checking the change"
        )


def test_the_blueprint_reference_is_up_to_date() -> None:
    from tools.blueprints.reference import reference_markdown

    path = Path(__file__).parent.parent.parent / "docs" / "blueprints.md"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(reference_markdown(), encoding="utf-8")
    assert path.read_text(encoding="utf-8") == reference_markdown(), (
        "docs/blueprints.md is stale: rerun this test with UPDATE_GOLDEN=1"
    )
