"""Check agent and safety cases against the offline engine (no model).

For each case folder under evals/agent/ and evals/safety/ (or the folders given), run
`diagnose` over its workspace/ and treat the Markdown report as the answer: the top
finding's category, the evidence lines it cites, which facts the answer states and which
forbidden strings it contains. Checks a case marks `offline: {category: false}` (or
`evidence`, `facts`) are reported but do not fail it.

    python -m evals.agent.check [CASES_DIR ...] [--verbose]

Exit status 0 when every case meets its offline expectations, 1 otherwise.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from assistant.render.markdown import diagnosis_markdown
from tools.logs.catalogue import Catalogue, load_catalogue
from tools.logs.diagnose import diagnose

EVALS = Path(__file__).resolve().parent.parent
SUITES = (EVALS / "agent", EVALS / "safety")


@dataclass
class CaseCheck:
    """What the offline engine made of one case."""

    name: str
    expected: str | None
    got: str | None
    evidence_expected: list[tuple[str, int]]
    evidence_cited: list[tuple[str, int]]
    facts_missing: list[list[str]]
    facts_total: int
    forbidden_found: list[str]
    waived: dict[str, bool] = field(default_factory=dict)

    @property
    def category_ok(self) -> bool:
        return self.expected is None or self.got == self.expected

    @property
    def evidence_ok(self) -> bool:
        return all(item in self.evidence_cited for item in self.evidence_expected)

    @property
    def facts_ok(self) -> bool:
        return not self.facts_missing

    @property
    def passed(self) -> bool:
        """Every check the case does not waive holds; forbidden strings are never waived."""
        return (
            (self.category_ok or not self.waived.get("category", True))
            and (self.evidence_ok or not self.waived.get("evidence", True))
            and (self.facts_ok or not self.waived.get("facts", True))
            and not self.forbidden_found
        )


def case_folders(root: Path) -> list[Path]:
    """Case folders (with expected.yaml) under `root`, sorted by name."""
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_dir() and (p / "expected.yaml").is_file())


def _relative(source: str, workspace: Path) -> str:
    try:
        return Path(source).resolve().relative_to(workspace.resolve()).as_posix()
    except ValueError:
        return source


def check_case(folder: Path, catalogue: Catalogue | None = None) -> tuple[CaseCheck, str]:
    """Diagnose one case's workspace; the result and the Markdown answer."""
    expected: dict[str, Any] = yaml.safe_load((folder / "expected.yaml").read_text(encoding="utf-8")) or {}
    workspace = folder / "workspace"
    report = diagnose([str(workspace)], catalogue=catalogue)
    answer = diagnosis_markdown(report)
    lowered = answer.lower()
    top = report.top
    cited = [(_relative(e.source, workspace), e.line) for e in (top.evidence if top else [])]
    facts = [list(f) for f in expected.get("facts") or []]
    missing = [alts for alts in facts if not any(str(a).lower() in lowered for a in alts)]
    forbidden = [str(s) for s in expected.get("forbidden") or [] if str(s) and str(s).lower() in lowered]
    result = CaseCheck(
        name=f"{folder.parent.name}/{folder.name}",
        expected=expected.get("category"),
        got=top.category if top else None,
        evidence_expected=[(str(e["file"]), int(e["line"])) for e in expected.get("evidence") or []],
        evidence_cited=cited,
        facts_missing=missing,
        facts_total=len(facts),
        forbidden_found=forbidden,
        waived={k: bool(v) for k, v in (expected.get("offline") or {}).items()},
    )
    return result, answer


def _line(result: CaseCheck) -> str:
    mark = "ok " if result.passed else "XX "
    hits = sum(item in result.evidence_cited for item in result.evidence_expected)
    waived = ",".join(k for k, v in result.waived.items() if not v)
    return (
        f"{mark}{result.name:<46} {result.expected!s:<34} "
        f"{'=' if result.category_ok else '!'}{result.got!s:<34} "
        f"ev {hits}/{len(result.evidence_expected)}  "
        f"facts {result.facts_total - len(result.facts_missing)}/{result.facts_total}"
        + (f"  FORBIDDEN {result.forbidden_found}" if result.forbidden_found else "")
        + (f"  (offline-false: {waived})" if waived else "")
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "roots", nargs="*", type=Path, help="Suite folders (default: evals/agent, evals/safety)."
    )
    parser.add_argument("--verbose", "-v", action="store_true", help="Show cited lines and missing facts.")
    args = parser.parse_args(argv)
    catalogue = load_catalogue()
    results: list[CaseCheck] = []
    for root in args.roots or list(SUITES):
        for folder in case_folders(root):
            result, _ = check_case(folder, catalogue)
            results.append(result)
            print(_line(result))
            if args.verbose and (not result.passed or not result.category_ok):
                print(f"     cited: {result.evidence_cited}")
                print(f"     wanted: {result.evidence_expected}")
                for alts in result.facts_missing:
                    print(f"     missing fact: {alts}")
    total = len(results)
    print()
    print(f"cases:               {total}")
    print(f"passed:              {sum(r.passed for r in results)}/{total}")
    print(f"category (top-1):    {sum(r.category_ok for r in results)}/{total}")
    print(f"evidence complete:   {sum(r.evidence_ok for r in results)}/{total}")
    print(f"facts all stated:    {sum(r.facts_ok for r in results)}/{total}")
    print(f"forbidden found:     {sum(len(r.forbidden_found) for r in results)}")
    print(f"offline-false cases: {sum(any(not v for v in r.waived.values()) for r in results)}")
    return 0 if all(r.passed for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
