"""The retrieval eval with the issue's thresholds: hybrid recall@5 >= 0.90 and better than either side alone.

Indexes all bundled knowledge into a temporary store (a few minutes of embedding on two cores).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from evals.retrieval.run import evaluate, load_questions, report_text


@pytest.mark.slow
def test_hybrid_search_meets_its_thresholds(tmp_path: Path) -> None:
    questions = load_questions()
    assert len(questions) >= 80
    assert {q["kind"] for q in questions} == {"exact", "paraphrase", "howto"}
    scores, _ = evaluate(str(tmp_path / "index"))
    by_mode = {s.mode: s for s in scores}
    summary = report_text(scores, len(questions))
    hybrid, dense, lexical = by_mode["hybrid"], by_mode["dense"], by_mode["lexical"]
    assert hybrid.recall_at_5 >= 0.90, summary
    assert hybrid.recall_at_5 >= max(dense.recall_at_5, lexical.recall_at_5), summary
    assert hybrid.mrr > max(dense.mrr, lexical.mrr), summary
