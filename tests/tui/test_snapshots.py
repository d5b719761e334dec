"""Snapshots of the main screens at 80x24, dark and light (pytest-textual-snapshot).

Regenerate after a deliberate change with `pytest tests/tui/test_snapshots.py --snapshot-update`
and look at the SVGs in tests/tui/__snapshots__/ before committing them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assistant.config import load_settings
from assistant.tui.app import ShipmateApp, create_app
from assistant.tui.chat_input import ChatInput
from tests.tui.test_app import _send, _settle
from tools.proposals import file_edit_proposal

SIZE = (80, 24)


def _app(root: Path, theme: str = "textual-dark") -> ShipmateApp:
    app = create_app(
        root, offline=True, session_file=root / "s.json", settings_loader=lambda: load_settings({})
    )
    app.theme = theme
    return app


async def _ready(app: ShipmateApp, pilot: Any) -> None:
    await _settle(app, pilot)
    app.sub_title = "~/src/shop"  # the workspace path differs per run
    app.query_one(ChatInput).cursor_blink = False  # a blinking cursor is drawn or not by chance


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    root = tmp_path / "shop"
    root.mkdir()
    (root / "deploy.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shop\ndata:\n  a: '1'\n"
    )
    return root


def test_main_screen_after_help(snap_compare: Any, workspace: Path) -> None:
    async def run_before(pilot: Any) -> None:
        await _ready(pilot.app, pilot)
        await _send(pilot.app, pilot, "/help")
        await pilot.wait_for_scheduled_animations()

    assert snap_compare(_app(workspace), terminal_size=SIZE, run_before=run_before)


def test_main_screen_light_theme(snap_compare: Any, workspace: Path) -> None:
    async def run_before(pilot: Any) -> None:
        await _ready(pilot.app, pilot)

    assert snap_compare(_app(workspace, "textual-light"), terminal_size=SIZE, run_before=run_before)


def test_help_screen(snap_compare: Any, workspace: Path) -> None:
    async def run_before(pilot: Any) -> None:
        await _ready(pilot.app, pilot)
        await pilot.press("f1")
        await pilot.pause()

    assert snap_compare(_app(workspace), terminal_size=SIZE, run_before=run_before)


def test_proposal_screen(snap_compare: Any, workspace: Path) -> None:
    from assistant.tui.proposal_screen import ProposalScreen

    proposal = file_edit_proposal(
        workspace,
        workspace / "deploy.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shop\ndata:\n  a: '2'\n",
        "raise a to 2",
        "a must be 2 for the new release",
        origin="agent",
    )

    async def run_before(pilot: Any) -> None:
        await _ready(pilot.app, pilot)
        screen = ProposalScreen(proposal, workspace)
        pilot.app.push_screen(screen)
        for _ in range(100):
            await pilot.pause(0.05)
            if screen.checked is not None:
                break
        await pilot.pause()

    assert snap_compare(_app(workspace), terminal_size=SIZE, run_before=run_before)
