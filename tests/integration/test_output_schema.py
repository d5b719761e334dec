"""The JSON output is a documented contract: the committed schema matches, and real output validates."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema

from assistant.schema import render
from tests.conftest import REPO

SCHEMA_FILE = REPO / "docs" / "schema" / "diagnosis.schema.json"


def test_committed_schema_is_current() -> None:
    for name in ("diagnosis.schema.json", "validation.schema.json", "review.schema.json"):
        committed = (REPO / "docs" / "schema" / name).read_text()
        assert committed == render(name), "run: python -m assistant.schema"


def test_documentation_names_every_top_level_field() -> None:
    doc = (REPO / "docs" / "output-schema.md").read_text()
    schema = json.loads(SCHEMA_FILE.read_text())
    for name in [*schema["properties"], *schema["$defs"]["Finding"]["properties"]]:
        assert f"`{name}`" in doc, name


def test_real_output_validates(tmp_path: Path) -> None:
    log = tmp_path / "describe.txt"
    log.write_text(
        'Name: a\nNamespace: b\nEvents:\n  Warning  Failed  1m  kubelet  Error: secret "x" not found\n'
        + "INFO still running\n" * 10
        + "FATAL: ledger checksum mismatch in shard 4, refusing to start\n"
    )
    out = subprocess.run(
        [sys.executable, "-m", "assistant.cli.app", "diagnose", "-f", "json", str(log)],
        capture_output=True,
        check=False,
        cwd=REPO,
    )
    document = json.loads(out.stdout)
    jsonschema.validate(document, json.loads(SCHEMA_FILE.read_text()))
    assert {f["engine"] for f in document["findings"]} == {"signature", "mining"}


def test_validation_output_validates_and_is_documented() -> None:
    schema = json.loads((REPO / "docs" / "schema" / "validation.schema.json").read_text())
    doc = (REPO / "docs" / "output-schema.md").read_text()
    for name in schema["properties"]:
        assert f"`{name}`" in doc, name
    out = subprocess.run(
        [sys.executable, "-m", "assistant.cli.app", "validate", "-f", "json", "examples/validate/k8s"],
        capture_output=True,
        check=False,
        cwd=REPO,
    )
    document = json.loads(out.stdout)
    jsonschema.validate(document, schema)
    assert document["counts"]["resources"] == 4


def test_review_output_is_documented() -> None:
    schema = json.loads((REPO / "docs" / "schema" / "review.schema.json").read_text())
    doc = (REPO / "docs" / "review.md").read_text()
    for name in [*schema["properties"], *schema["$defs"]["ReviewFinding"]["properties"]]:
        assert f"`{name}`" in doc, name
