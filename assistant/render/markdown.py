"""Markdown rendering of findings (PR comments, tickets, chat)."""

from __future__ import annotations

from tools.findings import Finding
from tools.logs.report import DiagnosisReport


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def finding_markdown(number: int, finding: Finding) -> str:
    """One finding as a Markdown section."""
    parts = [f"### {number}. {finding.title}", ""]
    parts.append(
        f"**Severity:** {finding.severity.value} · **Category:** `{finding.category}` · "
        f"**Role:** {finding.role} · **Confidence:** {finding.confidence:.2f} · **Engine:** {finding.engine}"
    )
    if finding.occurrence is not None:
        occurrence = finding.occurrence
        parts.append("")
        parts.append(_seen(occurrence.count, occurrence.first_line, occurrence.last_line))
    if finding.evidence:
        fence = "````" if any("```" in e.text for e in finding.evidence) else "```"
        parts += ["", "**Evidence**", "", f"{fence}text"]
        parts += [f"{e.source}:{e.line}: {e.text}" for e in finding.evidence]
        parts.append(fence)
    if finding.explanation:
        parts += ["", f"**Why:** {finding.explanation}"]
    if finding.fix:
        parts += ["", f"**Fix:** {finding.fix}"]
    for reference in finding.references:
        parts += ["", f"**See:** [{reference.title}]({reference.path})"]
    for note in finding.notes:
        parts += ["", f"> {note}"]
    return "\n".join(parts)


def _seen(count: int, first: int, last: int) -> str:
    if count == 1:
        return f"Seen once, at line {first}."
    return f"Seen {count} times, lines {first} to {last}."


def diagnosis_markdown(report: DiagnosisReport) -> str:
    """A whole diagnosis as Markdown: a summary table, then each finding."""
    parts = ["## shipmate diagnosis", ""]
    if not report.findings:
        parts.append("No known failure and no unusual error found.")
    else:
        parts += ["| # | Severity | Category | Finding | Role |", "|---|---|---|---|---|"]
        for number, finding in enumerate(report.findings, start=1):
            row = [
                str(number),
                finding.severity.value,
                f"`{finding.category}`",
                _cell(finding.title),
                finding.role,
            ]
            parts.append("| " + " | ".join(row) + " |")
        for number, finding in enumerate(report.findings, start=1):
            parts += ["", finding_markdown(number, finding)]
    parts += ["", "<details><summary>Inputs</summary>", ""]
    for item in report.inputs:
        state = f"skipped: {item.skipped}" if item.skipped else f"{item.kind}, {item.lines} lines"
        parts.append(f"- `{item.source}` ({state})")
    parts += ["", "</details>"]
    for note in report.notes:
        parts += ["", f"> Note: {note}"]
    return "\n".join(parts) + "\n"
