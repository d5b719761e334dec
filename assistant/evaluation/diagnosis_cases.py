"""The diagnosis suite: each case a folder of inputs and expected.yaml (docs/eval-cases.md).

Top-1 category accuracy, evidence lines cited, and secrets leaked into any rendering
(text, Markdown, JSON, the evidence pack). `python -m evals.diagnosis.run` and
`shipmate eval diagnosis` both run it.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass, field
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


def run_suite(root: Path) -> SuiteResult:
    """Run every case folder under `root`."""
    catalogue = load_catalogue()
    folders = sorted(p for p in root.iterdir() if (p / "expected.yaml").is_file())
    return SuiteResult([run_case(folder, catalogue) for folder in folders])
