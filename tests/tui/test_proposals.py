"""The proposal dialog, the TUI approver and the proposals list, driven by Textual's pilot.

Each test runs a small host app holding a `ProposalsView`; `decide_and_apply` runs in a
thread with a `TuiApprover`, as a turn's worker does, while the pilot presses the keys.
"""

from __future__ import annotations

import contextlib
import io
import subprocess
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from textual.app import App, ComposeResult
from textual.widgets import DataTable, Static, TextArea

from assistant.approvals import Outcome, decide_and_apply
from assistant.audit import AuditLog
from assistant.tui.approver import ProposalsView, TuiApprover, audit_states
from assistant.tui.proposal_screen import (
    Decision,
    EditorError,
    ProposalScreen,
    check_proposal,
    edit_externally,
    editor_argv,
)
from tools.proposals import Proposal, file_edit_proposal

SIZE = (80, 24)
OLD = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n  namespace: shop\ndata:\n  level: info\n"
NEW = OLD.replace("level: info", "level: debug")
EDITED = OLD.replace("level: info", "level: warn")


class Host(App[None]):
    """A stand-in for the shipmate app: the proposals list, an audit log, a workspace."""

    def __init__(self, root: Path, audit: AuditLog) -> None:
        super().__init__()
        self.root = root
        self.audit = audit

    def compose(self) -> ComposeResult:
        yield ProposalsView(self.audit, self.root, id="proposals")


class SuspendingHost(Host):
    """The headless driver cannot suspend: here suspending does nothing, as if the terminal were handed over."""

    @contextlib.contextmanager
    def suspend(self) -> Iterator[None]:
        yield


class Decider(threading.Thread):
    """`decide_and_apply` in a thread, as the agent's review does from the turn's worker."""

    def __init__(
        self,
        proposals: list[Proposal],
        approver: TuiApprover,
        root: Path,
        audit: AuditLog,
        commit: bool = False,
    ) -> None:
        super().__init__(daemon=True)
        self.args = (proposals, approver, root, audit)
        self.commit = commit
        self.outcomes: list[Outcome] = []

    def run(self) -> None:
        proposals, approver, root, audit = self.args
        self.outcomes = decide_and_apply(proposals, approver, root, audit, commit=self.commit)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "k8s").mkdir(parents=True)
    (root / "k8s" / "config.yaml").write_text(OLD)
    return root


def _proposal(root: Path, text: str = NEW, name: str = "k8s/config.yaml") -> Proposal:
    return file_edit_proposal(
        root, root / name, text, "log level debug", "to see the failing requests", "agent"
    )


async def _until(pilot: Any, condition: Callable[[], bool], what: str) -> None:
    for _ in range(750):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"timed out waiting for {what}")


async def _dialog(
    app: App[Any], pilot: Any, validated: bool = True, after: ProposalScreen | None = None
) -> ProposalScreen:
    """The open dialog (a new one when `after`, the previous dialog, is given), once validated."""
    await _until(
        pilot, lambda: isinstance(app.screen, ProposalScreen) and app.screen is not after, "the dialog"
    )
    screen = app.screen
    assert isinstance(screen, ProposalScreen)
    if validated:
        await _until(pilot, lambda: screen.checked is not None, "validation")
    return screen


def _text(screen: Any, selector: str) -> str:
    """What a Static shows, as plain text (a Syntax or Text rendered without styles)."""
    console = Console(width=200, file=io.StringIO(), record=True, color_system=None)
    console.print(screen.query_one(selector, Static).content)
    return console.export_text().rstrip("\n")


def _events(audit: AuditLog) -> list[str]:
    return [str(r["event"]) for r in audit.records()]


@pytest.mark.anyio
async def test_approve_applies_the_edit_and_the_list_follows_the_audit_log(
    tmp_path: Path, workspace: Path
) -> None:
    audit = AuditLog(tmp_path / "audit.jsonl")
    app = Host(workspace, audit)
    async with app.run_test(size=SIZE) as pilot:
        proposal = _proposal(workspace)
        decider = Decider([proposal], TuiApprover(app, workspace), workspace, audit)
        decider.start()
        screen = await _dialog(app, pilot)
        assert "log level debug" in _text(screen, "#heading")
        assert "-  level: info" in _text(screen, "#diff")
        assert "+  level: debug" in _text(screen, "#diff")
        assert "from agent" in _text(screen, "#about")
        assert screen.checked is not None
        assert screen.checked.status == "valid"
        assert _text(screen, "#validation").startswith("valid (kubernetes: 1 objects")
        await pilot.press("a")
        await _until(pilot, lambda: not decider.is_alive(), "decide_and_apply")
        view = app.query_one(ProposalsView)
        await _until(pilot, lambda: view.state_of(proposal.id) == "applied", "the applied state")
    assert decider.outcomes[0].applied
    assert (workspace / "k8s" / "config.yaml").read_text() == NEW
    assert _events(audit) == ["proposal", "approval", "apply"]
    assert audit.records()[1]["data"]["approver"] == "TuiApprover"


@pytest.mark.anyio
async def test_reject_with_r_or_escape_writes_nothing(tmp_path: Path, workspace: Path) -> None:
    audit = AuditLog(tmp_path / "audit.jsonl")
    app = Host(workspace, audit)
    async with app.run_test(size=SIZE) as pilot:
        first = _proposal(workspace)
        second = _proposal(workspace, EDITED)
        decider = Decider([first, second], TuiApprover(app, workspace), workspace, audit)
        decider.start()
        shown = await _dialog(app, pilot, validated=False)
        await pilot.press("r")
        screen = await _dialog(app, pilot, validated=False, after=shown)
        assert screen.proposal.id == second.id
        await pilot.press("escape")
        await _until(pilot, lambda: not decider.is_alive(), "decide_and_apply")
        view = app.query_one(ProposalsView)
        assert view.state_of(first.id) == "rejected"
        assert view.state_of(second.id) == "rejected"
    assert [o.applied for o in decider.outcomes] == [False, False]
    assert (workspace / "k8s" / "config.yaml").read_text() == OLD
    assert _events(audit) == ["proposal", "rejection", "proposal", "rejection"]


@pytest.mark.anyio
async def test_edit_then_approve_applies_the_edited_text_as_a_revision(
    tmp_path: Path, workspace: Path
) -> None:
    audit = AuditLog(tmp_path / "audit.jsonl")
    app = Host(workspace, audit)
    async with app.run_test(size=SIZE) as pilot:
        proposal = _proposal(workspace)
        decider = Decider([proposal], TuiApprover(app, workspace), workspace, audit)
        decider.start()
        screen = await _dialog(app, pilot)
        await pilot.press("e")
        editor = screen.query_one("#editor", TextArea)
        assert editor.has_focus
        assert editor.text == NEW
        await pilot.press("a")  # typed into the editor, not an approval
        assert decider.is_alive()
        editor.load_text(EDITED)
        await pilot.press("ctrl+s")
        assert not screen.editing
        assert screen.current.id != proposal.id
        assert "+  level: warn" in _text(screen, "#diff")
        assert "your edit of" in _text(screen, "#heading")
        await _until(pilot, lambda: screen.checked is not None, "validation of the edit")
        assert screen.checked is not None
        assert screen.checked.status == "valid"
        await pilot.press("a")
        await _until(pilot, lambda: not decider.is_alive(), "decide_and_apply")
        view = app.query_one(ProposalsView)
        await _until(pilot, lambda: view.state_of(proposal.id) == "applied", "the applied state")
    assert (workspace / "k8s" / "config.yaml").read_text() == EDITED
    assert _events(audit) == ["proposal", "revision", "approval", "apply"]
    revision = audit.records()[1]["data"]
    assert revision["id"] == proposal.id
    assert revision["revised_id"] == screen.current.id
    assert revision["origin"] == "human"


@pytest.mark.anyio
async def test_an_edit_that_breaks_the_yaml_shows_the_problem_before_approving(
    tmp_path: Path, workspace: Path
) -> None:
    audit = AuditLog(tmp_path / "audit.jsonl")
    app = Host(workspace, audit)
    async with app.run_test(size=SIZE) as pilot:
        decider = Decider([_proposal(workspace)], TuiApprover(app, workspace), workspace, audit)
        decider.start()
        screen = await _dialog(app, pilot)
        await pilot.press("e")
        screen.query_one("#editor", TextArea).load_text(OLD.replace("level: info", "level: [debug"))
        await pilot.press("ctrl+s")
        await _until(pilot, lambda: screen.checked is not None, "validation of the edit")
        assert screen.checked is not None
        assert screen.checked.status == "problems"
        shown = _text(screen, "#validation")
        assert shown.startswith("does not validate")
        assert "k8s/config.yaml:" in shown
        assert "did not find expected" in shown
        await pilot.press("r")
        await _until(pilot, lambda: not decider.is_alive(), "decide_and_apply")
    assert (workspace / "k8s" / "config.yaml").read_text() == OLD


@pytest.mark.anyio
async def test_escape_in_the_editor_drops_the_change_and_keeps_the_dialog(
    tmp_path: Path, workspace: Path
) -> None:
    audit = AuditLog(tmp_path / "audit.jsonl")
    app = Host(workspace, audit)
    async with app.run_test(size=SIZE) as pilot:
        proposal = _proposal(workspace)
        decider = Decider([proposal], TuiApprover(app, workspace), workspace, audit)
        decider.start()
        screen = await _dialog(app, pilot)
        await pilot.press("e")
        screen.query_one("#editor", TextArea).load_text("something else\n")
        await pilot.press("escape")
        assert not screen.editing
        assert app.screen is screen
        assert screen.query_one("#editor", TextArea).text == NEW
        await pilot.press("a")
        await _until(pilot, lambda: not decider.is_alive(), "decide_and_apply")
    assert (workspace / "k8s" / "config.yaml").read_text() == NEW
    assert "revision" not in _events(audit)


def _editor_script(tmp_path: Path, body: str) -> Path:
    script = tmp_path / "editor.sh"
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(0o755)
    return script


def test_the_external_editor_runs_as_argv_on_a_temporary_copy(tmp_path: Path) -> None:
    script = _editor_script(
        tmp_path,
        'test "$1" = --wait || exit 9\necho "$2" > "$(dirname "$0")/seen"\nprintf \'a: 3\\n\' > "$2"',
    )
    edited = edit_externally("a: 1\n", "k8s/config.yaml", {"EDITOR": f"{script} --wait"})
    assert edited == "a: 3\n"
    seen = Path((tmp_path / "seen").read_text().strip())
    assert seen.name == "config.yaml"  # the file's own name, so the editor picks its syntax
    assert not seen.exists()  # deleted afterwards
    assert editor_argv({"VISUAL": "code --wait", "EDITOR": "nano"}) == ["code", "--wait"]
    assert editor_argv({"EDITOR": "'my editor' -n"}) == ["my editor", "-n"]
    assert editor_argv({}) == ["vi"]


def test_an_editor_that_fails_or_is_missing_changes_nothing(tmp_path: Path) -> None:
    failing = _editor_script(tmp_path, "exit 3")
    with pytest.raises(EditorError, match="exited with status 3"):
        edit_externally("a: 1\n", "x.yaml", {"EDITOR": str(failing)})
    with pytest.raises(EditorError, match="cannot start"):
        edit_externally("a: 1\n", "x.yaml", {"EDITOR": str(tmp_path / "no-such-editor")})
    with pytest.raises(EditorError, match="cannot read the editor command"):
        edit_externally("a: 1\n", "x.yaml", {"EDITOR": "'unbalanced"})
    semicolon = _editor_script(tmp_path, "exit 0")
    # No shell: `;` is part of an argument, so nothing after it runs.
    assert (
        edit_externally("a: 1\n", "x.yaml", {"EDITOR": f"{semicolon} ; touch {tmp_path / 'pwned'}"})
        == "a: 1\n"
    )
    assert not (tmp_path / "pwned").exists()


@pytest.mark.anyio
async def test_ctrl_e_edits_in_the_editor_and_the_revision_is_applied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "settings.yaml").write_text("a: 1\n")
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", str(_editor_script(tmp_path, "printf 'a: 3\\n' > \"$1\"")))
    audit = AuditLog(tmp_path / "audit.jsonl")
    app = SuspendingHost(root, audit)
    async with app.run_test(size=SIZE) as pilot:
        proposal = _proposal(root, "a: 2\n", "settings.yaml")
        decider = Decider([proposal], TuiApprover(app, root), root, audit)
        decider.start()
        screen = await _dialog(app, pilot)
        assert screen.checked is not None
        assert screen.checked.status == "not_validated"  # YAML with no kind: not a manifest
        await pilot.press("ctrl+e")
        assert "+a: 3" in _text(screen, "#diff")
        await _until(pilot, lambda: screen.checked is not None, "validation of the edit")
        await pilot.press("a")
        await _until(pilot, lambda: not decider.is_alive(), "decide_and_apply")
    assert (root / "settings.yaml").read_text() == "a: 3\n"
    assert _events(audit) == ["proposal", "revision", "approval", "apply"]


@pytest.mark.anyio
async def test_ctrl_e_where_the_terminal_cannot_be_handed_over_says_so(
    tmp_path: Path, workspace: Path
) -> None:
    audit = AuditLog(tmp_path / "audit.jsonl")
    app = Host(workspace, audit)  # the headless test driver cannot suspend
    async with app.run_test(size=SIZE) as pilot:
        screen = ProposalScreen(_proposal(workspace), workspace)
        await app.push_screen(screen)
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert app.screen is screen
        assert any("cannot hand over" in str(n.message) for n in app._notifications)


@pytest.mark.anyio
async def test_a_command_shows_its_argv_as_a_list_and_cannot_be_edited(
    tmp_path: Path, workspace: Path
) -> None:
    audit = AuditLog(tmp_path / "audit.jsonl")
    app = Host(workspace, audit)
    argv = ["kubectl", "get", "pods", "-n", "shop; rm -rf /"]
    command = Proposal(id="cmd-1", title="[bold]list pods[/bold]", kind="command", argv=argv, origin="agent")
    async with app.run_test(size=SIZE) as pilot:
        approver = TuiApprover(app, workspace)
        answers: list[bool | Proposal] = []
        thread = threading.Thread(target=lambda: answers.append(approver.decide(command)), daemon=True)
        thread.start()
        screen = await _dialog(app, pilot)
        shown = _text(screen, "#argv")
        assert 'argv[0] "kubectl"' in shown
        assert 'argv[4] "shop; rm -rf /"' in shown
        assert "kubectl get pods" not in shown  # never joined into a shell line
        assert "[bold]list pods[/bold]" in _text(screen, "#heading")  # markup shown, not obeyed
        assert screen.checked is not None
        assert screen.checked.status == "problems"
        assert "refused" in _text(screen, "#validation")
        assert not screen.query("#editor")
        assert not screen.query("#edit")
        await pilot.press("e")
        await pilot.press("ctrl+e")
        assert not screen.editing
        assert app.screen is screen
        await pilot.press("a")
        await _until(pilot, lambda: not thread.is_alive(), "the decision")
    assert answers == [True]


@pytest.mark.anyio
async def test_the_approver_returns_each_decision_to_its_thread(tmp_path: Path, workspace: Path) -> None:
    audit = AuditLog(tmp_path / "audit.jsonl")
    app = Host(workspace, audit)
    async with app.run_test(size=SIZE) as pilot:
        approver = TuiApprover(app, workspace)
        proposal = _proposal(workspace)
        answers: list[bool | Proposal] = []

        def ask() -> None:
            for _ in range(3):
                answers.append(approver.decide(proposal))

        thread = threading.Thread(target=ask, daemon=True)
        thread.start()
        first = await _dialog(app, pilot)
        await pilot.press("a")
        second = await _dialog(app, pilot, after=first)
        await pilot.press("r")
        screen = await _dialog(app, pilot, after=second)
        await pilot.press("e")
        screen.query_one("#editor", TextArea).load_text(EDITED)
        await pilot.press("ctrl+s")
        await pilot.click("#approve")
        await _until(pilot, lambda: not thread.is_alive(), "three decisions")
    assert answers[:2] == [True, False]
    revised = answers[2]
    assert isinstance(revised, Proposal)
    assert revised.edit is not None
    assert revised.edit.new_text == EDITED
    assert revised.edit.path == "k8s/config.yaml"


@pytest.mark.anyio
async def test_a_cancelled_turn_closes_the_dialog_as_a_rejection(tmp_path: Path, workspace: Path) -> None:
    audit = AuditLog(tmp_path / "audit.jsonl")
    app = Host(workspace, audit)
    turn_cancelled = threading.Event()
    async with app.run_test(size=SIZE) as pilot:
        approver = TuiApprover(app, workspace, cancelled=turn_cancelled.is_set, poll_seconds=0.02)
        decider = Decider([_proposal(workspace)], approver, workspace, audit)
        decider.start()
        await _dialog(app, pilot, validated=False)
        turn_cancelled.set()
        await _until(pilot, lambda: not decider.is_alive(), "decide_and_apply")
        await _until(pilot, lambda: not isinstance(app.screen, ProposalScreen), "the dialog to close")
        assert approver.decide(_proposal(workspace, EDITED)) is False  # no dialog while cancelled
        turn_cancelled.clear()
        thread = threading.Thread(target=lambda: answers.append(approver.decide(_proposal(workspace))))
        answers: list[bool | Proposal] = []
        thread.start()
        await _dialog(app, pilot, validated=False)
        approver.cancel()
        await _until(pilot, lambda: not thread.is_alive(), "the cancelled decision")
    assert decider.outcomes[0].applied is False
    assert answers == [False]
    assert (workspace / "k8s" / "config.yaml").read_text() == OLD


@pytest.mark.anyio
async def test_undo_restores_the_file_and_the_list_says_so(tmp_path: Path, workspace: Path) -> None:
    audit = AuditLog(tmp_path / "audit.jsonl")
    app = Host(workspace, audit)
    async with app.run_test(size=SIZE) as pilot:
        proposal = _proposal(workspace)
        decider = Decider([proposal], TuiApprover(app, workspace), workspace, audit)
        decider.start()
        await _dialog(app, pilot, validated=False)
        await pilot.press("a")
        await _until(pilot, lambda: not decider.is_alive(), "decide_and_apply")
        assert (workspace / "k8s" / "config.yaml").read_text() == NEW
        view = app.query_one(ProposalsView)
        view.query_one(DataTable).focus()
        await pilot.press("u")
        await _until(pilot, lambda: view.state_of(proposal.id) == "undone", "the undone state")
        assert "undid " + proposal.id in _text(view, "#proposals-result")
        assert (workspace / "k8s" / "config.yaml").read_text() == OLD
        await pilot.click("#proposals-undo")
        await _until(
            pilot,
            lambda: "nothing undone" in _text(view, "#proposals-result"),
            "the second undo",
        )
    assert _events(audit)[-1] == "undo"


def _git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True)
    return done.stdout.strip()


@pytest.mark.anyio
async def test_in_a_git_repository_the_approved_edit_is_committed_and_undo_reverts_it(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    (root / "k8s").mkdir(parents=True)
    _git(root, "init", "-q", "-b", "main")
    _git(root, "config", "user.name", "Test")
    _git(root, "config", "user.email", "test@example.com")
    (root / "k8s" / "config.yaml").write_text(OLD)
    _git(root, "add", ".")
    _git(root, "commit", "-q", "-m", "first")
    audit = AuditLog(tmp_path / "audit.jsonl")
    app = Host(root, audit)
    async with app.run_test(size=SIZE) as pilot:
        proposal = _proposal(root)
        decider = Decider([proposal], TuiApprover(app, root), root, audit, commit=True)
        decider.start()
        await _dialog(app, pilot, validated=False)
        await pilot.press("a")
        await _until(pilot, lambda: not decider.is_alive(), "decide_and_apply")
        assert _git(root, "log", "-1", "--format=%s") == "shipmate: log level debug"
        view = app.query_one(ProposalsView)
        view.query_one(DataTable).focus()
        await pilot.press("u")
        await _until(pilot, lambda: view.state_of(proposal.id) == "undone", "the undone state")
        assert "reverted" in _text(view, "#proposals-result")
    assert (root / "k8s" / "config.yaml").read_text() == OLD
    assert _git(root, "log", "-1", "--format=%s").startswith("Revert")
    assert _events(audit) == ["proposal", "approval", "apply", "commit", "undo"]


@pytest.mark.anyio
async def test_a_listed_proposal_reopens_read_only(tmp_path: Path, workspace: Path) -> None:
    audit = AuditLog(tmp_path / "audit.jsonl")
    app = Host(workspace, audit)
    async with app.run_test(size=SIZE) as pilot:
        proposal = _proposal(workspace)
        decider = Decider([proposal], TuiApprover(app, workspace), workspace, audit)
        decider.start()
        await _dialog(app, pilot, validated=False)
        await pilot.press("r")
        await _until(pilot, lambda: not decider.is_alive(), "decide_and_apply")
        view = app.query_one(ProposalsView)
        view.query_one(DataTable).focus()
        await pilot.press("enter")
        screen = await _dialog(app, pilot)
        assert screen.read_only
        assert "[rejected]" in _text(screen, "#heading")
        assert "+  level: debug" in _text(screen, "#diff")
        assert not screen.query("#approve")
        await pilot.press("a", "e")
        assert app.screen is screen
        await pilot.press("escape")
        assert not isinstance(app.screen, ProposalScreen)
    assert (workspace / "k8s" / "config.yaml").read_text() == OLD
    assert _events(audit) == ["proposal", "rejection"]


@pytest.mark.anyio
async def test_untrusted_text_is_never_markup_and_control_characters_show(
    tmp_path: Path, workspace: Path
) -> None:
    audit = AuditLog(tmp_path / "audit.jsonl")
    app = Host(workspace, audit)
    hostile = "# [red]x[/red] [link=http://evil]y[/link]\x1b[2J\n" + OLD
    proposal = file_edit_proposal(
        workspace, workspace / "k8s" / "config.yaml", hostile, "[b]t[/b]", "[i]why[/i]", "[u]agent[/u]"
    )
    async with app.run_test(size=SIZE) as pilot:
        screen = ProposalScreen(proposal, workspace)
        await app.push_screen(screen)
        await _until(pilot, lambda: screen.checked is not None, "validation")
        diff = _text(screen, "#diff")
        assert "[red]x[/red] [link=http://evil]y[/link]" in diff
        assert "\\x1b[2J" in diff
        assert "\x1b" not in diff
        assert "[b]t[/b]" in _text(screen, "#heading")
        assert "[i]why[/i]" in _text(screen, "#about")
        assert "[u]agent[/u]" in _text(screen, "#about")


def test_validation_by_file_type(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    (root / "infra").mkdir(parents=True)
    (root / "infra" / "variables.tf").write_text('variable "name" {\n  type = string\n}\n')
    uses_variable = 'resource "aws_s3_bucket" "b" {\n  bucket = var.name\n}\n'
    terraform = check_proposal(
        file_edit_proposal(root, root / "infra" / "main.tf", uses_variable, "s3"), root
    )
    assert terraform.status == "valid"  # var.name is declared in the folder's other file
    assert all("/tmp" not in line and "shipmate-proposal" not in line for line in terraform.lines)
    assert any(line.startswith("low: infra/main.tf:1:") for line in terraform.lines)
    undeclared = uses_variable.replace("var.name", "var.other")
    broken = check_proposal(file_edit_proposal(root, root / "infra" / "main.tf", undeclared, "s3"), root)
    assert broken.status == "problems"
    assert any("var.other" in line for line in broken.lines)

    compose_text = "services:\n  web:\n    image: nginx\n    privileged: true\n"
    compose = check_proposal(file_edit_proposal(root, root / "docker-compose.yml", compose_text, "c"), root)
    assert compose.status == "problems"
    assert any("COMPOSE_PRIVILEGED" in line for line in compose.lines)

    other = check_proposal(file_edit_proposal(root, root / "README.md", "# hi\n", "readme"), root)
    assert other.status == "not_validated"
    assert other.headline == "not validated (no validator for README.md)"


def test_a_decision_answers_as_an_approver_does(workspace: Path) -> None:
    revised = _proposal(workspace, EDITED)
    assert Decision(False).answer() is False
    assert Decision(True).answer() is True
    assert Decision(True, revised).answer() is revised
    assert Decision(False, revised).answer() is False


def test_states_follow_the_audit_log_from_the_last_proposal_record(tmp_path: Path) -> None:
    audit = AuditLog(tmp_path / "audit.jsonl")
    audit.append("proposal", id="edit-1")
    audit.append("approval", id="edit-1")
    audit.append("apply", id="edit-1")
    audit.append("undo", id="edit-1", apply_seq=3)
    audit.append("proposal", id="edit-1")  # the same change proposed again
    audit.append("revision", id="edit-1", revised_id="edit-2")
    audit.append("approval", id="edit-2")
    audit.append("refusal", id="edit-2", reason="changed since the fix was proposed")
    audit.append("proposal", id="cmd-1")
    audit.append("approval", id="cmd-1")
    audit.append("refusal", id="edit-9", action="undo", reason="x")
    states = audit_states(audit.records(), ["edit-1", "cmd-1", "unknown"])
    assert states == {
        "edit-1": ("refused", "changed since the fix was proposed"),
        "cmd-1": ("approved", ""),
    }
