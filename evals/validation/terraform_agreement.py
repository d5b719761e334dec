"""Agreement of shipmate's Terraform policies with checkov's own test cases (../shared/peers/checkov-terraform).

Each peer folder holds `.tf` files for one checkov policy; `expectations.yaml` lists, per folder,
the resource addresses that must pass and those that must fail.  We run `validate_terraform` on
each folder (shipmate's own checks only: no terraform binary, no external tools) and compare the
verdict of the mapped shipmate policy for each listed address.

Run: `python -m evals.validation.terraform_agreement` (prints the per-policy table).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from tools.terraform.validate import validate_terraform

REPO = Path(__file__).resolve().parents[2]
PEER_DIR = Path(os.environ.get("SHIPMATE_PEERS", REPO.parent / "shared" / "peers")) / "checkov-terraform"

# shipmate policy id -> the checkov test folder it covers
POLICY_TO_PEER: dict[str, str] = {
    "TF_AWS_CLOUDTRAIL_LOGGING": "CloudtrailEnableLogging",
    "TF_AWS_LAMBDA_DEPRECATED_RUNTIME": "DeprecatedLambdaRuntime",
    "TF_AWS_DYNAMODB_CMK": "DynamoDBTablesEncrypted",
    "TF_AWS_EBS_ENCRYPTION": "EBSEncryption",
    "TF_AWS_ECR_IMMUTABLE_TAGS": "ECRImmutableTags",
    "TF_AWS_EKS_PUBLIC_ENDPOINT": "EKSPublicAccess",
    "TF_AWS_IAM_ADMIN_POLICY": "IAMAdminPolicyDocument",
    "TF_AWS_IAM_STAR_RESOURCE": "IAMStarResourcePolicyDocument",
    "TF_AWS_KMS_ROTATION": "KMSRotation",
    "TF_AWS_LAMBDA_PUBLIC": "LambdaFunctionIsNotPublic",
    "TF_AWS_RDS_ENCRYPTION": "RDSEncryption",
    "TF_AWS_RDS_DELETION_PROTECTION": "RDSInstanceDeletionProtection",
    "TF_AWS_S3_POLICY_ANY_PRINCIPAL": "S3AllowsAnyPrincipal",
    "TF_AWS_S3_ACL_GLOBAL_VIEW": "S3GlobalViewACL",
    "TF_AWS_S3_TLS_ONLY": "S3SecureDataTransport",
    "TF_AWS_SNS_ENCRYPTION": "SNSTopicEncryption",
    "TF_AWS_SQS_ENCRYPTION": "SQSQueueEncryption",
    "TF_AWS_SG_OPEN_SSH": "SecurityGroupUnrestrictedIngress22",
    "TF_AWS_SG_OPEN_RDP": "SecurityGroupUnrestrictedIngress3389",
    "TF_AWS_SG_OPEN_ALL_PORTS": "SecurityGroupUnrestrictedIngressAny",
}

# Peer verdicts we contest, with the reason. They stay in the raw figures; the adjusted figures
# leave them out. Each is a deliberate difference of policy, not a case we fail to handle.
DISPUTED: dict[tuple[str, str], str] = {
    ("TF_AWS_LAMBDA_DEPRECATED_RUNTIME", "aws_lambda_function.pass"): (
        "nodejs18.x: AWS deprecated it on 2025-09-01 (the peer case predates that)"
    ),
    ("TF_AWS_S3_POLICY_ANY_PRINCIPAL", "aws_s3_bucket.pass_w_condition"): (
        'Principal "*" with only ArnNotEquals aws:PrincipalArn admits everyone but one user: still public'
    ),
    ("TF_AWS_S3_POLICY_ANY_PRINCIPAL", "aws_s3_bucket_policy.pass_w_condition"): (
        'Principal "*" with only ArnNotEquals aws:PrincipalArn admits everyone but one user: still public'
    ),
    ("TF_AWS_SG_OPEN_SSH", "aws_security_group.pass_self2"): (
        "cidr_blocks 0.0.0.0/0 on all ports is open to the world; self = true adds a source, removes none"
    ),
}


@dataclass
class PolicyAgreement:
    """How one shipmate policy's verdicts compare with the peer's expectations."""

    policy: str
    folder: str
    total: int = 0
    agree: int = 0
    disagreements: list[str] = field(default_factory=list)
    disputed: list[str] = field(default_factory=list)

    @property
    def raw(self) -> float:
        """Share of peer verdicts we agree with, contested ones included."""
        return self.agree / self.total if self.total else 1.0

    @property
    def adjusted(self) -> float:
        """Share of peer verdicts we agree with, contested ones left out."""
        counted = self.total - len(self.disputed)
        return self.agree / counted if counted else 1.0


def measure(peer_dir: Path = PEER_DIR) -> list[PolicyAgreement]:
    """Run every mapped policy on its peer folder and compare verdicts per resource address."""
    expectations = yaml.safe_load((peer_dir / "expectations.yaml").read_text())
    rows: list[PolicyAgreement] = []
    for policy, folder in POLICY_TO_PEER.items():
        report = validate_terraform([peer_dir / folder], run_terraform=False)
        flagged = {f.resource for f in report.findings if f.id == policy}
        row = PolicyAgreement(policy, folder)
        for verdict in ("fail", "pass"):
            for address in expectations[folder].get(verdict) or []:
                row.total += 1
                if (address in flagged) == (verdict == "fail"):
                    row.agree += 1
                elif (policy, address) in DISPUTED:
                    row.disputed.append(address)
                else:
                    row.disagreements.append(f"{address} (peer: {verdict})")
        rows.append(row)
    return rows


def overall(rows: list[PolicyAgreement]) -> tuple[float, float]:
    """Raw and adjusted agreement over all verdicts."""
    total = sum(r.total for r in rows)
    agree = sum(r.agree for r in rows)
    disputed = sum(len(r.disputed) for r in rows)
    return agree / total, agree / (total - disputed)


def table(rows: list[PolicyAgreement]) -> str:
    """The per-policy table, then the overall figures and the contested verdicts."""
    lines = [f"{'shipmate policy':34} {'checkov folder':38} {'agree':>7} {'raw':>7} {'adjusted':>8}"]
    for r in rows:
        lines.append(
            f"{r.policy:34} {r.folder:38} {f'{r.agree}/{r.total}':>7} {r.raw:7.1%} {r.adjusted:8.1%}"
            + (f"  disagree: {', '.join(r.disagreements)}" if r.disagreements else "")
        )
    raw, adjusted = overall(rows)
    agree, total = sum(r.agree for r in rows), sum(r.total for r in rows)
    lines.append(f"{'overall':73} {f'{agree}/{total}':>7} {raw:7.1%} {adjusted:8.1%}")
    for (policy, address), reason in DISPUTED.items():
        lines.append(f"contested: {policy} {address}: {reason}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.stdout.write(table(measure()) + "\n")
