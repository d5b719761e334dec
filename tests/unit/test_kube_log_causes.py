"""Log causes and the report on every scenario, without a server: the whole analysis after reading."""

from __future__ import annotations

import pytest

from tests.support.cluster_scenarios import Scenario, check_findings, load_scenarios, snapshot_from_scenario
from tools.kube.analyze import analyze
from tools.kube.diagnose_cluster import build_report
from tools.kube.log_causes import attach_log_causes, log_label
from tools.kube.snapshot import LogKey

SCENARIOS = load_scenarios()


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_every_scenario_with_its_logs(scenario: Scenario) -> None:
    snapshot = snapshot_from_scenario(scenario)
    report = build_report(snapshot, attach_log_causes(analyze(snapshot), snapshot), None, 0.1)
    assert check_findings(scenario, report.findings, with_logs=True) == []
    assert report.cluster.logs_read == len(snapshot.logs)
    assert sorted(report.cluster.objects) == sorted(snapshot.objects)


def test_a_crash_loop_takes_the_cause_its_previous_log_names() -> None:
    scenario = next(s for s in SCENARIOS if s.name == "crashloop-missing-env")
    snapshot = snapshot_from_scenario(scenario)
    before = {f.resource: f.category for f in analyze(snapshot)}
    after = attach_log_causes(analyze(snapshot), snapshot)
    pod = next(f for f in after if f.resource and f.resource.startswith("Pod/") and f.role == "cause")
    assert before[pod.resource] == "container.crash.app_error"
    assert pod.category == "container.config.missing_env"
    assert any(e.source.startswith("logs shop/") and e.source.endswith("(previous)") for e in pod.evidence)
    assert any(note.startswith("cause read in the container's log") for note in pod.notes)


def test_a_symptom_follows_its_pods_new_category() -> None:
    scenario = next(s for s in SCENARIOS if s.name == "cronjob-failing")
    snapshot = snapshot_from_scenario(scenario)
    findings = attach_log_causes(analyze(snapshot), snapshot)
    job = next(f for f in findings if f.resource and f.resource.startswith("Job/") and f.role == "symptom")
    cause = next(f for f in findings if f.resource and f.resource.startswith("Pod/") and f.role == "cause")
    assert job.category == cause.category != "container.crash.app_error"


def test_secrets_in_evidence_are_masked_in_the_report() -> None:
    scenario = next(s for s in SCENARIOS if s.name == "missing-secret")
    snapshot = snapshot_from_scenario(scenario)
    leaked = "sk-proj-" + "Wq8Rt5Yu2Io9Pa4Sd7Fg1Hj6Kl3"
    for event in snapshot.objects["events"]:
        event["message"] = f"{event.get('message', '')} (OPENAI_API_KEY={leaked})"
    report = build_report(snapshot, attach_log_causes(analyze(snapshot), snapshot), None, 0.1)
    text = report.model_dump_json()
    assert "OPENAI_API_KEY=" in text  # the event lines are quoted ...
    assert leaked not in text  # ... with the secret masked
    assert log_label(LogKey("shop", "api", "api", True)) == "logs shop/api/api (previous)"
