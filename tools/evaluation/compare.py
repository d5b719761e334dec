"""A run against the previous one: each suite's score change and the cases that flipped."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from tools.errors import InputError
from tools.evaluation.models import EvalReport, SuiteChange


def load_report(path: Path) -> EvalReport:
    """A previous run's JSON report; InputError naming the file when it is not one."""
    try:
        return EvalReport.model_validate_json(path.read_bytes())
    except OSError as err:
        raise InputError(str(path), f"cannot be read: {err.strerror or err}") from err
    except ValidationError as err:
        raise InputError(str(path), "not a `shipmate eval --format json` report") from err


def compare(now: EvalReport, before: EvalReport) -> list[SuiteChange]:
    """One change per suite in either run (a suite only in one of them has a None side)."""
    previous = {s.suite: s for s in before.suites if s.status == "ran"}
    current = {s.suite: s for s in now.suites if s.status == "ran"}
    changes = []
    for name in [*current, *[n for n in previous if n not in current]]:
        old, new = previous.get(name), current.get(name)
        old_passed = {c.case for c in old.cases if c.passed} if old else set()
        new_passed = {c.case for c in new.cases if c.passed} if new else set()
        old_cases = {c.case for c in old.cases} if old else set()
        new_cases = {c.case for c in new.cases} if new else set()
        both = old_cases & new_cases
        changes.append(
            SuiteChange(
                suite=name,
                score_before=old.score if old else None,
                score_now=new.score if new else None,
                delta=round(new.score - old.score, 4) if old and new else None,
                newly_failing=sorted(c for c in both if c in old_passed and c not in new_passed),
                newly_passing=sorted(c for c in both if c in new_passed and c not in old_passed),
            )
        )
    return changes
