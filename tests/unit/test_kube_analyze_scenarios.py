"""Every broken-cluster scenario through the analyzers alone (no logs read, no server)."""

from __future__ import annotations

import pytest

from tests.support.cluster_scenarios import Scenario, check_findings, load_scenarios, snapshot_from_scenario
from tools.kube.analyze import analyze, containers_needing_logs
from tools.kube.snapshot import resource_label

SCENARIOS = load_scenarios()
TAXONOMY_OR_LINKED = ("cause", "symptom", "context")


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_scenario_findings(scenario: Scenario) -> None:
    findings = analyze(snapshot_from_scenario(scenario))
    assert check_findings(scenario, findings, with_logs=False) == []


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_scenario_findings_are_well_formed_and_ranked(scenario: Scenario) -> None:
    snapshot = snapshot_from_scenario(scenario)
    findings = analyze(snapshot)
    labels = {resource_label(kind, obj) for kind, items in snapshot.objects.items() for obj in items}
    roles = [f.role for f in findings]
    assert roles == sorted(roles, key=TAXONOMY_OR_LINKED.index)
    for finding in findings:
        assert finding.engine == "cluster"
        assert finding.id.startswith("cluster-")
        assert finding.resource in labels
        assert finding.evidence
        assert finding.fix
        if finding.role == "symptom":
            assert any(note.startswith("symptom of ") for note in finding.notes)


def test_scenarios_exist_and_one_is_healthy() -> None:
    assert len(SCENARIOS) >= 18
    assert any(s.no_findings for s in SCENARIOS)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_logs_asked_for_are_those_the_scenario_holds(scenario: Scenario) -> None:
    """Every previous log the scenario provides is one the analyzers would ask for."""
    wanted = set(containers_needing_logs(snapshot_from_scenario(scenario), limit=50))
    provided = {key for key in snapshot_from_scenario(scenario).logs if key.previous}
    assert provided <= wanted
