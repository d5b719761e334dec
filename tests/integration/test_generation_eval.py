"""The generation eval offline: every ask a blueprint should serve is served by it and passes."""

from __future__ import annotations

from pathlib import Path

import pytest

from evals.generation.run import load_asks, report, run_offline, score_files
from tools.blueprints.model import GeneratedFile

DAEMONSET = (Path(__file__).parent.parent / "data" / "generate_daemonset.yaml").read_text()


def test_offline_generation_serves_and_passes_every_covered_ask() -> None:
    asks = load_asks()
    assert len(asks) >= 40
    scores = run_offline(asks)
    covered = {a["id"] for a in asks if a["blueprint"]}
    served = {r.id for r in scores.results if r.served}
    assert served == covered, report(scores)
    assert scores.passed == scores.served, report(scores)


def test_every_blueprint_is_exercised_by_an_ask() -> None:
    from tools.blueprints.registry import all_blueprints

    asked = {a["blueprint"] for a in load_asks()}
    assert set(all_blueprints()) <= asked


def test_the_checks_fail_on_output_that_does_not_match() -> None:
    ask = {
        "target": "kubernetes",
        "checks": [{"path": "Deployment.spec.replicas", "equals": 3}, {"image": "nginx:1.27"}, {"port": 80}],
    }
    problems = score_files(ask, [GeneratedFile("ds.yaml", DAEMONSET)])
    assert problems == [
        "no Deployment",
        "image nginx:1.27 not among ['quay.io/prometheus/node-exporter:v1.8.1']",
        "port 80 not among ['9100']",
    ]


def test_the_model_run_measures_pass_at_1_and_repair_rounds(monkeypatch: pytest.MonkeyPatch) -> None:
    from evals.generation.run import run_model
    from tests.servers.openai_chat import openai_chat_server, tool_call

    good = DAEMONSET
    broken = good.replace("  selector:\n    matchLabels:\n      app.kubernetes.io/name: node-exporter\n", "")
    ask = {
        "id": "ds",
        "target": "kubernetes",
        "ask": "node-exporter on every node",
        "blueprint": None,
        "checks": [{"kind": "DaemonSet"}, {"image": "quay.io/prometheus/node-exporter:v1.8.1"}],
    }
    files = [{"path": "ds.yaml", "content": text} for text in (good, broken, good)]
    with openai_chat_server() as server:
        server.queue(*[tool_call("write_files", {"files": [f]}) for f in files])
        monkeypatch.setenv("SHIPMATE_MODEL", "openai/stub")
        monkeypatch.setenv("SHIPMATE_API_BASE", server.base_url)
        monkeypatch.setenv("SHIPMATE_API_KEY", "k")
        scores = run_model([ask, {**ask, "id": "ds-2"}])
    assert (scores.passed, scores.asks) == (2, 2)
    assert scores.pass_at_1 == 0.5
    assert scores.mean_repair_rounds == 0.5
