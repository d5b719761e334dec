"""Plain-text rendering of findings, styled with rich only when it goes to a terminal."""

from __future__ import annotations

from rich.text import Text

from tools.findings import Finding, Severity
from tools.logs.report import DiagnosisReport

SEVERITY_STYLE = {
    Severity.CRITICAL: "bold white on red",
    Severity.HIGH: "bold red",
    Severity.MEDIUM: "yellow",
    Severity.LOW: "cyan",
    Severity.INFO: "dim",
}


def finding_lines(number: int, finding: Finding, verbose: bool = False) -> list[Text]:
    """One finding as lines of styled text (styles vanish when not on a terminal)."""
    head = Text()
    head.append(f"{number}. ")
    head.append(f"[{finding.severity.value.upper()}]", style=SEVERITY_STYLE[finding.severity])
    head.append(f" {finding.title}", style="bold")
    lines = [head]
    meta = f"   {finding.category} · {finding.role} · confidence {finding.confidence:.2f} · {finding.engine}"
    occurrence = finding.occurrence
    if occurrence is not None:
        meta += f" · seen {occurrence.count}x"
        if occurrence.first_seen and occurrence.last_seen and occurrence.count > 1:
            meta += f" ({occurrence.first_seen} → {occurrence.last_seen})"
    lines.append(Text(meta, style="dim"))
    for evidence in finding.evidence:
        line = Text("   │ ", style="dim")
        line.append(f"{evidence.source}:{evidence.line}", style="magenta")
        line.append(f"  {evidence.text.strip()}")
        lines.append(line)
    if finding.role != "context" or verbose:
        if finding.explanation and verbose:
            lines.append(Text(f"   Why: {finding.explanation}"))
        if finding.fix:
            fix = Text("   Fix: ", style="green bold")
            fix.append(finding.fix if verbose else _first_sentence(finding.fix))
            lines.append(fix)
        for reference in finding.references:
            lines.append(Text(f"   See: {reference.path}", style="dim"))
    for note in finding.notes:
        lines.append(Text(f"   Note: {note}", style="dim italic"))
    return lines


def diagnosis_lines(
    report: DiagnosisReport, verbose: bool = False, limit: int | None = None, quiet: bool = False
) -> list[Text]:
    """A whole diagnosis report as lines of styled text; `quiet` leaves out the header and notes."""
    lines: list[Text] = []
    if not quiet:
        lines.append(Text(_read_line(report), style="dim"))
    if not report.findings:
        lines.append(Text("No known failure and no unusual error found.", style="green"))
    shown = report.findings if limit is None else report.findings[:limit]
    for number, finding in enumerate(shown, start=1):
        if lines:
            lines.append(Text(""))
        if number == 1 and finding.role == "cause":
            lines.append(Text("Most likely root cause:", style="bold underline"))
        elif number == 2:
            lines.append(Text("Also found:", style="bold underline"))
        lines.extend(finding_lines(number, finding, verbose))
    hidden = len(report.findings) - len(shown)
    if hidden > 0:
        lines.append(Text(f"\n… {hidden} more finding(s); use -v to see all.", style="dim"))
    if not quiet:
        lines.extend(Text(f"Note: {note}", style="dim") for note in report.notes)
    return lines


def _read_line(report: DiagnosisReport) -> str:
    """What was read: log lines per input, or for a cluster the objects, API calls and logs."""
    from tools.kube.report import ClusterReport

    if isinstance(report, ClusterReport):
        info = report.cluster
        where = "all namespaces" if info.namespaces is None else "namespace " + ", ".join(info.namespaces)
        objects = sum(info.objects.values())
        return (
            f"Read {objects:,} objects from {where} of context {info.context} in {info.api_calls} API calls"
            f" and {info.logs_read} container logs"
        )
    read = ", ".join(f"{i.source} ({i.kind})" for i in report.inputs if not i.skipped)
    return f"Read {report.stats.lines:,} lines from {read}"


def _first_sentence(text: str) -> str:
    text = " ".join(text.split())
    end = text.find(". ")
    return text if end == -1 or end > 300 else text[: end + 1]
