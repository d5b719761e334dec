"""External scanners: the missing-tool note, and conversion of their documented JSON output.

The samples in tests/data/terraform/external/ follow each tool's documented JSON format
(checkov `-o json`, tflint `--format json`, conftest `--output json`).
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from tools.findings import Severity
from tools.terraform.external import checkov_findings, conftest_findings, run_external, tflint_findings
from tools.terraform.validate import validate_terraform

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "terraform" / "external"


def sample(name: str) -> object:
    return json.loads((SAMPLES / name).read_text())


@pytest.fixture
def empty_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A PATH with nothing on it: no scanner can be found."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    monkeypatch.setenv("PATH", str(bin_dir))
    return bin_dir


@pytest.mark.parametrize("tool", ["checkov", "tflint", "conftest"])
def test_missing_tool_gives_a_note_not_an_error(tmp_path: Path, empty_path: Path, tool: str) -> None:
    module = tmp_path / "m"
    module.mkdir()
    (module / "main.tf").write_text('resource "aws_sns_topic" "t" {\n  kms_master_key_id = "k"\n}\n')
    report = validate_terraform([module], run_terraform=False, external=[tool])
    assert f"{tool} is not installed (not on PATH): its checks were skipped" in report.notes
    assert not [f for f in report.findings if f.id.startswith(f"{tool}:")]


def test_unknown_tool_is_named_in_a_note(tmp_path: Path) -> None:
    findings, notes = run_external("trivy", tmp_path)
    assert findings == []
    assert "unknown external tool" in notes[0]


def test_checkov_failed_checks_become_findings() -> None:
    findings = checkov_findings(sample("checkov.json"), Path("/repo/infra"))
    assert [f.id for f in findings] == ["checkov:CKV_AWS_18", "checkov:CKV_AWS_20"]
    first, second = findings
    assert first.engine == "policy"
    assert first.category == "checkov:CKV_AWS_18"
    assert first.resource == "aws_s3_bucket.logs"
    assert (first.evidence[0].source, first.evidence[0].line) == ("/repo/infra/main.tf", 1)
    assert first.severity is Severity.MEDIUM  # checkov gives no severity without a platform key
    assert second.severity is Severity.HIGH
    assert first.references[0].path.startswith("https://docs.prismacloud.io/")


def test_checkov_list_output_and_empty_summary() -> None:
    document = sample("checkov.json")
    assert len(checkov_findings([document, document], Path("/x"))) == 4
    assert checkov_findings({"passed": 0, "failed": 0, "checkov_version": "3.2.255"}, Path("/x")) == []


def test_tflint_issues_become_findings() -> None:
    findings = tflint_findings(sample("tflint.json"), Path("/repo/infra"))
    assert [(f.id, f.severity, f.evidence[0].source, f.evidence[0].line) for f in findings] == [
        ("tflint:terraform_unused_declarations", Severity.MEDIUM, "/repo/infra/variables.tf", 3),
        ("tflint:aws_instance_invalid_type", Severity.HIGH, "/repo/infra/main.tf", 12),
    ]
    assert findings[1].references == []  # empty link: no reference


def test_conftest_failures_and_warnings_become_findings() -> None:
    findings = conftest_findings(sample("conftest.json"), Path("/repo/infra"))
    assert [(f.id, f.severity) for f in findings] == [
        ("conftest:data.main.deny", Severity.HIGH),
        ("conftest:data.main.warn", Severity.MEDIUM),
    ]
    assert findings[0].title == "S3 bucket logs must have versioning enabled"


def test_installed_tool_runs_as_a_program(tmp_path: Path, empty_path: Path) -> None:
    """A stand-in `tflint` on PATH that prints the recorded sample: argv, JSON and conversion end to end."""
    script = empty_path / "tflint"
    script.write_text(
        f'#!/bin/sh\necho "$@" > {tmp_path / "argv"}\n/bin/cat {SAMPLES / "tflint.json"}\nexit 2\n'
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    module = tmp_path / "m"
    module.mkdir()
    (module / "main.tf").write_text("")
    report = validate_terraform([module], run_terraform=False, external=["tflint"])
    assert {f.id for f in report.findings} >= {"tflint:terraform_unused_declarations"}
    assert (tmp_path / "argv").read_text().split() == [f"--chdir={module}", "--format=json"]
    assert os.environ["PATH"] == str(empty_path)


def test_tool_without_json_output_gives_a_note(tmp_path: Path, empty_path: Path) -> None:
    script = empty_path / "conftest"
    script.write_text("#!/bin/sh\necho 'Error: no policies found in [policy]' >&2\nexit 1\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    findings, notes = run_external("conftest", tmp_path)
    assert findings == []
    assert notes == ["conftest exited with code 1 without JSON output (Error: no policies found in [policy])"]


def test_fmt_diff_of_two_files_is_split_per_file() -> None:
    from tools.terraform.terraform_cli import parse_fmt_diff

    output = (
        "a.tf\n--- old/a.tf\n+++ new/a.tf\n@@ -1,3 +1,3 @@\n x {\n-a=1\n+  a = 1\n }\n"
        "b.tf\n--- old/b.tf\n+++ new/b.tf\n@@ -4,4 +4,4 @@\n y {\n   b = 1\n-c=2\n+  c = 2\n }\n"
    )
    problems = parse_fmt_diff(output, {"a.tf": "infra/a.tf", "b.tf": "infra/b.tf"})
    assert [(p.source, p.line) for p in problems] == [("infra/a.tf", 2), ("infra/b.tf", 6)]
    assert problems[1].diff[-2:] == ["+  c = 2", " }"]
