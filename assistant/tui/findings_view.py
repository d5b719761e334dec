"""The findings of a diagnosis (or a validation): a table, and the selected finding in detail.

Evidence text comes from logs and is untrusted: it is shown as plain `Text` with control
characters made visible, never parsed as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePath
from typing import TYPE_CHECKING, ClassVar

from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.theme import Theme
from textual.widget import Widget
from textual.widgets import DataTable, OptionList, Static
from textual.widgets.option_list import Option

from assistant.tui.log_index import visible_text

if TYPE_CHECKING:  # loaded with the first diagnosis, not before the app's first frame
    from tools.findings import Evidence, Finding
    from tools.logs.report import DiagnosisReport

SEVERITIES = ("info", "low", "medium", "high", "critical")  # tools.findings.Severity's values

UNOPENABLE_SOURCES = {"stdin", "-"}


def _cell(text: str, width: int, style: str = "", *, keep_end: bool = False) -> Text:
    """Plain text cut to `width` cells with an ellipsis (at the start when `keep_end`)."""
    text = visible_text(text)
    if len(text) > width:
        text = "…" + text[-(width - 1) :] if keep_end else text[: width - 1] + "…"
    return Text(text, style=style, no_wrap=True)


def _multiline(text: str) -> str:
    """Untrusted text that may span lines, made safe line by line."""
    return "\n".join(visible_text(line) for line in text.splitlines())


def _where(evidence: Evidence) -> str:
    return f"{evidence.source}:{evidence.line}"


class FindingsView(Widget):
    """A table of findings (severity, category, title, first evidence) above a detail pane.

    Enter on a finding, or on one of its evidence lines in the detail pane, posts
    `FindingsView.OpenEvidence(source, line)`; the app answers by opening a `LogScreen`.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        *(f"findings-view--{severity}" for severity in SEVERITIES),
        "findings-view--label",
    }
    DEFAULT_CSS = """
    FindingsView {
        layout: vertical;
        height: 1fr;
        & > DataTable { height: 1fr; min-height: 4; }
        & > #finding-detail {
            height: 1fr;
            min-height: 5;
            border-top: solid $primary 50%;
            padding: 0 1;
            & > OptionList { height: auto; max-height: 12; border: none; padding: 0; }
            & > Static { width: 1fr; }
        }
        & > .findings-view--critical { color: $text-error; text-style: bold reverse; }
        & > .findings-view--high { color: $text-error; text-style: bold; }
        & > .findings-view--medium { color: $text-warning; text-style: bold; }
        & > .findings-view--low { color: $text-primary; }
        & > .findings-view--info { color: $text-muted; }
        & > .findings-view--label { color: $text-primary; text-style: bold; }
    }
    """

    class OpenEvidence(Message):
        """Open the log `source` at 1-based `line` (posted on Enter)."""

        def __init__(self, source: str, line: int) -> None:
            super().__init__()
            self.source, self.line = source, line

    def __init__(
        self,
        findings: Sequence[Finding] = (),
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._findings: list[Finding] = list(findings)
        self._notes: list[str] = []

    def compose(self) -> ComposeResult:
        """The table, and the detail pane under it."""
        yield DataTable(cursor_type="row", zebra_stripes=True, id="findings-table")
        with VerticalScroll(id="finding-detail"):
            yield Static(id="finding-summary")
            yield OptionList(id="finding-evidence")
            yield Static(id="finding-references")

    def on_mount(self) -> None:
        """Build the table; keep the severity colours in step with the theme."""
        table = self.query_one(DataTable)
        for label, key in (("Severity", "severity"), ("Category", "category"), ("Finding", "title")):
            table.add_column(label, key=key)
        table.add_column("Evidence", key="evidence")
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)
        self.show(self._findings, self._notes)

    @property
    def findings(self) -> list[Finding]:
        """The findings shown, in order."""
        return list(self._findings)

    @property
    def selected(self) -> Finding | None:
        """The finding under the table's cursor."""
        if not self._findings or not self.is_mounted:
            return None
        row = self.query_one(DataTable).cursor_row
        return self._findings[row] if 0 <= row < len(self._findings) else None

    def show_report(self, report: DiagnosisReport) -> None:
        """Show a diagnosis: its findings, ranked, and its notes when nothing was found."""
        self.show(report.findings, report.notes)

    def show(self, findings: Sequence[Finding], notes: Sequence[str] = ()) -> None:
        """Replace the findings shown."""
        self._findings, self._notes = list(findings), list(notes)
        if not self.is_mounted:
            return
        table = self.query_one(DataTable)
        table.clear()
        for number, finding in enumerate(self._findings):
            table.add_row(*self._row(finding), key=str(number))
        self._show_detail(self.selected)

    def _row(self, finding: Finding) -> list[Text]:
        style = self.get_component_rich_style(f"findings-view--{finding.severity.value}", partial=True)
        severity = Text(finding.severity.value.upper(), style=style, no_wrap=True)
        first = finding.evidence[0] if finding.evidence else None
        where = f"{PurePath(first.source).name}:{first.line}" if first else "-"
        return [
            severity,
            _cell(finding.category, 18),
            _cell(finding.title, 30),
            _cell(where, 18, keep_end=True),
        ]

    def _theme_changed(self, theme: Theme) -> None:
        self.call_after_refresh(self._restyle)

    def _restyle(self) -> None:
        table = self.query_one(DataTable)
        for number, finding in enumerate(self._findings):
            table.update_cell(str(number), "severity", self._row(finding)[0])
        self._show_detail(self.selected)

    @on(DataTable.RowHighlighted, "#findings-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail(self.selected)

    @on(DataTable.RowSelected, "#findings-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_evidence()

    @on(OptionList.OptionSelected, "#finding-evidence")
    def _evidence_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        finding = self.selected
        if finding is not None and event.option_index < len(finding.evidence):
            self._open(finding.evidence[event.option_index])

    def action_open_evidence(self) -> None:
        """Open the first evidence line of the selected finding."""
        finding = self.selected
        if finding is None or not finding.evidence:
            self.app.bell()
            return
        self._open(finding.evidence[0])

    def _open(self, evidence: Evidence) -> None:
        if evidence.source in UNOPENABLE_SOURCES:
            self.notify("That evidence came from standard input: there is no file to open.")
            return
        self.post_message(self.OpenEvidence(evidence.source, evidence.line))

    def _show_detail(self, finding: Finding | None) -> None:
        summary = self.query_one("#finding-summary", Static)
        evidence = self.query_one("#finding-evidence", OptionList)
        references = self.query_one("#finding-references", Static)
        evidence.clear_options()
        if finding is None:
            lines = ["No findings."] + [visible_text(note) for note in self._notes]
            summary.update(Text("\n".join(lines)))
            evidence.display = False
            references.update(Text(""))
            return
        label = self.get_component_rich_style("findings-view--label", partial=True)
        summary.update(self._summary(finding, label))
        evidence.display = bool(finding.evidence)
        evidence.add_options(
            Option(Text.assemble((_where(item), label), "  ", visible_text(item.text)))
            for item in finding.evidence
        )
        evidence.highlighted = 0 if finding.evidence else None
        text = Text()
        if finding.references:
            text.append("References\n", style=label)
            for ref in finding.references:
                anchor = f"#{ref.anchor}" if ref.anchor else ""
                text.append(f"  {visible_text(ref.title)}: {visible_text(ref.path)}{anchor}\n")
        references.update(text)

    def _summary(self, finding: Finding, label: Style) -> Text:
        severity = self.get_component_rich_style(f"findings-view--{finding.severity.value}", partial=True)
        text = Text()
        text.append(finding.severity.value.upper(), style=severity)
        text.append(f"  {finding.role} · {visible_text(finding.category)} · {finding.engine}")
        text.append(f" · confidence {finding.confidence:.2f}\n")
        text.append(visible_text(finding.title) + "\n", style="bold")
        if finding.resource:
            path = f" ({visible_text(finding.field_path)})" if finding.field_path else ""
            text.append(f"Resource: {visible_text(finding.resource)}{path}\n")
        if finding.occurrence and finding.occurrence.count > 1:
            seen = finding.occurrence
            text.append(f"Seen {seen.count:,} times, lines {seen.first_line:,} to {seen.last_line:,}\n")
        if finding.explanation:
            text.append("\n" + _multiline(finding.explanation) + "\n")
        if finding.fix:
            text.append("\nFix\n", style=label)
            text.append(_multiline(finding.fix) + "\n")
        if finding.evidence:
            text.append("\nEvidence", style=label)
            text.append(" (Enter opens the log at the line)")
        else:
            text.append("\nNo evidence lines.")
        return text
