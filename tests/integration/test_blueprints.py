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


def _fixed_text(name: str) -> dict[str, str]:
    """A Terraform blueprint's fixed module files (its template folder), which golden files need not repeat."""
    from tools.blueprints.tf_templates import TEMPLATES

    folders = [p for p in TEMPLATES.glob(f"*/{name}") if p.is_dir()]
    return (
        {
            str(p.relative_to(folders[0])): p.read_text(encoding="utf-8")
            for p in folders[0].rglob("*")
            if p.is_file()
        }
        if folders
        else {}
    )


@pytest.mark.parametrize("name", sorted(all_blueprints()))
def test_golden_files(name: str) -> None:
    """What a blueprint renders for its first example; a Terraform module's fixed files are only listed."""
    generated = generate_blueprint(name, all_blueprints()[name].examples[0])
    fixed = _fixed_text(name)
    rendered = {f.path: f.text for f in generated.files if fixed.get(f.path) != f.text}
    listing = "".join(f"{path}\n" for path in sorted(f.path for f in generated.files))
    folder = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(folder, ignore_errors=True)
        for path, text in {**rendered, "FILES": listing}.items():
            (folder / path).parent.mkdir(parents=True, exist_ok=True)
            (folder / path).write_text(text, encoding="utf-8")
    assert (folder / "FILES").read_text(encoding="utf-8") == listing, "run with UPDATE_GOLDEN=1"
    stored = sorted(
        str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() and p.name != "FILES"
    )
    assert sorted(rendered) == stored, "run with UPDATE_GOLDEN=1"
    for path, text in rendered.items():
        assert text == (folder / path).read_text(encoding="utf-8"), (
            f"{name}/{path} differs from its golden file; rerun with UPDATE_GOLDEN=1 after checking the change"
        )


def test_the_blueprint_reference_is_up_to_date() -> None:
    from tools.blueprints.reference import reference_markdown

    path = Path(__file__).parent.parent.parent / "docs" / "blueprints.md"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(reference_markdown(), encoding="utf-8")
    assert path.read_text(encoding="utf-8") == reference_markdown(), (
        "docs/blueprints.md is stale: rerun this test with UPDATE_GOLDEN=1"
    )
