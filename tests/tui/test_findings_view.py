"""FindingsView: table rows, detail pane, OpenEvidence on Enter, and a host app opening LogScreen there."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rich.text import Text
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import DataTable, OptionList, Static

from assistant.tui.findings_view import FindingsView
from assistant.tui.log_screen import LogScreen
from tools.findings import Evidence, Finding, Reference, Severity
from tools.logs.report import DiagnosisReport, InputSummary, Stats


def report(log: Path) -> DiagnosisReport:
    """Three findings: a cause with two evidence lines, a symptom, and one without evidence."""
    source = str(log)
    findings = [
        Finding(
            id="k8s-secret-not-found",
            category="config.missing-secret",
            title='Secret "payments-db" not found',
            severity=Severity.CRITICAL,
            evidence=[
                Evidence(source=source, line=3, text='Error: secret "payments-db" not found'),
                Evidence(source=source, line=7, text="[bold]markup[/bold] \x1b[31m not styled"),
            ],
            explanation="The pod references a Secret that does not exist.\nIt cannot start.",
            fix="Create the Secret: kubectl create secret generic payments-db ...",
            references=[Reference(title="Missing Secret", path="runbooks/missing-secret.md", anchor="fix")],
            confidence=0.93,
            engine="signature",
        ),
        Finding(
            id="k8s-crashloop",
            category="k8s.crashloop",
            title="CrashLoopBackOff",
            severity=Severity.HIGH,
            evidence=[Evidence(source=source, line=9, text="Back-off restarting failed container")],
            confidence=0.6,
            engine="signature",
            role="symptom",
        ),
        Finding(
            id="mined-1",
            category="unknown",
            title="[red]weird[/red] template",
            severity=Severity.LOW,
            confidence=0.3,
            engine="mining",
            role="context",
        ),
    ]
    stats = Stats(bytes=100, lines=10, seconds=0.01, signatures=1, unexplained_templates=1)
    return DiagnosisReport(inputs=[InputSummary(source=source, lines=10)], findings=findings, stats=stats)


class Host(App[None]):
    """Hosts a FindingsView and, like the real app, opens LogScreen for OpenEvidence."""

    def __init__(self, diagnosis: DiagnosisReport, open_logs: bool = False) -> None:
        super().__init__()
        self.diagnosis, self.open_logs = diagnosis, open_logs
        self.opened: list[tuple[str, int]] = []

    def compose(self) -> ComposeResult:
        yield FindingsView()

    def on_mount(self) -> None:
        self.query_one(FindingsView).show_report(self.diagnosis)
        self.query_one(DataTable).focus()

    def on_findings_view_open_evidence(self, message: FindingsView.OpenEvidence) -> None:
        self.opened.append((message.source, message.line))
        if self.open_logs:
            self.push_screen(LogScreen(Path(message.source), message.line))


async def until(pilot: Pilot[None], condition: Callable[[], bool], timeout: float = 30.0) -> None:
    for _ in range(int(timeout / 0.02)):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError("condition never held")


def static_text(app: App[None], selector: str) -> str:
    content = app.query_one(selector, Static).content
    assert isinstance(content, Text)  # plain Text: never parsed as markup
    return content.plain


@pytest.fixture
def log(tmp_path: Path) -> Path:
    path = tmp_path / "describe.txt"
    path.write_text("".join(f"line {n} of the pod description\n" for n in range(1, 21)))
    return path


@pytest.mark.anyio
async def test_table_rows_and_detail_pane(log: Path) -> None:
    app = Host(report(log))
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(DataTable)
        assert table.row_count == 3
        cells = [[cell.plain for cell in table.get_row_at(row)] for row in range(3)]
        assert cells[0] == [
            "CRITICAL",
            "config.missing-se…",
            'Secret "payments-db" not found',
            "describe.txt:3",
        ]
        assert cells[1] == ["HIGH", "k8s.crashloop", "CrashLoopBackOff", "describe.txt:9"]
        assert cells[2] == ["LOW", "unknown", "[red]weird[/red] template", "-"]  # literal, not markup

        summary = static_text(app, "#finding-summary")
        assert summary.startswith("CRITICAL  cause · config.missing-secret · signature · confidence 0.93")
        assert "The pod references a Secret that does not exist.\nIt cannot start." in summary
        assert "Create the Secret: kubectl create secret generic payments-db" in summary
        assert "Missing Secret: runbooks/missing-secret.md#fix" in static_text(app, "#finding-references")
        evidence = app.query_one("#finding-evidence", OptionList)
        prompts = [str(evidence.get_option_at_index(i).prompt) for i in range(evidence.option_count)]
        assert prompts == [
            f'{log}:3  Error: secret "payments-db" not found',
            f"{log}:7  [bold]markup[/bold] ^[[31m not styled",
        ]

        await pilot.press("down", "down")
        assert app.query_one(FindingsView).selected is not None
        assert "[red]weird[/red] template" in static_text(app, "#finding-summary")
        assert "No evidence lines." in static_text(app, "#finding-summary")
        assert not evidence.display
        await pilot.press("enter")  # no evidence: nothing to open
        assert app.opened == []


@pytest.mark.anyio
async def test_enter_posts_open_evidence(log: Path) -> None:
    app = Host(report(log))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await until(pilot, lambda: bool(app.opened))
        assert app.opened == [(str(log), 3)]
        await pilot.press("down", "enter")
        await until(pilot, lambda: len(app.opened) == 2)
        assert app.opened[1] == (str(log), 9)
        await pilot.press("up", "tab", "tab")  # past the detail pane (it scrolls) into its evidence lines
        assert isinstance(app.focused, OptionList)
        await pilot.press("down", "enter")
        await until(pilot, lambda: len(app.opened) == 3)
        assert app.opened[2] == (str(log), 7)


@pytest.mark.anyio
async def test_host_opens_log_screen_at_the_evidence_line(log: Path) -> None:
    app = Host(report(log), open_logs=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("down", "enter")
        await until(pilot, lambda: isinstance(app.screen, LogScreen) and app.screen.log_view.cursor_line == 9)
        screen = app.screen
        assert isinstance(screen, LogScreen)
        assert screen.title == str(log)
        view = screen.log_view
        shown = [view.render_line(y).text for y in range(view.scrollable_content_region.height)]
        assert any(row.startswith(" 9 > line 9 of the pod description") for row in shown)
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, LogScreen))
        assert isinstance(app.focused, DataTable)


@pytest.mark.anyio
async def test_no_findings_shows_the_notes(log: Path) -> None:
    empty = report(log).model_copy(update={"findings": [], "notes": ["skipped core.bin: binary data"]})
    app = Host(empty)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.query_one(DataTable).row_count == 0
        assert static_text(app, "#finding-summary") == "No findings.\nskipped core.bin: binary data"
        await pilot.press("enter")
        assert app.opened == []


def test_the_view_knows_every_severity() -> None:
    from assistant.tui.findings_view import SEVERITIES
    from tools.findings import Severity

    assert tuple(s.value for s in Severity) == SEVERITIES
