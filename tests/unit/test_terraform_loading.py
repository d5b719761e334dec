"""Reading inputs: modules, files, bad files and bad paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.errors import InputError
from tools.terraform.hcl_reader import HclSyntaxError, parse_hcl
from tools.terraform.validate import validate_terraform
from tools.validation.report import ResourceStatus

GOOD = """terraform {
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


def run(*paths: Path):  # type: ignore[no-untyped-def]
    return validate_terraform(list(paths), run_terraform=False)


def test_good_module_reads_without_findings(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(GOOD)
    report = run(tmp_path)
    assert report.target == "terraform"
    assert report.findings == []
    assert report.results == []
    assert report.counts.files == 1


def test_blocks_carry_lines_and_nested_blocks() -> None:
    blocks = parse_hcl(GOOD + 'resource "aws_x" "y" {\n  a = 1\n  inner {\n    b = 2\n  }\n}\n', "m.tf")
    resource = blocks[-1]
    assert (resource.address, resource.line, resource.end_line) == ("aws_x.y", 17, 22)
    assert resource.attr_lines == {"a": 18}
    assert (resource.blocks[0].type, resource.blocks[0].line, resource.blocks[0].attrs) == (
        "inner",
        19,
        {"b": 2},
    )


def test_resources_and_data_blocks_are_counted(tmp_path: Path) -> None:
    (tmp_path / "a.tf").write_text('resource "aws_sns_topic" "t" {\n  kms_master_key_id = "k"\n}\n')
    (tmp_path / "b.tf").write_text('data "aws_caller_identity" "me" {}\n')
    report = run(tmp_path)
    assert (report.counts.files, report.counts.resources, report.counts.valid) == (2, 2, 2)


def test_parse_error_is_an_error_result_with_line_and_column(tmp_path: Path) -> None:
    (tmp_path / "ok.tf").write_text('resource "aws_sns_topic" "t" {\n  name = "x"\n}\n')
    (tmp_path / "broken.tf").write_text('resource "aws_sns_topic" "u" {\n  name = \n}\n')
    report = run(tmp_path)
    [result] = report.results
    assert result.status is ResourceStatus.ERROR
    assert result.source == str(tmp_path / "broken.tf")
    assert result.line == 2
    assert "line 2, column 10: unexpected end of line" in result.messages[0]
    assert report.counts.errors == 1
    assert report.counts.valid == 1  # the good file was still checked
    assert report.failed(threshold=__import__("tools.findings").findings.Severity.CRITICAL)


def test_unclosed_block_reports_end_of_file() -> None:
    with pytest.raises(HclSyntaxError) as caught:
        parse_hcl('resource "a" "b" {\n  x = 1\n', "x.tf")
    assert caught.value.line == 3
    assert "unexpected end of file" in str(caught.value)


def test_binary_file_named_on_the_command_line_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "main.tf"
    path.write_bytes(b"\x7fELF\x00\x01\x02")
    with pytest.raises(InputError, match="binary"):
        run(path)


def test_binary_file_inside_a_directory_is_an_error_result_and_the_run_goes_on(tmp_path: Path) -> None:
    (tmp_path / "blob.tf").write_bytes(b"\x00\x01\x02")
    (tmp_path / "main.tf").write_text('resource "aws_sns_topic" "t" {\n  name = "x"\n}\n')
    report = run(tmp_path)
    [result] = report.results
    assert result.status is ResourceStatus.ERROR
    assert "binary" in result.messages[0]
    assert "TF_AWS_SNS_ENCRYPTION" in {f.id for f in report.findings}


def test_invalid_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "main.tf"
    path.write_bytes(b'resource "a" "b" {\n  name = "caf\xe9"\n}\n')
    with pytest.raises(InputError, match=r"not valid UTF-8 .*line 2"):
        run(path)
    report = run(tmp_path)  # the same file found inside a directory
    assert report.results[0].status is ResourceStatus.ERROR
    assert "UTF-8" in report.results[0].messages[0]


def test_empty_file_is_valid_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "empty.tf"
    path.write_text("")
    report = run(path)
    assert report.findings == []
    assert report.results == []
    assert any("empty" in note for note in report.notes)


def test_missing_path_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        run(tmp_path / "nope")


def test_directory_without_tf_files_is_an_input_error(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("hi")
    with pytest.raises(InputError, match=r"no \.tf files"):
        run(tmp_path)


def test_other_file_types_are_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "values.yaml"
    path.write_text("a: 1\n")
    with pytest.raises(InputError, match="not a Terraform file"):
        run(path)


def test_a_single_file_is_judged_with_its_directory_as_context(tmp_path: Path) -> None:
    (tmp_path / "variables.tf").write_text('variable "enc" {\n  default = false\n}\n')
    (tmp_path / "main.tf").write_text('resource "aws_ebs_volume" "v" {\n  encrypted = var.enc\n}\n')
    report = run(tmp_path / "main.tf")
    ids = {f.id for f in report.findings}
    assert "TF_UNDECLARED_VARIABLE" not in ids  # declared in the sibling file
    assert "TF_AWS_EBS_ENCRYPTION" in ids  # resolved through the sibling's default
    assert report.counts.files == 1
    assert all(f.evidence[0].source == str(tmp_path / "main.tf") for f in report.findings)


def test_attribute_and_block_with_one_name_is_a_parse_error() -> None:
    with pytest.raises(HclSyntaxError, match=r"line 3, column 3: .*x.* both an argument and a block"):
        parse_hcl('resource "a" "b" {\n  x = 1\n  x {\n  }\n}\n', "x.tf")


def test_argument_defined_twice_is_a_parse_error() -> None:
    with pytest.raises(
        HclSyntaxError, match=r"line 3, column 3: argument \"x\" is defined twice \(first at line 2\)"
    ):
        parse_hcl('resource "a" "b" {\n  x = 1\n  x = 2\n}\n', "x.tf")
