"""shipmate's Kubernetes policies agree with checkov's own test cases (../shared/peers/checkov-kubernetes).

The mapping (policy id -> checkov folder) comes from the catalogue; how files are judged,
and which are not judged and why, is in evals/validation/k8s_agreement.py, which prints the
same table (`python -m evals.validation.k8s_agreement`).

Not judged (each listed with its reason in the table): the peer's UNKNOWN/UNKOWN files;
names without a verdict (LivenessReadiness/pod-liveness-readiness-2pods.yaml, Seccomp/template.yaml);
and files with no object holding a container list, where checkov gives no verdict either
(AllowPrivilegeEscalation/pod-runas1000-malformed-PASSED.yaml: containers is a mapping;
AllowedCapabilitiesSysAdmin/pod-FAILED2.yaml: containers is null, and checkov's own test counts
only 1 passed and 1 failed in that folder; DockerSocketVolume/CronJob-pass.yaml: jobTemplate.spec
is null; RootContainers/rootContainersFAILED-malformed-spec.yaml: spec is a list).
"""

from __future__ import annotations

import pytest

from evals.validation.k8s_agreement import PEER_DIR, POLICY_TO_PEER, scores, table, verdict

pytestmark = pytest.mark.skipif(not PEER_DIR.is_dir(), reason=f"no peer data at {PEER_DIR}")

THRESHOLD = 0.95


def test_agreement_per_policy_and_overall() -> None:
    results = scores()
    print("\n" + table(results))
    assert len(results) >= 20
    low = {r.policy: f"{r.agreed}/{r.cases}" for r in results if r.cases == 0 or r.ratio < THRESHOLD}
    assert low == {}
    cases = sum(r.cases for r in results)
    agreed = sum(r.agreed for r in results)
    assert cases >= 100
    assert agreed / cases >= THRESHOLD


def test_every_peer_folder_is_mapped() -> None:
    folders = {p.name for p in PEER_DIR.iterdir() if p.is_dir()}
    assert folders - set(POLICY_TO_PEER.values()) == set()


def test_skipped_files_are_few_and_explained() -> None:
    skipped = {s for r in scores() for s in r.skipped}
    assert len(skipped) <= 12
    assert all(": " in s for s in skipped)


def test_file_names_give_verdicts() -> None:
    assert verdict("nginx-app-FAILED.json") == ("file", {"FAILED": 1})
    assert verdict("pod-runas1000-PASSED.yaml") == ("file", {"PASSED": 1})
    assert verdict("rootContainersFAILED_2.yaml") == ("file", {"FAILED": 1})
    assert verdict("privilegedPod-PASS.yaml") == ("file", {"PASSED": 1})
    assert verdict("CronJob-pass.yaml") == ("file", {"PASSED": 1})
    assert verdict("scope-2PASSED-1FAILED.yaml") == ("count", {"PASSED": 2, "FAILED": 1})
    assert verdict("pod-requests-limits-1FAILED1PASSED.yaml") == ("count", {"PASSED": 1, "FAILED": 1})
    assert isinstance(verdict("cronjob-UNKOWN.yaml"), str)
    assert isinstance(verdict("template.yaml"), str)
