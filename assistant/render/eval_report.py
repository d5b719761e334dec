"""The eval report as Markdown (a table of suites, the change against the previous run, failing cases)
and as terminal lines."""

from __future__ import annotations

from tools.evaluation.models import EvalReport, SuiteChange, SuiteResult

MAX_FAILURES_SHOWN = 15


def eval_markdown(report: EvalReport) -> str:
    """The whole report: suites, changes, then each suite's failing cases with the checks that failed."""
    mode = report.model or "offline (no model)"
    parts = ["# shipmate eval", "", f"{report.started} · {mode} · {report.seconds:.1f} s", ""]
    parts += ["| Suite | Score | Metric | Passed | Time |", "|---|---:|---|---:|---:|"]
    for suite in report.suites:
        if suite.status == "skipped":
            parts.append(f"| {suite.suite} | - | skipped: {suite.reason} | - | - |")
            continue
        judge = f" (judge {suite.judge_score:.0%})" if suite.judge_score is not None else ""
        parts.append(
            f"| {suite.suite} | {suite.score:.1%}{judge} | {suite.metric} | {suite.passed}/{suite.total} "
            f"| {suite.seconds:.1f} s |"
        )
    if report.changes:
        parts += [
            "",
            f"## Against {report.previous}",
            "",
            "| Suite | Before | Now | Change |",
            "|---|---:|---:|---:|",
        ]
        parts += [_change_row(change) for change in report.changes]
        for change in report.changes:
            if change.newly_failing:
                parts.append(
                    f"\n{change.suite}: newly failing: " + ", ".join(f"`{c}`" for c in change.newly_failing)
                )
            if change.newly_passing:
                parts.append(
                    f"\n{change.suite}: newly passing: " + ", ".join(f"`{c}`" for c in change.newly_passing)
                )
    for suite in report.suites:
        parts += _failures(suite)
    return "\n".join(parts) + "\n"


def eval_lines(report: EvalReport) -> list[str]:
    """A short summary for the terminal: one line per suite, then the changes."""
    lines = []
    for suite in report.suites:
        if suite.status == "skipped":
            lines.append(f"{suite.suite:<11} skipped: {suite.reason}")
            continue
        figures = ", ".join(f"{k} {v:g}" for k, v in list(suite.figures.items())[:3])
        lines.append(
            f"{suite.suite:<11} {suite.score:7.1%}  {suite.metric} ({suite.passed}/{suite.total} passed"
            f"{', ' + figures if figures else ''}) {suite.seconds:.1f} s"
        )
    for change in report.changes:
        if change.delta is not None:
            flips = len(change.newly_failing)
            lines.append(
                f"{change.suite:<11} {change.delta:+.1%} since the previous run"
                + (f", {flips} newly failing" if flips else "")
            )
    mode = report.model or "offline"
    lines.append(f"{len(report.suites)} suites, {mode}, {report.seconds:.1f} s")
    return lines


def _change_row(change: SuiteChange) -> str:
    before = f"{change.score_before:.1%}" if change.score_before is not None else "-"
    now = f"{change.score_now:.1%}" if change.score_now is not None else "-"
    delta = f"{change.delta:+.1%}" if change.delta is not None else "-"
    return f"| {change.suite} | {before} | {now} | {delta} |"


def _failures(suite: SuiteResult) -> list[str]:
    failing = [case for case in suite.cases if not case.passed]
    if not failing:
        return []
    parts = ["", f"## {suite.suite}: {len(failing)} failing", ""]
    for case in failing[:MAX_FAILURES_SHOWN]:
        why = case.error or "; ".join(
            f"{check.name}" + (f" ({check.detail})" if check.detail else "")
            for check in case.checks
            if not check.passed
        )
        parts.append(f"- `{case.case}`: {why}")
    if len(failing) > MAX_FAILURES_SHOWN:
        parts.append(f"- … and {len(failing) - MAX_FAILURES_SHOWN} more (see the JSON report)")
    return parts
