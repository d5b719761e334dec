"""shipmate's Terraform policies agree with checkov's own test cases (../shared/peers/checkov-terraform).

The per-policy table is printed (run pytest with -s to see it) and is also produced by
`python -m evals.validation.terraform_agreement`.  Contested peer verdicts are listed, with
the reason, in `evals.validation.terraform_agreement.DISPUTED`; they count in the raw figures
and are left out of the adjusted ones that the thresholds apply to.
"""

from __future__ import annotations

import pytest
import yaml

from evals.validation.terraform_agreement import (
    DISPUTED,
    PEER_DIR,
    POLICY_TO_PEER,
    PolicyAgreement,
    measure,
    overall,
    table,
)
from tools.terraform.policies.registry import BY_ID

THRESHOLD = 0.95

pytestmark = pytest.mark.skipif(not PEER_DIR.is_dir(), reason=f"peer data not found at {PEER_DIR}")


@pytest.fixture(scope="module")
def rows() -> list[PolicyAgreement]:
    result = measure()
    print("\n" + table(result))
    return result


def test_mapping_names_real_policies_and_every_peer_folder() -> None:
    assert set(POLICY_TO_PEER) <= set(BY_ID)
    expectations = yaml.safe_load((PEER_DIR / "expectations.yaml").read_text())
    assert set(POLICY_TO_PEER.values()) == set(expectations)


def test_every_expectation_is_compared(rows: list[PolicyAgreement]) -> None:
    expectations = yaml.safe_load((PEER_DIR / "expectations.yaml").read_text())
    expected = sum(len(v.get("fail") or []) + len(v.get("pass") or []) for v in expectations.values())
    assert sum(r.total for r in rows) == expected


def test_contested_verdicts_are_real_disagreements(rows: list[PolicyAgreement]) -> None:
    """A DISPUTED entry that we now agree with (or that names nothing) must be removed."""
    contested = {(r.policy, address) for r in rows for address in r.disputed}
    assert contested == set(DISPUTED)


def test_overall_agreement(rows: list[PolicyAgreement]) -> None:
    raw, adjusted = overall(rows)
    assert adjusted >= THRESHOLD
    assert raw >= THRESHOLD


@pytest.mark.parametrize("policy", sorted(POLICY_TO_PEER))
def test_agreement_per_policy(rows: list[PolicyAgreement], policy: str) -> None:
    row = next(r for r in rows if r.policy == policy)
    assert row.total > 0
    assert row.adjusted >= THRESHOLD, row.disagreements
