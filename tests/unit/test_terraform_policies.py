"""Each policy on small inline HCL: one configuration it must flag and one it must pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.terraform.policies.registry import POLICIES
from tools.terraform.validate import validate_terraform

SG_OPEN = """
resource "aws_security_group" "x" {{
  ingress {{
    from_port   = {port}
    to_port     = {port}
    protocol    = "tcp"
    cidr_blocks = ["{cidr}"]
  }}
}}
"""
GCP_FW = """
resource "google_compute_firewall" "x" {{
  name          = "fw"
  network       = "default"
  source_ranges = ["{cidr}"]
  allow {{
    protocol = "tcp"
    ports    = ["{port}"]
  }}
}}
"""
NSG = """
resource "azurerm_network_security_rule" "x" {{
  name                        = "r"
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_address_prefix       = "{source}"
  source_port_range           = "*"
  destination_port_range      = "{port}"
  destination_address_prefix  = "*"
  priority                    = 100
}}
"""
IAM = """
resource "aws_iam_policy" "x" {{
  policy = jsonencode({{
    Version   = "2012-10-17"
    Statement = [{{ Effect = "Allow", Action = {action}, Resource = {resource} }}]
  }})
}}
"""
BUCKET_POLICY = """
resource "aws_s3_bucket_policy" "x" {{
  bucket = "b"
  policy = <<POLICY
{{"Statement": [{{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
  "Resource": "arn:aws:s3:::b/*"{condition}}}]}}
POLICY
}}
"""
PUBLIC_ACL = """
resource "aws_s3_bucket" "b" {
  bucket = "b"
}
resource "aws_s3_bucket_acl" "x" {
  bucket = aws_s3_bucket.b.id
  acl    = "public-read"
}
"""
TLS_POLICY = """
resource "aws_s3_bucket_policy" "p" {
  bucket = aws_s3_bucket.b.id
  policy = jsonencode({
    Statement = [{
      Effect = "Deny", Principal = "*", Action = "s3:*", Resource = "arn:aws:s3:::b/*",
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })
}
"""

# policy id -> (configuration that must be flagged, configuration that must pass)
CASES: dict[str, tuple[str, str]] = {
    "TF_AWS_S3_PUBLIC_ACCESS_BLOCK": (
        'resource "aws_s3_bucket_public_access_block" "x" {\n  bucket = "b"\n  block_public_acls = true\n}\n',
        'resource "aws_s3_bucket_public_access_block" "x" {\n  bucket = "b"\n  block_public_acls = true\n'
        "  block_public_policy = true\n  ignore_public_acls = true\n  restrict_public_buckets = true\n}\n",
    ),
    "TF_AWS_S3_ENCRYPTION": (
        'resource "aws_s3_bucket" "x" {\n  bucket = "b"\n}\n',
        'resource "aws_s3_bucket" "x" {\n  bucket = "b"\n}\n'
        'resource "aws_s3_bucket_server_side_encryption_configuration" "e" {\n  bucket = aws_s3_bucket.x.id\n'
        '  rule {\n    apply_server_side_encryption_by_default {\n      sse_algorithm = "aws:kms"\n    }\n  }\n}\n',
    ),
    "TF_AWS_S3_PUBLIC_ACL": (PUBLIC_ACL, PUBLIC_ACL.replace("public-read", "private")),
    "TF_AWS_S3_ACL_GLOBAL_VIEW": (
        'resource "aws_s3_bucket_acl" "x" {\n  bucket = "b"\n  access_control_policy {\n    grant {\n'
        '      grantee {\n        type = "Group"\n        uri  = "http://acs.amazonaws.com/groups/global/AllUsers"\n'
        '      }\n      permission = "READ_ACP"\n    }\n  }\n}\n',
        'resource "aws_s3_bucket_acl" "x" {\n  bucket = "b"\n  access_control_policy {\n    grant {\n'
        '      grantee {\n        type = "Group"\n        uri  = "http://acs.amazonaws.com/groups/s3/LogDelivery"\n'
        '      }\n      permission = "READ_ACP"\n    }\n  }\n}\n',
    ),
    "TF_AWS_S3_TLS_ONLY": (PUBLIC_ACL, PUBLIC_ACL + TLS_POLICY),
    "TF_AWS_S3_POLICY_ANY_PRINCIPAL": (
        BUCKET_POLICY.format(condition=""),
        BUCKET_POLICY.format(condition=', "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c"}}'),
    ),
    "TF_AWS_SG_OPEN_SSH": (
        SG_OPEN.format(port=22, cidr="0.0.0.0/0"),
        SG_OPEN.format(port=22, cidr="10.0.0.0/8"),
    ),
    "TF_AWS_SG_OPEN_RDP": (
        SG_OPEN.format(port=3389, cidr="::/0"),
        SG_OPEN.format(port=443, cidr="0.0.0.0/0"),
    ),
    "TF_AWS_SG_OPEN_ALL_PORTS": (
        'resource "aws_security_group_rule" "x" {\n  type = "ingress"\n  from_port = 0\n  to_port = 0\n'
        '  protocol = "-1"\n  cidr_blocks = ["0.0.0.0/0"]\n  security_group_id = "sg-1"\n}\n',
        SG_OPEN.format(port=443, cidr="0.0.0.0/0"),
    ),
    "TF_AWS_RDS_ENCRYPTION": (
        'resource "aws_db_instance" "x" {\n  engine = "mysql"\n}\n',
        'resource "aws_db_instance" "x" {\n  engine = "mysql"\n  storage_encrypted = true\n}\n',
    ),
    "TF_AWS_RDS_PUBLIC": (
        'resource "aws_db_instance" "x" {\n  publicly_accessible = true\n}\n',
        'resource "aws_db_instance" "x" {\n  publicly_accessible = false\n}\n',
    ),
    "TF_AWS_RDS_DELETION_PROTECTION": (
        'resource "aws_rds_cluster" "x" {\n  engine = "aurora-postgresql"\n}\n',
        'resource "aws_rds_cluster" "x" {\n  deletion_protection = true\n}\n',
    ),
    "TF_AWS_EBS_ENCRYPTION": (
        'resource "aws_ebs_volume" "x" {\n  size = 10\n  encrypted = false\n}\n',
        'resource "aws_ebs_volume" "x" {\n  size = 10\n  encrypted = true\n}\n',
    ),
    "TF_AWS_KMS_ROTATION": (
        'resource "aws_kms_key" "x" {\n  description = "k"\n}\n',
        'resource "aws_kms_key" "x" {\n  customer_master_key_spec = "RSA_2048"\n}\n',
    ),
    "TF_AWS_CLOUDTRAIL_LOGGING": (
        'resource "aws_cloudtrail" "x" {\n  name = "t"\n  enable_logging = false\n}\n',
        'resource "aws_cloudtrail" "x" {\n  name = "t"\n}\n',
    ),
    "TF_AWS_EKS_PUBLIC_ENDPOINT": (
        'resource "aws_eks_cluster" "x" {\n  vpc_config {\n    subnet_ids = ["s"]\n  }\n}\n',
        'resource "aws_eks_cluster" "x" {\n  vpc_config {\n    subnet_ids = ["s"]\n'
        '    public_access_cidrs = ["203.0.113.0/24"]\n  }\n}\n',
    ),
    "TF_AWS_ECR_IMMUTABLE_TAGS": (
        'resource "aws_ecr_repository" "x" {\n  name = "r"\n}\n',
        'resource "aws_ecr_repository" "x" {\n  name = "r"\n  image_tag_mutability = "IMMUTABLE"\n}\n',
    ),
    "TF_AWS_SQS_ENCRYPTION": (
        'resource "aws_sqs_queue" "x" {\n  name = "q"\n  kms_master_key_id = ""\n}\n',
        'resource "aws_sqs_queue" "x" {\n  name = "q"\n  sqs_managed_sse_enabled = true\n}\n',
    ),
    "TF_AWS_SNS_ENCRYPTION": (
        'resource "aws_sns_topic" "x" {\n  name = "t"\n}\n',
        'resource "aws_sns_topic" "x" {\n  name = "t"\n  kms_master_key_id = aws_kms_key.k.arn\n}\n'
        'resource "aws_kms_key" "k" {\n  enable_key_rotation = true\n}\n',
    ),
    "TF_AWS_LAMBDA_PUBLIC": (
        'resource "aws_lambda_permission" "x" {\n  action = "lambda:InvokeFunction"\n  principal = "*"\n}\n',
        'resource "aws_lambda_permission" "x" {\n  principal = "events.amazonaws.com"\n}\n',
    ),
    "TF_AWS_LAMBDA_DEPRECATED_RUNTIME": (
        'resource "aws_lambda_function" "x" {\n  runtime = "python3.7"\n}\n',
        'resource "aws_lambda_function" "x" {\n  runtime = "python3.12"\n}\n',
    ),
    "TF_AWS_DYNAMODB_CMK": (
        'resource "aws_dynamodb_table" "x" {\n  server_side_encryption {\n    enabled = true\n  }\n}\n',
        'resource "aws_dynamodb_table" "x" {\n  server_side_encryption {\n    enabled = true\n'
        '    kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/k"\n  }\n}\n',
    ),
    "TF_AWS_IAM_ADMIN_POLICY": (
        IAM.format(action='"*"', resource='"*"'),
        IAM.format(action='"s3:GetObject"', resource='"arn:aws:s3:::b/*"'),
    ),
    "TF_AWS_IAM_STAR_RESOURCE": (
        'data "aws_iam_policy_document" "x" {\n  statement {\n    actions = ["s3:GetObject"]\n'
        '    resources = ["*"]\n  }\n}\n',
        'data "aws_iam_policy_document" "x" {\n  statement {\n    actions = ["s3:ListAllMyBuckets"]\n'
        '    resources = ["*"]\n  }\n}\n',
    ),
    "TF_GCP_GCS_UNIFORM_ACCESS": (
        'resource "google_storage_bucket" "x" {\n  name = "b"\n}\n',
        'resource "google_storage_bucket" "x" {\n  name = "b"\n  uniform_bucket_level_access = true\n}\n',
    ),
    "TF_GCP_GCS_PUBLIC": (
        'resource "google_storage_bucket_iam_member" "x" {\n  bucket = "b"\n  member = "allUsers"\n}\n',
        'resource "google_storage_bucket_iam_member" "x" {\n  bucket = "b"\n  member = "group:a@example.com"\n}\n',
    ),
    "TF_GCP_FIREWALL_OPEN_SSH": (
        GCP_FW.format(cidr="0.0.0.0/0", port="22"),
        GCP_FW.format(cidr="10.0.0.0/8", port="22"),
    ),
    "TF_GCP_FIREWALL_OPEN_RDP": (
        GCP_FW.format(cidr="0.0.0.0/0", port="3000-4000"),
        GCP_FW.format(cidr="0.0.0.0/0", port="443"),
    ),
    "TF_GCP_SQL_PUBLIC_IP": (
        'resource "google_sql_database_instance" "x" {\n  settings {\n    tier = "db-f1-micro"\n  }\n}\n',
        'resource "google_sql_database_instance" "x" {\n  settings {\n    ip_configuration {\n'
        "      ipv4_enabled = false\n    }\n  }\n}\n",
    ),
    "TF_GCP_SQL_REQUIRE_SSL": (
        'resource "google_sql_database_instance" "x" {\n  settings {\n    ip_configuration {\n'
        '      ssl_mode = "ALLOW_UNENCRYPTED_AND_ENCRYPTED"\n    }\n  }\n}\n',
        'resource "google_sql_database_instance" "x" {\n  settings {\n    ip_configuration {\n'
        "      require_ssl = true\n    }\n  }\n}\n",
    ),
    "TF_GCP_GKE_PRIVATE_NODES": (
        'resource "google_container_cluster" "x" {\n  name = "c"\n}\n',
        'resource "google_container_cluster" "x" {\n  private_cluster_config {\n    enable_private_nodes = true\n'
        "  }\n}\n",
    ),
    "TF_GCP_GKE_LEGACY_ABAC": (
        'resource "google_container_cluster" "x" {\n  enable_legacy_abac = true\n}\n',
        'resource "google_container_cluster" "x" {\n  enable_legacy_abac = false\n}\n',
    ),
    "TF_GCP_GKE_MASTER_AUTHORIZED_NETWORKS": (
        'resource "google_container_cluster" "x" {\n  name = "c"\n}\n',
        'resource "google_container_cluster" "x" {\n  master_authorized_networks_config {\n    cidr_blocks {\n'
        '      cidr_block = "10.0.0.0/8"\n    }\n  }\n}\n',
    ),
    "TF_AZURE_STORAGE_HTTPS_ONLY": (
        'resource "azurerm_storage_account" "x" {\n  https_traffic_only_enabled = false\n}\n',
        'resource "azurerm_storage_account" "x" {\n  https_traffic_only_enabled = true\n}\n',
    ),
    "TF_AZURE_STORAGE_MIN_TLS": (
        'resource "azurerm_storage_account" "x" {\n  min_tls_version = "TLS1_0"\n}\n',
        'resource "azurerm_storage_account" "x" {\n  min_tls_version = "TLS1_2"\n}\n',
    ),
    "TF_AZURE_STORAGE_PUBLIC_BLOB": (
        'resource "azurerm_storage_container" "x" {\n  name = "c"\n  container_access_type = "blob"\n}\n',
        'resource "azurerm_storage_account" "x" {\n  allow_nested_items_to_be_public = false\n}\n',
    ),
    "TF_AZURE_NSG_OPEN_SSH": (NSG.format(source="*", port="22"), NSG.format(source="10.0.0.0/8", port="22")),
    "TF_AZURE_NSG_OPEN_RDP": (
        NSG.format(source="Internet", port="3389"),
        NSG.format(source="Internet", port="443"),
    ),
    "TF_AZURE_SQL_PUBLIC_NETWORK": (
        'resource "azurerm_mssql_server" "x" {\n  version = "12.0"\n}\n',
        'resource "azurerm_mssql_server" "x" {\n  public_network_access_enabled = false\n}\n',
    ),
    "TF_AZURE_SQL_MIN_TLS": (
        'resource "azurerm_postgresql_server" "x" {\n  ssl_enforcement_enabled = false\n}\n',
        'resource "azurerm_mssql_server" "x" {\n  minimum_tls_version = "1.2"\n}\n',
    ),
    "TF_AZURE_AKS_RBAC": (
        'resource "azurerm_kubernetes_cluster" "x" {\n  role_based_access_control_enabled = false\n}\n',
        'resource "azurerm_kubernetes_cluster" "x" {\n  role_based_access_control_enabled = true\n}\n',
    ),
    "TF_AZURE_AKS_PRIVATE": (
        'resource "azurerm_kubernetes_cluster" "x" {\n  name = "k"\n}\n',
        'resource "azurerm_kubernetes_cluster" "x" {\n  private_cluster_enabled = true\n}\n',
    ),
}


def policy_ids(tmp_path: Path, hcl: str) -> set[str]:
    (tmp_path / "main.tf").write_text(hcl)
    report = validate_terraform([tmp_path], run_terraform=False)
    return {f.id for f in report.findings}


def test_every_policy_has_cases() -> None:
    assert {p.id for p in POLICIES} == set(CASES)


@pytest.mark.parametrize("policy_id", sorted(CASES))
def test_policy_flags_the_failing_case(tmp_path: Path, policy_id: str) -> None:
    assert policy_id in policy_ids(tmp_path, CASES[policy_id][0])


@pytest.mark.parametrize("policy_id", sorted(CASES))
def test_policy_passes_the_passing_case(tmp_path: Path, policy_id: str) -> None:
    assert policy_id not in policy_ids(tmp_path, CASES[policy_id][1])


def test_finding_carries_resource_field_line_fix_and_docs(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'resource "aws_ebs_volume" "data" {\n  size = 10\n  encrypted = false\n}\n'
    )
    report = validate_terraform([tmp_path], run_terraform=False)
    finding = next(f for f in report.findings if f.id == "TF_AWS_EBS_ENCRYPTION")
    assert finding.resource == "aws_ebs_volume.data"
    assert finding.field_path == "encrypted"
    assert finding.engine == "policy"
    assert finding.category == "TF_AWS_EBS_ENCRYPTION"
    assert (finding.evidence[0].line, finding.evidence[0].text) == (3, "encrypted = false")
    assert "encrypted  = true" in finding.fix
    assert finding.references[0].path.startswith("https://registry.terraform.io/providers/hashicorp/aws/")


def test_variable_default_decides_a_policy(tmp_path: Path) -> None:
    template = 'variable "enc" {{\n  default = {value}\n}}\nresource "aws_ebs_volume" "d" {{\n  encrypted = var.enc\n}}\n'
    assert "TF_AWS_EBS_ENCRYPTION" not in policy_ids(tmp_path, template.format(value="true"))
    assert "TF_AWS_EBS_ENCRYPTION" in policy_ids(tmp_path, template.format(value="false"))


def test_tfvars_value_overrides_the_default(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'variable "enc" {\n  default = true\n}\nresource "aws_ebs_volume" "d" {\n  encrypted = var.enc\n}\n'
    )
    (tmp_path / "prod.tfvars").write_text("enc = false\n")
    report = validate_terraform([tmp_path, tmp_path / "prod.tfvars"], run_terraform=False)
    assert "TF_AWS_EBS_ENCRYPTION" in {f.id for f in report.findings}


def test_unknown_expression_is_not_guessed(tmp_path: Path) -> None:
    hcl = 'variable "enc" {}\nresource "aws_ebs_volume" "d" {\n  encrypted = var.enc\n}\n'
    assert "TF_AWS_EBS_ENCRYPTION" not in policy_ids(tmp_path, hcl)


def test_local_literal_is_resolved(tmp_path: Path) -> None:
    hcl = (
        'locals {\n  open = "0.0.0.0/0"\n}\nresource "aws_security_group_rule" "r" {\n  type = "ingress"\n'
        '  from_port = 22\n  to_port = 22\n  protocol = "tcp"\n  cidr_blocks = [local.open]\n}\n'
    )
    assert "TF_AWS_SG_OPEN_SSH" in policy_ids(tmp_path, hcl)


def test_findings_are_sorted_most_severe_first(tmp_path: Path) -> None:
    hcl = (
        CASES["TF_AWS_DYNAMODB_CMK"][0]
        + CASES["TF_AWS_SG_OPEN_ALL_PORTS"][0]
        + CASES["TF_AWS_SNS_ENCRYPTION"][0]
    )
    (tmp_path / "main.tf").write_text(hcl)
    ranks = [f.severity.rank for f in validate_terraform([tmp_path], run_terraform=False).findings]
    assert ranks == sorted(ranks, reverse=True)
    assert ranks[0] == 4


def test_iam_policy_document_reference_is_judged_on_the_data_block(tmp_path: Path) -> None:
    hcl = (
        'data "aws_iam_policy_document" "admin" {\n  statement {\n    actions = ["*"]\n    resources = ["*"]\n  }\n}\n'
        'resource "aws_iam_policy" "p" {\n  policy = data.aws_iam_policy_document.admin.json\n}\n'
    )
    (tmp_path / "main.tf").write_text(hcl)
    report = validate_terraform([tmp_path], run_terraform=False)
    admin = [f for f in report.findings if f.id == "TF_AWS_IAM_ADMIN_POLICY"]
    assert [f.resource for f in admin] == ["data.aws_iam_policy_document.admin"]
    assert admin[0].evidence[0].line == 2
