"""Reference checks: undeclared names, unused variables, duplicates, provider requirements."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.findings import Finding
from tools.terraform.validate import validate_terraform
from tools.validation.report import ResourceStatus

PINNED = """terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}
"""


def findings(tmp_path: Path, hcl: str) -> list[Finding]:
    (tmp_path / "main.tf").write_text(hcl)
    return validate_terraform([tmp_path], run_terraform=False).findings


def ids(tmp_path: Path, hcl: str) -> set[str]:
    return {f.id for f in findings(tmp_path, hcl)}


@pytest.mark.parametrize(
    ("expression", "check_id"),
    [
        ("var.missing", "TF_UNDECLARED_VARIABLE"),
        ("local.missing", "TF_UNDECLARED_LOCAL"),
        ("module.missing.out", "TF_UNDECLARED_MODULE"),
        ("data.aws_caller_identity.missing.id", "TF_UNDECLARED_DATA"),
        ("aws_s3_bucket.missing.arn", "TF_UNDECLARED_RESOURCE"),
    ],
)
def test_each_kind_of_undeclared_reference(tmp_path: Path, expression: str, check_id: str) -> None:
    hcl = PINNED + f'resource "aws_sns_topic" "t" {{\n  kms_master_key_id = "k"\n  name = {expression}\n}}\n'
    found = [f for f in findings(tmp_path, hcl) if f.id == check_id]
    assert len(found) == 1
    assert found[0].engine == "schema"
    assert found[0].resource == "aws_sns_topic.t"
    assert found[0].evidence[0].line == 12
    report = validate_terraform([tmp_path], run_terraform=False)
    assert [r.status for r in report.results] == [ResourceStatus.INVALID]


def test_declared_references_are_quiet(tmp_path: Path) -> None:
    hcl = PINNED + (
        'variable "n" {}\nlocals {\n  l = var.n\n}\nmodule "m" {\n  source = "./m"\n}\n'
        'data "aws_caller_identity" "me" {}\n'
        'resource "aws_s3_bucket" "b" {\n  bucket = "${local.l}-${data.aws_caller_identity.me.account_id}"\n'
        "  tags = { out = module.m.x }\n}\n"
        'resource "aws_sns_topic" "t" {\n  kms_master_key_id = aws_s3_bucket.b.arn\n  count = length(var.n)\n'
        '  name = "t-${count.index}-${path.module}-${terraform.workspace}"\n}\n'
    )
    assert not {i for i in ids(tmp_path, hcl) if i.startswith("TF_UNDECLARED")}


def test_iterators_of_for_and_dynamic_are_not_references(tmp_path: Path) -> None:
    hcl = PINNED + (
        'variable "rules" {\n  default = []\n}\n'
        'resource "aws_security_group" "g" {\n  tags = { for r in var.rules : r.name => r.value }\n'
        '  dynamic "ingress" {\n    for_each = var.rules\n    content {\n      from_port = ingress.value.port\n'
        '      to_port = ingress.value.port\n      protocol = "tcp"\n    }\n  }\n}\n'
    )
    assert not {i for i in ids(tmp_path, hcl) if i.startswith("TF_UNDECLARED")}


def test_unused_variable(tmp_path: Path) -> None:
    found = [
        f
        for f in findings(tmp_path, PINNED + 'variable "unused" {\n  default = 1\n}\n')
        if f.id == "TF_UNUSED_VARIABLE"
    ]
    assert [(f.resource, f.evidence[0].line) for f in found] == [("var.unused", 10)]


def test_a_type_attribute_outside_a_variable_block_is_a_reference(tmp_path: Path) -> None:
    resource = (
        'resource "aws_sns_topic" "t" {\n  kms_master_key_id = "k"\n  dynamic "d" {\n'
        "    for_each = [1]\n    content {\n      type = var.kind\n    }\n  }\n}\n"
    )
    declared = PINNED + 'variable "kind" {\n  type    = string\n  default = "x"\n}\n' + resource
    assert "TF_UNUSED_VARIABLE" not in ids(tmp_path, declared)
    assert "TF_UNDECLARED_VARIABLE" in ids(tmp_path, PINNED + resource)


def test_missing_required_providers_and_versions(tmp_path: Path) -> None:
    found = ids(tmp_path, 'resource "google_storage_bucket" "b" {\n  uniform_bucket_level_access = true\n}\n')
    assert {"TF_MISSING_REQUIRED_PROVIDERS", "TF_MISSING_REQUIRED_VERSION"} <= found
    unversioned = (
        'terraform {\n  required_version = "~> 1.5"\n  required_providers {\n'
        '    aws = {\n      source = "hashicorp/aws"\n    }\n  }\n}\nresource "aws_sns_topic" "t" {\n'
        '  kms_master_key_id = "k"\n}\n'
    )
    found = ids(tmp_path, unversioned)
    assert "TF_PROVIDER_VERSION_UNCONSTRAINED" in found
    assert not {"TF_MISSING_REQUIRED_PROVIDERS", "TF_MISSING_REQUIRED_VERSION"} & found
    assert not {"TF_PROVIDER_VERSION_UNCONSTRAINED", "TF_MISSING_REQUIRED_PROVIDERS"} & ids(
        tmp_path, PINNED + 'resource "aws_sns_topic" "t" {\n  kms_master_key_id = "k"\n}\n'
    )


def test_builtin_terraform_provider_needs_no_requirement(tmp_path: Path) -> None:
    hcl = 'terraform {\n  required_version = ">= 1.4"\n}\nresource "terraform_data" "x" {\n  input = 1\n}\n'
    assert "TF_MISSING_REQUIRED_PROVIDERS" not in ids(tmp_path, hcl)


def test_duplicate_declaration(tmp_path: Path) -> None:
    hcl = PINNED + 'variable "a" {}\nvariable "a" {}\noutput "o" {\n  value = var.a\n}\n'
    found = [f for f in findings(tmp_path, hcl) if f.id == "TF_DUPLICATE_DECLARATION"]
    assert [(f.resource, f.evidence[0].line) for f in found] == [("var.a", 11)]
