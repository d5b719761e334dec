"""The review as a Markdown comment: summary table, new problems per file, then the details folded."""

from __future__ import annotations

from collections.abc import Iterable

from assistant.render.md_safe import code, fenced, plain, prose
from tools.findings import Severity
from tools.review.models import ReviewFinding, ReviewReport

MAX_COMMENT = 65_000  # GitHub refuses comments over 65,536 characters
_ORDER = [Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW, Severity.INFO]


def review_markdown(report: ReviewReport, marker: str = "", max_chars: int = MAX_COMMENT) -> str:
    """The whole comment; sections are shortened, least useful first, to stay under `max_chars`."""
    head = [marker] if marker else []
    head += ["## shipmate review", "", headline(report), "", *_table(report)]
    new = [rf for rf in report.findings if rf.status == "new"]
    existing = [rf for rf in report.findings if rf.status == "existing"]
    for detail in (True, False):
        sections = [
            _summary_section(report),
            _new_section(new, detail),
            _existing_section(existing),
            _fixed_section(report),
            _generated_section(report, detail),
            _notes_section(report),
        ]
        text = "\n".join([*head, *[s for s in sections if s], "", _footer(report)]) + "\n"
        if len(text) <= max_chars:
            return text
    return (
        text[: max_chars - 200]
        + "\n\n… (shortened: the full report is in the check run and `--format json`)\n"
    )


def headline(report: ReviewReport) -> str:
    """One sentence: what the change brings, in how many files."""
    new = [rf for rf in report.findings if rf.status == "new"]
    reviewed = report.counts.files_reviewed
    files = f"{reviewed} of {report.counts.files_changed} changed files reviewed"
    if not reviewed:
        return f"No Kubernetes, Helm, kustomize, Terraform or Compose files in this change ({files})."
    if not new:
        return f"**No new problems.** {files}."
    by_severity = ", ".join(
        f"{count} {severity.value}"
        for severity in _ORDER
        if (count := sum(1 for rf in new if rf.finding.severity is severity))
    )
    noun = "problem" if len(new) == 1 else "problems"
    return f"**{len(new)} new {noun}** ({by_severity}); {files}."


def _table(report: ReviewReport) -> list[str]:
    rows = ["| Severity | New | Already there | Fixed |", "|---|---:|---:|---:|"]
    for severity in _ORDER:
        new = sum(1 for rf in report.findings if rf.status == "new" and rf.finding.severity is severity)
        old = sum(1 for rf in report.findings if rf.status == "existing" and rf.finding.severity is severity)
        fixed = sum(1 for f in report.fixed if f.severity is severity)
        if new or old or fixed:
            rows.append(f"| {severity.value} | {new} | {old} | {fixed} |")
    if len(rows) == 2:
        rows.append("| (none) | 0 | 0 | 0 |")
    if report.counts.invalid_objects:
        rows += ["", f"{report.counts.invalid_objects} objects are invalid or could not be read."]
    return rows


def _summary_section(report: ReviewReport) -> str:
    if report.summary is None or not report.summary.text:
        return ""
    text = prose(report.summary.text)
    return "\n".join(
        ["", f"### Summary ({plain(report.summary.model)}; check it against the findings)", "", text]
    )


def _new_section(findings: list[ReviewFinding], detail: bool) -> str:
    if not findings:
        return ""
    parts = ["", "### New problems"]
    for path, group in _by_file(findings):
        parts += ["", f"#### {code(path)}", ""]
        for rf in group:
            parts.append(_item(rf))
            if detail:
                parts += _details(rf)
    return "\n".join(parts)


def _item(rf: ReviewFinding) -> str:
    finding = rf.finding
    where = f"line {rf.line}" if rf.line else "file"
    subject = f" {code(finding.resource)}" if finding.resource else ""
    return f"- **{finding.severity.value}** {code(finding.id)} {where}{subject}: {plain(finding.title)}"


def _details(rf: ReviewFinding) -> list[str]:
    finding = rf.finding
    inner = []
    if finding.evidence:
        inner.append(
            fenced("\n".join(f"{e.source}:{e.line}: {e.text}" for e in finding.evidence[:3]), "text")
        )
    if finding.explanation:
        inner.append(prose(finding.explanation))
    if rf.suggestion is not None:
        span = rf.suggestion
        lines = (
            f"{span.start_line}" if span.start_line == span.end_line else f"{span.start_line}-{span.end_line}"
        )
        inner += [f"Suggested change for line {lines}:", fenced(span.replacement, "yaml")]
    elif finding.fix:
        inner += [
            "Fix:",
            fenced(finding.fix, "yaml" if rf.path and rf.path.endswith((".yaml", ".yml")) else ""),
        ]
    if finding.references and finding.references[0].path.startswith("https://"):
        inner.append(f"See [{plain(finding.references[0].title)}]({finding.references[0].path}).")
    if not inner:
        return []
    body = "\n\n".join(inner)
    return ["  <details><summary>Why and how to fix</summary>", "", _indent(body), "", "  </details>"]


def _existing_section(findings: list[ReviewFinding]) -> str:
    if not findings:
        return ""
    shown = findings[:100]
    rows = ["| File | Line | Severity | Policy | Problem |", "|---|---:|---|---|---|"]
    rows += [
        f"| {code(rf.path or '-')} | {rf.line or ''} | {rf.finding.severity.value} | {code(rf.finding.id)} "
        f"| {plain(rf.finding.title)} |"
        for rf in shown
    ]
    more = ["", f"… and {len(findings) - len(shown)} more."] if len(findings) > len(shown) else []
    summary = f"{len(findings)} problems already there in the changed files (not counted against this change)"
    return "\n".join(["", f"<details><summary>{summary}</summary>", "", *rows, *more, "", "</details>"])


def _fixed_section(report: ReviewReport) -> str:
    if not report.fixed:
        return ""
    rows = [
        f"- {code(f.id)} {code(f.path or '-')}{_resource(f.resource)}: {plain(f.title)}"
        for f in report.fixed[:100]
    ]
    return "\n".join(
        [
            "",
            f"<details><summary>Fixed by this change: {len(report.fixed)}</summary>",
            "",
            *rows,
            "",
            "</details>",
        ]
    )


def _generated_section(report: ReviewReport, detail: bool) -> str:
    if not report.generated:
        return ""
    parts = ["", "### Generated manifests"]
    for generated in report.generated:
        state = "validated clean" if not generated.problems else f"{generated.problems} validation problems"
        parts += [
            "",
            f"{code(generated.service)}: {plain(generated.reason)}. A starting point from the "
            f"{code(generated.blueprint)} blueprint ({state}); set the image to your registry's.",
        ]
        if detail:
            for name, text in generated.files.items():
                parts += [
                    "",
                    f"<details><summary>{plain(name)}</summary>",
                    "",
                    fenced(text, "yaml"),
                    "",
                    "</details>",
                ]
    return "\n".join(parts)


def _notes_section(report: ReviewReport) -> str:
    if not report.notes:
        return ""
    rows = [f"- {plain(note)}" for note in report.notes[:30]]
    return "\n".join(["", "<details><summary>Notes</summary>", "", *rows, "", "</details>"])


def _footer(report: ReviewReport) -> str:
    from importlib.metadata import version

    # No run time here: the same review posted twice must be the same text, so nothing is rewritten.
    return f"<sub>shipmate {version('shipmate')} · base {report.base[:7]} · head {report.head[:7]}</sub>"


def _resource(resource: str | None) -> str:
    return f" {code(resource)}" if resource else ""


def _by_file(findings: Iterable[ReviewFinding]) -> list[tuple[str, list[ReviewFinding]]]:
    groups: dict[str, list[ReviewFinding]] = {}
    for rf in findings:
        groups.setdefault(rf.path or "(no file)", []).append(rf)
    return list(groups.items())


def _indent(text: str) -> str:
    return "\n".join(f"  {line}" if line else "" for line in text.splitlines())
