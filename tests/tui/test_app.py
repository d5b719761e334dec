"""The chat app driven by Textual's pilot: offline turns, slash commands, errors inline, resume."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from assistant.config import LoadedSettings, load_settings
from assistant.tui.app import ShipmateApp, create_app
from assistant.tui.chat_input import ChatInput
from assistant.tui.status import ActivityPanel, StatusBar
from assistant.tui.transcript import Entry, Transcript, save_entries
from tests.integration.test_cli import run

REPO = Path(__file__).resolve().parent.parent.parent
SIZE = (100, 30)


def _settings(**flags: Any) -> Any:
    def load() -> LoadedSettings:
        return load_settings(flags)

    return load


def _texts(app: ShipmateApp) -> list[tuple[str, str]]:
    return [(e.role, e.markdown) for e in app.query_one(Transcript).entries]


async def _send(app: ShipmateApp, pilot: Any, text: str) -> None:
    """Type `text`, send it, and wait until its turn has been handled to the end."""
    chat = app.query_one(ChatInput)
    chat.load_text(text)
    chat.focus()
    before = app.turns_finished
    await pilot.press("enter")
    for _ in range(600):
        if app.turns_finished > before:
            break
        await pilot.pause(0.05)
    await _settle(app, pilot)


async def _settle(app: ShipmateApp, pilot: Any) -> None:
    for _ in range(400):
        await pilot.pause(0.05)
        if app._cancel is None and app.engine is not None:
            break
    await pilot.pause()


@pytest.mark.anyio
async def test_offline_start_says_offline_and_help_lists_the_commands(tmp_path: Path) -> None:
    app = create_app(tmp_path, offline=True, session_file=tmp_path / "s.json", settings_loader=_settings())
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        status = str(app.query_one(StatusBar).render())
        assert "offline" in status
        await _send(app, pilot, "/help")
        role, text = _texts(app)[-1]
        assert role == "note"
        assert "`/diagnose PATH|--cluster [NS]`" in text
        assert "`/undo`" in text


@pytest.mark.anyio
async def test_diagnose_and_validate_by_slash_command(tmp_path: Path) -> None:
    shutil.copytree(REPO / "examples" / "k8s-missing-secret", tmp_path / "incident")
    shutil.copy(REPO / "examples" / "validate" / "k8s" / "checkout.yaml", tmp_path / "checkout.yaml")
    seen: list[Any] = []
    app = create_app(tmp_path, offline=True, session_file=tmp_path / "s.json", settings_loader=_settings())
    app.show_findings = seen.append  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        await _send(app, pilot, "/diagnose incident")
        assert seen
        assert seen[0].findings[0].category
        assert "secret" in _texts(app)[-1][1].lower()
        await _send(app, pilot, "/validate checkout.yaml")
        assert "checkout.yaml" in _texts(app)[-1][1]


@pytest.mark.anyio
async def test_bad_input_is_shown_inline_and_the_app_goes_on(tmp_path: Path) -> None:
    app = create_app(tmp_path, offline=True, session_file=tmp_path / "s.json", settings_loader=_settings())
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        await _send(app, pilot, "/nonsense")
        assert _texts(app)[-1] == ("error", _texts(app)[-1][1])
        assert "is not a command" in _texts(app)[-1][1]
        await _send(app, pilot, "/diagnose missing.log")
        assert _texts(app)[-1] == ("error", "missing.log: no such file or directory")
        await _send(app, pilot, "/validate")
        assert "give exactly one path" in _texts(app)[-1][1]
        await _send(app, pilot, "/help")
        assert _texts(app)[-1][0] == "note"


@pytest.mark.anyio
async def test_plain_text_offline_searches_the_knowledge_base(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "state.md").write_text(
        "# Terraform state\n\n## Locks\n\n`Error acquiring the state lock` means another run holds it.\n"
    )
    store = tmp_path / "index"
    indexed = run("index", "--no-bundled", "--store", str(store), str(docs))
    assert indexed.returncode == 0, indexed.stderr
    loader = _settings(knowledge={"store": str(store)})
    app = create_app(tmp_path, offline=True, session_file=tmp_path / "s.json", settings_loader=loader)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        await _send(app, pilot, "Error acquiring the state lock")
        assert "Terraform state > Locks" in _texts(app)[-1][1]


@pytest.mark.anyio
async def test_history_save_clear_and_resume(tmp_path: Path) -> None:
    session = tmp_path / "s.json"
    save_entries([Entry("user", "earlier question"), Entry("assistant", "earlier answer")], session)
    app = create_app(tmp_path, offline=True, resume=True, session_file=session, settings_loader=_settings())
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        assert _texts(app)[:2] == [("user", "earlier question"), ("assistant", "earlier answer")]
        assert app.engine is not None
        assert app.engine.history[0] == {"role": "user", "content": "earlier question"}
        await _send(app, pilot, "/help")
        await _send(app, pilot, "/save chat.md")
        saved = (tmp_path / "chat.md").read_text()
        assert "### You\n\nearlier question" in saved
        chat = app.query_one(ChatInput)
        chat.focus()
        await pilot.press("up")
        assert chat.text == "/save chat.md"
        await pilot.press("up")
        assert chat.text == "/help"
        await pilot.press("down", "down")
        assert chat.text == ""
        await _send(app, pilot, "/clear")
        assert _texts(app) == []
    stored = json.loads(session.read_text())
    assert stored == []


@pytest.mark.anyio
async def test_markup_in_what_the_user_types_is_shown_literally(tmp_path: Path) -> None:
    app = create_app(tmp_path, offline=True, session_file=tmp_path / "s.json", settings_loader=_settings())
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        await _send(app, pilot, "/diagnose [bold]x[/bold]")
        assert _texts(app)[-2] == ("user", "/diagnose [bold]x[/bold]")
        assert "[bold]x[/bold]: no such file or directory" in _texts(app)[-1][1]


@pytest.mark.anyio
async def test_activity_panel_rows(tmp_path: Path) -> None:
    app = create_app(tmp_path, offline=True, session_file=tmp_path / "s.json", settings_loader=_settings())
    async with app.run_test(size=SIZE) as pilot:
        panel = app.query_one(ActivityPanel)
        panel.started("c1", "diagnose_logs", '{"path": "app.log"}')
        panel.finished("c1", 0.25, True)
        await pilot.pause()
        assert panel.row_count == 1
        assert str(panel.get_row("c1")[2]) == "250 ms"


@pytest.mark.anyio
async def test_with_a_model_the_answer_streams_and_tool_calls_show_in_the_activity_panel(
    tmp_path: Path,
) -> None:
    from tests.servers.openai_chat import answer, openai_chat_server, server_error, tool_call

    (tmp_path / "app.log").write_text("INFO start\nERROR connection refused to db:5432\n")
    with openai_chat_server() as server:
        server.queue(
            tool_call("list_files", {"pattern": "*.log"}),
            answer("The database refuses connections.\n\nSee `app.log:2`.\n", completion_tokens=12),
            server_error(),
            server_error(),
            server_error(),
            server_error(),
        )
        loader = _settings(model="openai/stub", api_base=server.base_url, api_key="k", llm={"max_retries": 0})
        app = create_app(tmp_path, session_file=tmp_path / "s.json", settings_loader=loader)
        async with app.run_test(size=SIZE) as pilot:
            await _settle(app, pilot)
            assert "model openai/stub" in str(app.query_one(StatusBar).render())
            await _send(app, pilot, "why does the app fail?")
            panel = app.query_one(ActivityPanel)
            assert panel.row_count == 1
            row = panel.get_row_at(0)
            assert str(row[0]) == "list_files"
            assert '"pattern": "*.log"' in str(row[1])
            assert str(row[2]).endswith("ms")
            role, text = _texts(app)[-1]
            assert role == "assistant"
            assert "The database refuses connections." in text
            assert "tokens" in str(app.query_one(StatusBar).render())
            await _send(app, pilot, "and now?")
            assert _texts(app)[-1][0] == "error"  # the model's failure is inline; the app goes on
            assert _texts(app)[-1][1].startswith("model: ")
            await _send(app, pilot, "/help")
            assert _texts(app)[-1][0] == "note"


async def _wait_for_screen(app: ShipmateApp, pilot: Any, name: str) -> None:
    for _ in range(200):
        await pilot.pause(0.05)
        if type(app.screen).__name__ == name:
            return
    raise AssertionError(f"{name} never opened; the screen is {type(app.screen).__name__}")


@pytest.mark.anyio
@pytest.mark.parametrize(("key", "applied"), [("a", True), ("r", False)])
async def test_the_agents_proposal_is_approved_or_rejected_in_the_dialog(
    tmp_path: Path, key: str, applied: bool
) -> None:
    from assistant.tui.approver import ProposalsView, TuiApprover
    from tests.servers.openai_chat import answer, openai_chat_server, tool_call

    (tmp_path / "config.yaml").write_text("replicas: 1\n")
    edit = {
        "path": "config.yaml",
        "new_content": "replicas: 3\n",
        "title": "three replicas",
        "rationale": "load",
    }
    with openai_chat_server() as server:
        server.queue(tool_call("propose_file_edit", edit), answer("Proposed."))
        loader = _settings(model="openai/stub", api_base=server.base_url, api_key="k")
        app = create_app(
            tmp_path,
            session_file=tmp_path / "s.json",
            settings_loader=loader,
            approver_factory=lambda a: TuiApprover(a, a.root, cancelled=a.turn_cancelled),
        )
        async with app.run_test(size=SIZE) as pilot:
            await _settle(app, pilot)
            chat = app.query_one(ChatInput)
            chat.load_text("make it three replicas")
            await pilot.press("enter")
            await _wait_for_screen(app, pilot, "ProposalScreen")
            await pilot.press(key)
            await _settle(app, pilot)
            assert (tmp_path / "config.yaml").read_text() == ("replicas: 3\n" if applied else "replicas: 1\n")
            assert app.engine is not None
            events = [r["event"] for r in app.engine.audit.records()]
            assert ("approval" in events) == applied
            assert ("rejection" in events) == (not applied)
            view = app.query_one(ProposalsView)
            view.refresh_states()
            await pilot.pause(0.2)
            assert len(view.entries) == 1


@pytest.mark.anyio
async def test_escape_cancels_a_streaming_turn_and_nothing_more_is_shown(tmp_path: Path) -> None:
    from tests.servers.openai_chat import answer, openai_chat_server

    slow = "".join(f"Paragraph {i} of a long answer.\n\n" for i in range(60))
    with openai_chat_server() as server:
        server.queue(answer(slow, chunk_delay=0.01), answer("second answer"))
        loader = _settings(model="openai/stub", api_base=server.base_url, api_key="k")
        app = create_app(tmp_path, session_file=tmp_path / "s.json", settings_loader=loader)
        async with app.run_test(size=SIZE) as pilot:
            await _settle(app, pilot)
            chat = app.query_one(ChatInput)
            chat.load_text("tell me everything")
            await pilot.press("enter")
            for _ in range(200):
                await pilot.pause(0.05)
                if app.query("AnswerMessage"):
                    break
            await pilot.press("escape")
            await pilot.pause(0.3)
            shown = _texts(app)
            assert shown[-1] == ("error", "cancelled")
            await pilot.pause(1.0)
            assert _texts(app) == shown  # the cancelled turn adds nothing after Esc
            assert app._cancel is None  # a new turn can start at once


@pytest.mark.anyio
async def test_generate_approve_then_undo_audit_and_model_commands(tmp_path: Path) -> None:
    from assistant.tui.approver import TuiApprover

    app = create_app(
        tmp_path,
        offline=True,
        session_file=tmp_path / "s.json",
        settings_loader=_settings(),
        approver_factory=lambda a: TuiApprover(a, a.root, cancelled=a.turn_cancelled),
    )
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        chat = app.query_one(ChatInput)
        chat.load_text("/generate k8s deploy ghcr.io/acme/api:1.4.2 on port 8000")
        await pilot.press("enter")
        await _wait_for_screen(app, pilot, "ProposalScreen")
        await pilot.press("a")
        await _settle(app, pilot)
        written = tmp_path / "api.yaml"
        assert "image: ghcr.io/acme/api:1.4.2" in written.read_text()
        assert "`api.yaml`: applied" in _texts(app)[-1][1]
        await _send(app, pilot, "/audit 3")
        assert "apply" in _texts(app)[-1][1]
        await _send(app, pilot, "/undo")
        assert not written.exists()
        await _send(app, pilot, "/undo")
        assert _texts(app)[-1][1].startswith("nothing undone: ")
        await _send(app, pilot, "/model")
        assert _texts(app)[-1][1] == "offline: no model configured"
        await _send(app, pilot, "/model openai/other")
        assert "model openai/other" in str(app.query_one(StatusBar).render())
        await _send(app, pilot, "/model off")
        assert "offline" in str(app.query_one(StatusBar).render())


@pytest.mark.anyio
async def test_diagnose_fills_the_findings_tab_and_enter_opens_the_log_at_the_evidence(
    tmp_path: Path,
) -> None:
    from textual.widgets import DataTable, TabbedContent

    from assistant.tui.findings_view import FindingsView
    from assistant.tui.log_view import LogView

    log = tmp_path / "app.log"
    log.write_text("INFO boot\n" * 50 + 'Error: secret "db-creds" not found\n' + "INFO idle\n" * 50)
    app = create_app(tmp_path, offline=True, session_file=tmp_path / "s.json", settings_loader=_settings())
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        await _send(app, pilot, "/diagnose app.log")
        assert app.query_one(TabbedContent).active == "findings-tab"
        view = app.query_one(FindingsView)
        assert view.findings
        evidence = view.findings[0].evidence[0]
        assert evidence.line == 51
        app.query_one(FindingsView).query_one(DataTable).focus()
        await pilot.press("enter")
        await _wait_for_screen(app, pilot, "LogScreen")
        viewer = app.screen.query_one(LogView)
        for _ in range(100):
            await pilot.pause(0.05)
            if viewer.line_count:
                break
        assert viewer.cursor_line == 51
        assert "db-creds" in viewer.line_text(51)
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ != "LogScreen"


@pytest.mark.anyio
async def test_a_resumed_session_gives_the_agent_the_earlier_turns_once(tmp_path: Path) -> None:
    from tests.servers.openai_chat import answer, openai_chat_server

    session = tmp_path / "s.json"
    save_entries(
        [Entry("user", "why is checkout down?"), Entry("assistant", "The DB secret is missing.")], session
    )
    with openai_chat_server() as server:
        server.queue(answer("Create the secret."), answer("Done."))
        loader = _settings(model="openai/stub", api_base=server.base_url, api_key="k")
        app = create_app(tmp_path, resume=True, session_file=session, settings_loader=loader)
        async with app.run_test(size=SIZE) as pilot:
            await _settle(app, pilot)
            await _send(app, pilot, "what do I do now?")
            await _send(app, pilot, "and then?")
        first = json.dumps(server.requests[0]["messages"])
        second_user = [m for m in server.requests[1]["messages"] if m["role"] == "user"][-1]["content"]
    assert "<untrusted-data" in first
    assert "The DB secret is missing." in first
    assert second_user == "and then?"


@pytest.mark.anyio
async def test_the_palette_offers_every_slash_command_and_fills_the_input(tmp_path: Path) -> None:
    app = create_app(tmp_path, offline=True, session_file=tmp_path / "s.json", settings_loader=_settings())
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        offered = {c.title: c for c in app.get_system_commands(app.screen)}
        assert {
            "/diagnose",
            "/validate",
            "/generate",
            "/ask",
            "/model",
            "/undo",
            "/audit",
            "/clear",
            "/save",
        } <= set(offered)
        offered["/validate"].callback()
        await pilot.pause()
        assert app.query_one(ChatInput).text == "/validate "


@pytest.mark.anyio
async def test_an_engine_that_cannot_start_is_reported_and_the_app_stays_up(tmp_path: Path) -> None:
    def broken(app: ShipmateApp) -> Any:
        raise OSError("audit folder is read-only")

    app = create_app(
        tmp_path,
        offline=True,
        session_file=tmp_path / "s.json",
        settings_loader=_settings(),
        approver_factory=broken,
    )
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.5)
        assert _texts(app)[0] == ("error", "shipmate could not start its engine: audit folder is read-only")
        chat = app.query_one(ChatInput)
        chat.load_text("/help")
        await pilot.press("enter")
        for _ in range(100):
            await pilot.pause(0.05)
            if app._cancel is None:
                break
        assert _texts(app)[-1] == ("error", "nothing can run: the engine did not start")


@pytest.mark.anyio
async def test_diagnose_cluster_fills_the_findings_tab_from_the_api_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textual.widgets import DataTable, TabbedContent

    from assistant.tui.findings_view import FindingsView
    from tests.servers.kube_api import TOKEN, kube_api_server, write_kubeconfig
    from tests.support.cluster_scenarios import load_scenarios

    crash = next(s for s in load_scenarios() if s.name == "crashloop-missing-env")
    app = create_app(tmp_path, offline=True, session_file=tmp_path / "s.json", settings_loader=_settings())
    with kube_api_server(crash.objects, crash.logs) as server:
        monkeypatch.setenv("KUBECONFIG", str(write_kubeconfig(tmp_path / "kube", server.base_url, TOKEN)))
        async with app.run_test(size=SIZE) as pilot:
            await _settle(app, pilot)
            await _send(app, pilot, "/diagnose --cluster shop")
            assert app.query_one(TabbedContent).active == "findings-tab"
            view = app.query_one(FindingsView)
            assert view.findings[0].category == "container.config.missing_env"
            assert "container.config.missing_env" in _texts(app)[-1][1]
            app.query_one(FindingsView).query_one(DataTable).focus()
            await pilot.press("enter")  # the evidence is cluster data: a note, no log screen
            await pilot.pause(0.2)
            assert type(app.screen).__name__ != "LogScreen"
            await _send(app, pilot, "/diagnose --cluster shop extra")
            assert "give at most one namespace" in _texts(app)[-1][1]
