"""The generation eval offline: every ask a blueprint should serve is served by it and passes."""

from __future__ import annotations

from pathlib import Path

from evals.generation.run import load_asks, report, run_offline, score_files
from tools.blueprints.model import GeneratedFile


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
    good = (Path(__file__).parent.parent / "data" / "generate_daemonset.yaml").read_text()
    problems = score_files(ask, [GeneratedFile("ds.yaml", good)])
    assert problems == [
        "no Deployment",
        "image nginx:1.27 not among ['quay.io/prometheus/node-exporter:v1.8.1']",
        "port 80 not among ['9100']",
    ]
