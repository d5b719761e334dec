"""The terminal UI: time from launch to first paint, and input latency while a turn streams.

First paint: `shipmate chat --offline` is started in a real terminal (a detached tmux
session, 100x30) and the screen is read every 5 ms until the chat's footer is drawn;
side by side, the same measure for a bare Textual app (one Static), the floor any Textual
app pays. Goal: under 1.0 s (heavy libraries load in workers after the first frame).

Input latency: the app runs headless with a model on a local OpenAI-compatible server
that streams a long answer; while the answer streams, keys are typed into the input and
the time each takes to land is measured, side by side with the same keys typed while
idle.

    python -m evals.perf.tui [--runs 5] [--keys 100] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BARE_APP = """
from textual.app import App
from textual.widgets import Footer, Static

class Bare(App):
    BINDINGS = [("ctrl+q", "quit", "Quit")]
    def compose(self):
        yield Static("bare")
        yield Footer()

Bare().run()
"""


def first_paint(argv: list[str], marker: str, env: dict[str, str]) -> float:
    """Seconds from starting `argv` in a fresh tmux session until `marker` is on the screen."""
    session = f"shipmate-bench-{os.getpid()}-{time.monotonic_ns()}"
    command = " ".join(_quote(a) for a in argv)
    started = time.perf_counter()
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", "100", "-y", "30", command],
        env=env,
        check=True,
    )
    try:
        deadline = started + 30
        while time.perf_counter() < deadline:
            screen = subprocess.run(
                ["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True, check=False
            ).stdout
            if marker in screen:
                return time.perf_counter() - started
            time.sleep(0.005)
        raise SystemExit(f"{marker!r} never appeared; last screen:\n{screen}")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True, check=False)


def _quote(text: str) -> str:
    import shlex

    return shlex.quote(text)


async def _typing_latency(keys: int) -> tuple[list[float], list[float]]:
    """Per-key ms while idle and while a long answer streams."""
    from assistant.config import load_settings
    from assistant.tui.app import create_app
    from assistant.tui.chat_input import ChatInput
    from tests.servers.openai_chat import answer, openai_chat_server

    # a long answer (120 paragraphs, 24 YAML blocks, about 5,000 words) at about 300 words a
    # second: a fast model
    paragraph = "The `checkout` pod restarts because `DB_URL` is empty; the Secret it reads was renamed.\n"
    code = "```yaml\n" + "".join(f"- name: VAR_{i}\n  value: '{i}'\n" for i in range(20)) + "```\n"
    long_answer = "".join(f"{paragraph * 3}\n{code if i % 5 == 0 else ''}\n" for i in range(120))
    with openai_chat_server() as server, tempfile.TemporaryDirectory() as scratch:
        server.queue(answer(long_answer, completion_tokens=6000, chunk_delay=0.003))
        root = Path(scratch)

        def settings() -> Any:
            return load_settings({"model": "openai/stub", "api_base": server.base_url, "api_key": "k"})

        app = create_app(root, session_file=root / "s.json", settings_loader=settings)
        async with app.run_test(size=(100, 30)) as pilot:
            while app.engine is None:
                await pilot.pause(0.05)
            chat = app.query_one(ChatInput)
            idle = [await _press(pilot, chat) for _ in range(keys)]
            chat.load_text("explain")
            await pilot.press("enter")
            while not app.query("AnswerMessage"):
                await pilot.pause(0.01)
            busy = []
            for _ in range(keys):  # one key every 50 ms, as long as the answer streams
                busy.append(await _press(pilot, chat))
                await asyncio.sleep(0.05)
            still_streaming = app._cancel is not None
            app.action_cancel_turn()
        if not still_streaming:
            print("note: the answer finished streaming before the last key", file=sys.stderr)
    return idle, busy


async def _press(pilot: Any, chat: Any) -> float:
    """Ms from a key event reaching the input's queue to its character being in the text.

    The key is posted as the terminal driver would post it (pilot.press would also wait
    for every widget to go idle, which never happens while an answer streams).
    """
    from textual import events

    before = len(chat.text)
    started = time.perf_counter()
    chat.post_message(events.Key("x", "x"))
    while len(chat.text) == before:
        await asyncio.sleep(0.0005)
    return (time.perf_counter() - started) * 1000


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * 0.95) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keys", type=int, default=100)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        raise SystemExit("tmux is needed for the first-paint figure")
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "XDG_DATA_HOME": home, "XDG_CONFIG_HOME": home, "TERM": "xterm-256color"}
        env.pop("SHIPMATE_MODEL", None)
        bare_script = Path(home) / "bare.py"
        bare_script.write_text(BARE_APP)
        shipmate = [sys.executable, "-m", "assistant.cli.app", "chat", "--offline", "--repo", home]
        chat_runs = [first_paint(shipmate, "Help", env) for _ in range(args.runs)]
        bare_runs = [first_paint([sys.executable, str(bare_script)], "Quit", env) for _ in range(args.runs)]
    idle, busy = asyncio.run(_typing_latency(args.keys))
    figures = {
        "first_paint_s_median": round(statistics.median(chat_runs), 3),
        "bare_textual_first_paint_s_median": round(statistics.median(bare_runs), 3),
        "first_paint_over_bare": round(statistics.median(chat_runs) / statistics.median(bare_runs), 2),
        "key_latency_idle_ms_p50": round(statistics.median(idle), 1),
        "key_latency_streaming_ms_p50": round(statistics.median(busy), 1),
        "key_latency_streaming_ms_p95": round(_p95(busy), 1),
    }
    if args.json:
        print(json.dumps(figures))
        return
    for key, value in figures.items():
        print(f"{key:<36} {value}")


if __name__ == "__main__":
    main()
