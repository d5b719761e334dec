"""Run the retrieval eval: recall@5 and MRR for dense only, lexical only and hybrid, side by side.

Each question in questions.yaml names the documents that answer it. A question is
recalled at 5 when one of them is the source of one of the first five passages;
MRR is the mean of 1/rank of the first passage from a relevant document (0 when
none is in the first ten). `found@5` is the stricter share of all relevant
documents that appear in the first five.

    python -m evals.retrieval.run [--store DIR] [--json OUT] [--min-recall 0.9]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tools.retrieval.docs_tool import build_index, default_embedder_instance, open_store
from tools.retrieval.search import KnowledgeSearch, Mode

QUESTIONS = Path(__file__).resolve().parent / "questions.yaml"
MODES: tuple[Mode, ...] = ("dense", "lexical", "hybrid")
DEPTH = 10


@dataclass
class ModeScore:
    """Scores of one mode over all questions."""

    mode: str
    recall_at_5: float = 0.0
    mrr: float = 0.0
    found_at_5: float = 0.0
    by_kind: dict[str, float] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)


def load_questions(path: Path = QUESTIONS) -> list[dict[str, Any]]:
    """The questions with their relevant documents."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return list(data["questions"])


def score(search: KnowledgeSearch, questions: list[dict[str, Any]], mode: Mode) -> ModeScore:
    """Recall@5, MRR and found@5 of one mode."""
    result = ModeScore(mode)
    hits_by_kind: dict[str, list[int]] = {}
    reciprocal, found_share = 0.0, 0.0
    for question in questions:
        relevant = list(question["relevant"])
        sources = [p.source for p in search.search(question["question"], k=DEPTH, mode=mode)]
        first = next((rank for rank, source in enumerate(sources, start=1) if source in relevant), None)
        hit = first is not None and first <= 5
        hits_by_kind.setdefault(question.get("kind", "other"), []).append(int(hit))
        reciprocal += 1.0 / first if first else 0.0
        found_share += len(set(sources[:5]) & set(relevant)) / len(relevant)
        if not hit:
            result.misses.append(question["question"])
    total = len(questions)
    result.recall_at_5 = round(sum(sum(h) for h in hits_by_kind.values()) / total, 4)
    result.mrr = round(reciprocal / total, 4)
    result.found_at_5 = round(found_share / total, 4)
    result.by_kind = {kind: round(sum(h) / len(h), 4) for kind, h in sorted(hits_by_kind.items())}
    return result


def evaluate(store_dir: str | None = None) -> tuple[list[ModeScore], dict[str, float]]:
    """Index the bundled knowledge (reused when `store_dir` already holds it) and score every mode."""
    timings: dict[str, float] = {}
    location = store_dir or tempfile.mkdtemp(prefix="shipmate-retrieval-eval-")
    started = time.perf_counter()
    build_index(location)
    timings["index_seconds"] = round(time.perf_counter() - started, 1)
    embedder = default_embedder_instance()
    search = KnowledgeSearch(open_store(location, embedder), embedder)
    questions = load_questions()
    started = time.perf_counter()
    scores = [score(search, questions, mode) for mode in MODES]
    timings["queries"] = len(questions) * len(MODES)
    timings["query_seconds"] = round(time.perf_counter() - started, 2)
    return scores, timings


def report_text(scores: list[ModeScore], questions: int) -> str:
    """A side-by-side table of the modes."""
    lines = [
        f"{questions} questions",
        f"{'mode':<8} {'recall@5':>9} {'MRR':>7} {'found@5':>8}   by kind (recall@5)",
    ]
    for s in scores:
        kinds = ", ".join(f"{k} {v:.0%}" for k, v in s.by_kind.items())
        lines.append(f"{s.mode:<8} {s.recall_at_5:>9.1%} {s.mrr:>7.3f} {s.found_at_5:>8.1%}   {kinds}")
    hybrid = next(s for s in scores if s.mode == "hybrid")
    if hybrid.misses:
        lines.append("hybrid misses: " + "; ".join(hybrid.misses[:15]))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--store", help="Reuse (and update) the index in this directory.")
    parser.add_argument("--json", type=Path, help="Write the scores as JSON here.")
    parser.add_argument("--min-recall", type=float, default=0.9)
    args = parser.parse_args()
    scores, timings = evaluate(args.store)
    print(report_text(scores, len(load_questions())))
    print(f"index {timings['index_seconds']} s; {timings['queries']} queries in {timings['query_seconds']} s")
    if args.json:
        args.json.write_text(
            json.dumps({"scores": [asdict(s) for s in scores], "timings": timings}, indent=2)
        )
    by_mode = {s.mode: s for s in scores}
    hybrid = by_mode["hybrid"]
    better = hybrid.recall_at_5 >= max(by_mode["dense"].recall_at_5, by_mode["lexical"].recall_at_5)
    sys.exit(0 if hybrid.recall_at_5 >= args.min_recall and better else 1)


if __name__ == "__main__":
    main()
