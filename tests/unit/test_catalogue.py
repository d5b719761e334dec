"""The bundled signature catalogue and runbooks: complete, consistent, and every example real."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import re2
import yaml

from tests.conftest import REPO
from tools.errors import InputError
from tools.logs.catalogue import Signature, load_catalogue
from tools.resources import knowledge_dir, taxonomy

CATALOGUE = load_catalogue()
SIGNATURES = CATALOGUE.signatures


def test_catalogue_size_and_coverage() -> None:
    assert len(SIGNATURES) >= 80
    covered = {s.category for s in SIGNATURES if s.role == "cause"}
    assert len(covered) >= 45, sorted(set(taxonomy()) - covered)


def test_shipped_taxonomy_is_the_projects() -> None:
    shared = REPO.parent / "shared" / "taxonomy.yaml"
    if not shared.exists():
        pytest.skip("../shared is not beside this checkout")
    assert yaml.safe_load(shared.read_text()) == yaml.safe_load(knowledge_dir("taxonomy.yaml").read_text())


@pytest.mark.parametrize("signature", SIGNATURES, ids=lambda s: s.id)
def test_examples_match_and_counterexamples_do_not(signature: Signature) -> None:
    flags = signature.flags()
    compiled = [re2.compile(flags + p) for p in signature.patterns]
    for example in signature.examples:
        assert any(r.search(example) for r in compiled), f"{signature.id}: example does not match: {example}"
    for counter in signature.counterexamples:
        assert not any(r.search(counter) for r in compiled), (
            f"{signature.id}: counterexample matches: {counter}"
        )


@pytest.mark.parametrize("signature", SIGNATURES, ids=lambda s: s.id)
def test_title_placeholders_are_groups_of_every_pattern(signature: Signature) -> None:
    for name in re.findall(r"\{(\w+)\}", signature.title):
        for pattern in signature.patterns:
            assert f"(?P<{name}>" in pattern, f"{signature.id}: {{{name}}} missing from {pattern}"


@pytest.mark.parametrize("signature", SIGNATURES, ids=lambda s: s.id)
def test_signature_has_words_for_the_engineer(signature: Signature) -> None:
    assert len(signature.explanation.split()) >= 12
    assert len(signature.fix.split()) >= 12
    assert knowledge_dir("runbooks", f"{signature.runbook_category}.md").is_file()


def test_one_runbook_per_category_with_its_sections() -> None:
    for category in taxonomy():
        text = knowledge_dir("runbooks", f"{category}.md").read_text(encoding="utf-8")
        for section in ("## Symptoms", "## Confirm", "## Fix", "## Prevention"):
            assert section in text, f"{category}: missing {section}"
        assert f"`{category}`" in text


def test_prefilter_drops_line_anchors_but_keeps_class_negation() -> None:
    from tools.logs.catalogue import _without_line_anchors

    assert _without_line_anchors(r"^Error: [^a]b\^c") == r"Error: [^a]b\^c"


def test_user_signature_file_errors_name_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "mine.yaml"
    bad.write_text("signatures:\n  - id: x\n    category: not.a.category\n")
    with pytest.raises(InputError, match=r"mine\.yaml: signature #1"):
        load_catalogue([bad])
    bad.write_text("signatures: [\n")
    with pytest.raises(InputError, match=r"mine\.yaml: not valid YAML"):
        load_catalogue([bad])
