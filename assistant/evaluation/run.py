"""`run_eval`: the chosen suites, over the bundled cases or the user's, into one report."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from assistant.evaluation.suites import SUITES, ModelFactory, RunOptions
from tools.errors import InputError
from tools.evaluation.models import EvalReport, SuiteResult

Progress = Callable[[str], None]


def run_eval(
    suites: Sequence[str],
    *,
    cases: Path | None = None,
    evals_root: Path | None = None,
    model: ModelFactory | None = None,
    model_name: str | None = None,
    settings: object = None,
    progress: Progress | None = None,
) -> EvalReport:
    """Run `suites` (all when empty). With `cases`, each suite that runs on case folders reads
    `cases/<suite>/` if it exists, else `cases` itself when one suite is named."""
    unknown = [name for name in suites if name not in SUITES]
    if unknown:
        raise InputError("suite", f"{unknown[0]!r} is not one of {', '.join(SUITES)}")
    chosen = list(suites) or list(SUITES)
    options = RunOptions(model=model, model_name=model_name, evals_root=evals_root, settings=settings)
    report = EvalReport(started=datetime.now(UTC).isoformat(timespec="seconds"), model=model_name)
    started = time.perf_counter()
    for name in chosen:
        suite = SUITES[name]
        folder = _case_folder(cases, name, len(chosen)) if cases is not None else None
        if cases is not None and folder is None:
            report.suites.append(
                SuiteResult(suite=name, status="skipped", reason=f"no {name}/ folder in {cases}")
            )
            continue
        if cases is not None and not suite.case_folders:
            report.suites.append(
                SuiteResult(
                    suite=name, status="skipped", reason="runs on shipmate's own data, not on --cases"
                )
            )
            continue
        if progress is not None:
            progress(name)
        report.suites.append(suite.run(folder, options))
    report.seconds = round(time.perf_counter() - started, 2)
    return report


def find_evals_root(start: Path) -> Path | None:
    """The evals/ folder of the shipmate checkout at or above `start`, if there is one."""
    for folder in (start, *start.parents):
        candidate = folder / "evals"
        if (candidate / "diagnosis").is_dir() and (folder / "pyproject.toml").is_file():
            return candidate
    return None


def _case_folder(cases: Path, name: str, how_many: int) -> Path | None:
    if (cases / name).is_dir():
        return cases / name
    return cases if how_many == 1 else None
