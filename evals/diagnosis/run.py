"""Run the diagnosis eval suite: top-1 category accuracy, evidence recall, leaked secrets.

Each case is a folder with `input/` and `expected.yaml` (docs/eval-cases.md). The
diagnosis runs in-process; its text, Markdown and JSON renderings and its
evidence pack are all searched for the case's secrets.

    python -m evals.diagnosis.run [CASES_DIR] [--json OUT] [--min-accuracy 0.9] [--min-evidence 0.9]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict
from pathlib import Path

from assistant.evaluation.diagnosis_cases import CaseResult, SuiteResult, load_case, run_case
from assistant.evaluation.diagnosis_cases import run_suite as run_cases

SUITE = Path(__file__).resolve().parent


__all__ = ["SUITE", "CaseResult", "SuiteResult", "load_case", "report_text", "run_case", "run_suite"]


def run_suite(root: Path = SUITE) -> SuiteResult:
    """Run every case folder under `root` (the bundled suite by default)."""
    return run_cases(root)


def report_text(result: SuiteResult) -> str:
    """A plain table of every case and the three scores."""
    lines = [f"{'case':<44} {'expected':<34} {'got':<34} ev  leak"]
    for case in result.cases:
        mark = "ok " if case.correct else "XX "
        got = case.got or (case.error or "-")
        lines.append(
            f"{mark}{case.name:<41} {case.expected:<34} {got:<34} {case.evidence_cited}/{case.evidence_expected}"
            f"  {len(case.leaked) or ''}"
        )
    lines.append("")
    lines.append(f"cases: {len(result.cases)}")
    lines.append(f"top-1 category accuracy: {result.accuracy:.1%}")
    lines.append(f"evidence lines cited:    {result.evidence_recall:.1%}")
    lines.append(f"leaked secrets:          {result.leaks}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("cases", nargs="?", type=Path, default=SUITE)
    parser.add_argument("--json", type=Path, help="Write per-case results as JSON here.")
    parser.add_argument("--min-accuracy", type=float, default=0.9)
    parser.add_argument("--min-evidence", type=float, default=0.9)
    args = parser.parse_args()
    started = time.perf_counter()
    result = run_suite(args.cases)
    print(report_text(result))
    print(f"time:                    {time.perf_counter() - started:.1f} s")
    if args.json:
        payload = {
            "accuracy": result.accuracy,
            "evidence_recall": result.evidence_recall,
            "leaks": result.leaks,
            "cases": [asdict(c) for c in result.cases],
        }
        args.json.write_text(json.dumps(payload, indent=2))
    ok = (
        result.accuracy >= args.min_accuracy
        and result.evidence_recall >= args.min_evidence
        and result.leaks == 0
    )
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
