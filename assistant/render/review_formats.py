"""The review as terminal lines and as SARIF."""

from __future__ import annotations

from rich.text import Text

from assistant.render.review_markdown import headline
from assistant.render.text import SEVERITY_STYLE
from tools.findings import Evidence, Finding
from tools.review.models import ReviewFinding, ReviewReport


def review_sarif(report: ReviewReport) -> str:
    """Every finding in the touched files (new and existing) as SARIF, at its repository path and line.

    Code scanning tracks which results are new by itself, so existing ones are included.
    """
    from assistant.render.sarif import sarif_log

    return sarif_log([_located(rf) for rf in report.findings if rf.path])


def review_lines(report: ReviewReport, verbose: bool = False, quiet: bool = False) -> list[Text]:
    """New findings at their file and line, then counts of existing and fixed ones, notes and a summary."""
    lines: list[Text] = []
    for rf in report.findings:
        if rf.status == "new" or verbose:
            lines += _finding_lines(rf, verbose)
    existing = report.counts.existing
    if existing and not verbose:
        lines.append(
            Text(f"{existing} findings already there in the changed files (-v lists them)", style="dim")
        )
    for fixed in report.fixed:
        lines.append(
            Text(
                f"fixed: {fixed.path or '-'}: {fixed.id} {fixed.resource or ''} {fixed.title}", style="green"
            )
        )
    for generated in report.generated:
        names = ", ".join(generated.files)
        lines.append(
            Text(
                f"generated for {generated.service}: {names} ({generated.blueprint});"
                " --format markdown shows them"
            )
        )
    if report.summary is not None:
        lines.append(Text(f"summary by {report.summary.model}:", style="bold"))
        lines += [Text(f"  {line}") for line in report.summary.text.splitlines()]
    if not quiet:
        lines += [Text(f"note: {note}", style="dim") for note in report.notes]
    lines.append(Text(headline(report).replace("**", "") + f" ({report.seconds:.2f} s)", style="bold"))
    return lines


def _finding_lines(rf: ReviewFinding, verbose: bool) -> list[Text]:
    finding = rf.finding
    head = Text()
    if rf.path:
        head.append(f"{rf.path}:{rf.line}: " if rf.line else f"{rf.path}: ", style="magenta")
    head.append(f"[{finding.severity.value.upper()}]", style=SEVERITY_STYLE[finding.severity])
    head.append(f" {finding.id} ", style="bold")
    if rf.status == "existing":
        head.append("(already there) ", style="dim")
    if finding.resource:
        head.append(f"{finding.resource}: ", style="cyan")
    head.append(finding.title)
    lines = [head]
    if verbose and finding.explanation:
        lines.append(Text(f"   Why: {finding.explanation}"))
    if rf.suggestion is not None:
        lines.append(
            Text(
                f"   Suggestion for lines {rf.suggestion.start_line}-{rf.suggestion.end_line}:", style="green"
            )
        )
        lines += [Text(f"     {line}", style="green") for line in rf.suggestion.replacement.splitlines()]
    elif finding.fix and (verbose or rf.status == "new"):
        first = finding.fix.splitlines()[0]
        lines.append(Text(f"   Fix: {first}" + (" …" if "\n" in finding.fix else ""), style="green"))
    return lines


def _located(rf: ReviewFinding) -> Finding:
    """The finding with its first evidence at the repository path and line the review placed it."""
    finding = rf.finding
    assert rf.path is not None
    text = finding.evidence[0].text if finding.evidence else finding.title
    first = Evidence(source=rf.path, line=rf.line or 1, text=text)
    return finding.model_copy(update={"evidence": [first, *finding.evidence[1:]]})
