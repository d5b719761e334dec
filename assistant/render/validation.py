"""Text and Markdown rendering of a validation report."""

from __future__ import annotations

from rich.text import Text

from assistant.render.markdown import finding_markdown
from assistant.render.text import SEVERITY_STYLE
from tools.findings import Finding
from tools.validation.report import ValidationReport


def summary(report: ValidationReport) -> str:
    """One line: how many objects ended how, and how many findings."""
    counts = report.counts
    parts = [
        f"{_plural(counts.resources, 'resource')} in {_plural(counts.files, 'file')}: {counts.valid} valid"
    ]
    parts += [
        f"{n} {label}"
        for n, label in ((counts.invalid, "invalid"), (counts.errors, "errors"), (counts.skipped, "skipped"))
        if n
    ]
    return ", ".join(parts) + f"; {_plural(len(report.findings), 'finding')} ({report.seconds:.2f} s)"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def validation_lines(report: ValidationReport, verbose: bool = False, quiet: bool = False) -> list[Text]:
    """The report as styled lines: each finding at its file and line, then the summary."""
    lines: list[Text] = []
    for finding in report.findings:
        lines += _finding_lines(finding, verbose)
    if not quiet:
        for note in report.notes:
            lines.append(Text(f"note: {note}", style="dim"))
    lines.append(Text(summary(report), style="bold"))
    return lines


def _finding_lines(finding: Finding, verbose: bool) -> list[Text]:
    where = finding.evidence[0] if finding.evidence else None
    head = Text()
    if where is not None:
        head.append(f"{where.source}:{where.line}: ", style="magenta")
    head.append(f"[{finding.severity.value.upper()}]", style=SEVERITY_STYLE[finding.severity])
    head.append(f" {finding.id} ", style="bold")
    if finding.resource:
        head.append(f"{finding.resource}: ", style="cyan")
    head.append(finding.title)
    lines = [head]
    if verbose:
        if finding.field_path:
            lines.append(Text(f"   Field: {finding.field_path}", style="dim"))
        if finding.explanation:
            lines.append(Text(f"   Why: {finding.explanation}"))
        if finding.fix:
            lines.append(Text(f"   Fix: {finding.fix}", style="green"))
        for reference in finding.references:
            lines.append(Text(f"   See: {reference.path}", style="dim"))
    return lines


def validation_markdown(report: ValidationReport) -> str:
    """The report as Markdown: a summary, a table of findings, then each finding in full."""
    parts = ["## shipmate validate", "", summary(report), ""]
    if report.findings:
        parts += ["| Severity | Policy | Resource | Where | Finding |", "|---|---|---|---|---|"]
        for finding in report.findings:
            where = finding.evidence[0] if finding.evidence else None
            cells = [
                finding.severity.value,
                f"`{finding.id}`",
                _cell(finding.resource or ""),
                f"`{where.source}:{where.line}`" if where else "",
                _cell(finding.title),
            ]
            parts.append("| " + " | ".join(cells) + " |")
        parts += ["", "<details><summary>Details</summary>", ""]
        parts += [finding_markdown(n, f) + "\n" for n, f in enumerate(report.findings, start=1)]
        parts += ["</details>", ""]
    parts += [f"> Note: {note}" for note in report.notes]
    return "\n".join(parts).rstrip("\n") + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
