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
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

from assistant.render.json_out import to_json
from assistant.render.markdown import diagnosis_markdown
from assistant.render.text import diagnosis_lines
from tools.errors import InputError
from tools.logs.catalogue import Catalogue, load_catalogue
from tools.logs.diagnose import DiagnoseOptions, diagnose
from tools.logs.evidence_pack import build_pack

SUITE = Path(__file__).resolve().parent


@dataclass
class CaseResult:
    """How one case fared."""

    name: str
    expected: str
    got: str | None
    correct: bool
    evidence_expected: int
    evidence_cited: int
    leaked: list[str] = field(default_factory=list)
    seconds: float = 0.0
    error: str | None = None


@dataclass
class SuiteResult:
    """Scores over all cases."""

    cases: list[CaseResult]

    @property
    def accuracy(self) -> float:
        return sum(c.correct for c in self.cases) / len(self.cases) if self.cases else 0.0

    @property
    def evidence_recall(self) -> float:
        expected = sum(c.evidence_expected for c in self.cases)
        return sum(c.evidence_cited for c in self.cases) / expected if expected else 1.0

    @property
    def leaks(self) -> int:
        return sum(len(c.leaked) for c in self.cases)


def load_case(folder: Path) -> dict[str, Any]:
    """The parsed expected.yaml of a case."""
    data = yaml.safe_load((folder / "expected.yaml").read_text(encoding="utf-8"))
    if not isinstance(data, dict) or "category" not in data:
        raise InputError(str(folder / "expected.yaml"), "expected a mapping with 'category'")
    return data


def _options(args: list[str]) -> DiagnoseOptions:
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--include", action="append", default=[])
    parser.add_argument("--exclude", action="append", default=[])
    parsed = parser.parse_args(args)
    return DiagnoseOptions(include=parsed.include, exclude=parsed.exclude)


def run_case(folder: Path, catalogue: Catalogue) -> CaseResult:
    """Diagnose one case and score it."""
    expected = load_case(folder)
    inputs = folder / "input"
    evidence = expected.get("evidence") or []
    started = time.perf_counter()
    try:
        report = diagnose([str(inputs)], _options(list(expected.get("args") or [])), catalogue=catalogue)
    except InputError as err:
        return CaseResult(folder.name, expected["category"], None, False, len(evidence), 0, error=str(err))
    seconds = time.perf_counter() - started
    top = report.top
    cited = set()
    if top is not None:
        cited = {(Path(e.source).relative_to(inputs).as_posix(), e.line) for e in top.evidence}
    hits = sum((str(item["file"]), int(item["line"])) in cited for item in evidence)
    outputs = [
        to_json(report),
        diagnosis_markdown(report),
        "\n".join(line.plain for line in diagnosis_lines(report, verbose=True)),
        build_pack(report, 4000).text,
    ]
    leaked = [secret for secret in expected.get("secrets") or [] if any(secret in out for out in outputs)]
    return CaseResult(
        name=folder.name,
        expected=expected["category"],
        got=top.category if top else None,
        correct=top is not None and top.category == expected["category"],
        evidence_expected=len(evidence),
        evidence_cited=hits,
        leaked=leaked,
        seconds=round(seconds, 3),
    )


def run_suite(root: Path = SUITE) -> SuiteResult:
    """Run every case folder under `root`."""
    catalogue = load_catalogue()
    folders = sorted(p for p in root.iterdir() if (p / "expected.yaml").is_file())
    return SuiteResult([run_case(folder, catalogue) for folder in folders])


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
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
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
    ok = result.accuracy >= args.min_accuracy and result.evidence_recall >= args.min_evidence and result.leaks == 0
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
