"""The diagnosis eval suite with the issue's thresholds, and the scorer on cases built to fail."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from evals.diagnosis.run import SUITE, report_text, run_suite


def test_suite_meets_its_thresholds() -> None:
    result = run_suite(SUITE)
    assert len(result.cases) >= 40
    summary = report_text(result)
    assert result.accuracy >= 0.90, summary
    assert result.evidence_recall >= 0.90, summary
    assert result.leaks == 0, summary


def test_scorer_catches_wrong_category_missing_evidence_and_leaks(tmp_path: Path) -> None:
    case = tmp_path / "built-to-fail"
    (case / "input").mkdir(parents=True)
    (case / "input" / "app.log").write_text(
        "boot ok\nFATAL: could not reach db: dial tcp 10.0.0.9:5432: connect: connection refused "
        "(operator hunter2-is-not-a-detectable-secret)\n"
    )
    (case / "expected.yaml").write_text(
        yaml.safe_dump(
            {
                "category": "tf.cycle",
                "evidence": [{"file": "app.log", "line": 1}],
                "secrets": ["hunter2-is-not-a-detectable-secret"],
            }
        )
    )
    good = tmp_path / "good"
    shutil.copytree(case, good)
    (good / "expected.yaml").write_text(
        yaml.safe_dump(
            {"category": "network.connection_refused", "evidence": [{"file": "app.log", "line": 2}]}
        )
    )
    result = run_suite(tmp_path)
    by_name = {c.name: c for c in result.cases}
    failing, passing = by_name["built-to-fail"], by_name["good"]
    assert not failing.correct
    assert failing.evidence_cited == 0
    assert failing.leaked == ["hunter2-is-not-a-detectable-secret"]
    assert passing.correct
    assert passing.evidence_cited == 1
    assert result.accuracy == 0.5
