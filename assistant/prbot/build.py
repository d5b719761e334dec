"""From a review to what a code host shows: the sticky summary, inline comments and the check run."""

from __future__ import annotations

from typing import Literal

from assistant.prbot.plan import MARKER, Annotation, CheckRunPlan, InlineComment, PostPlan
from assistant.render.md_safe import code, fenced, plain, prose
from assistant.render.review_markdown import headline, review_markdown
from tools.findings import Severity
from tools.review.models import ReviewFinding, ReviewReport

MAX_CHECK_SUMMARY = 60_000
_LEVEL: dict[Severity, Literal["notice", "warning", "failure"]] = {
    Severity.CRITICAL: "failure",
    Severity.HIGH: "failure",
    Severity.MEDIUM: "warning",
    Severity.LOW: "notice",
    Severity.INFO: "notice",
}


def build_plan(report: ReviewReport, fail_on: Severity = Severity.MEDIUM) -> PostPlan:
    """The post for `report`: inline comments only for new findings on lines the change touched.

    The check fails when the change brings a finding at least `fail_on` severe; problems
    that were already there never fail it.
    """
    new = [rf for rf in report.findings if rf.status == "new"]
    inline = [_inline(rf, path, line) for rf, path, line in _one_per_line(new)]
    failed = report.failed(fail_on)
    title = headline(report).replace("**", "")
    check = CheckRunPlan(
        conclusion="failure" if failed else "success",
        title=title[:250],
        summary=review_markdown(report, max_chars=MAX_CHECK_SUMMARY),
        annotations=[_annotation(rf, rf.path, rf.line) for rf in new if rf.path and rf.line],
    )
    return PostPlan(
        head_sha=report.head,
        marker=MARKER,
        summary=review_markdown(report, marker=MARKER),
        inline=inline,
        check=check,
    )


def _one_per_line(findings: list[ReviewFinding]) -> list[tuple[ReviewFinding, str, int]]:
    """New findings on changed lines, one per policy and line (a kustomize base and its overlays
    render the same source line several times)."""
    seen: set[tuple[str, int, str]] = set()
    chosen: list[tuple[ReviewFinding, str, int]] = []
    for rf in findings:
        if rf.on_changed_line and rf.path and rf.line and (rf.path, rf.line, rf.finding.id) not in seen:
            seen.add((rf.path, rf.line, rf.finding.id))
            chosen.append((rf, rf.path, rf.line))
    return chosen


def _inline(rf: ReviewFinding, path: str, line: int) -> InlineComment:
    finding = rf.finding
    parts = [f"**{finding.severity.value}** {code(finding.id)}: {plain(finding.title)}"]
    if finding.explanation:
        parts.append(prose(finding.explanation))
    start_line = None
    if rf.suggestion is not None:
        parts.append(fenced(rf.suggestion.replacement, "suggestion"))
        line = rf.suggestion.end_line
        start_line = rf.suggestion.start_line if rf.suggestion.start_line != line else None
    elif finding.fix:
        parts.append(fenced(finding.fix, "yaml" if path.endswith((".yaml", ".yml")) else ""))
    return InlineComment(path=path, line=line, start_line=start_line, body="\n\n".join(parts))


def _annotation(rf: ReviewFinding, path: str, line: int) -> Annotation:
    finding = rf.finding
    message = finding.explanation or finding.title
    if finding.fix:
        message += "\n\nFix:\n" + finding.fix
    return Annotation(
        path=path,
        start_line=line,
        end_line=line,
        annotation_level=_LEVEL[finding.severity],
        title=f"{finding.id}: {finding.title}"[:255],
        message=message[:64_000],
    )
