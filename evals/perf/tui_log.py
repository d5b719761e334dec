"""The TUI's log viewer on a big log: indexing, first screen, goto and search, beside `wc -l` and grep.

Generates a log (1 GiB by default) of realistic service noise whose last line holds a
needle, then measures:

- indexing: `build_line_index` (numpy over positional reads) against `wc -l` on the same
  file, alternately, best of `--rounds`, page cache warm for both;
- the headless pilot app (80x24): time from starting the app to the first screen of lines,
  `goto` to the last line until it is on screen, and a search for the needle on the last
  line (a whole-file scan) until it is highlighted, beside `grep -c -F -i` for the same text.

    python -m evals.perf.tui_log [--size-mb 1024] [--rounds 3] [--keep FILE] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.app import App, ComposeResult
from textual.pilot import Pilot

from assistant.tui.log_index import build_line_index
from assistant.tui.log_view import LogView
from evals.perf.diagnose_throughput import noise_block

NEEDLE = "needle-at-the-very-end-7f3a"


def generate(path: Path, size_mb: int, seed: int = 11) -> None:
    """`size_mb` MiB of service noise (repeated 4 MiB blocks), the needle on the last line."""
    rng = random.Random(seed)
    blocks = [noise_block(rng, 4 << 20) for _ in range(4)]
    target, written = size_mb << 20, 0
    with path.open("wb") as handle:
        while written < target:
            block = blocks[(written >> 22) % len(blocks)]
            handle.write(block)
            written += len(block)
        handle.write(f"2025-03-04T23:59:59Z ERROR last line {NEEDLE.upper()} done\n".encode())


def best_of(rounds: int, run: Callable[[], object]) -> tuple[float, object]:
    """Shortest wall time of `rounds` runs, and the last run's result."""
    times, result = [], None
    for _ in range(rounds):
        started = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - started)
    return min(times), result


def index_once(path: Path) -> int:
    """Lines found by the viewer's indexer."""
    fd = os.open(path, os.O_RDONLY)
    try:
        index = build_line_index(fd, os.fstat(fd).st_size)
        assert index is not None
        return len(index)
    finally:
        os.close(fd)


def wc_lines(path: Path) -> int:
    """Newlines counted by `wc -l`."""
    out = subprocess.run(["wc", "-l", str(path)], capture_output=True, text=True, check=True).stdout
    return int(out.split()[0])


class _Host(App[None]):
    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.searched = False

    def compose(self) -> ComposeResult:
        yield LogView(self.path)

    def on_log_view_search_finished(self, message: LogView.SearchFinished) -> None:
        self.searched = True


async def _until(pilot: Pilot[None], condition: Callable[[], bool], timeout: float = 600.0) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the viewer never got there")
        await pilot.pause(0.002)


def _on_screen(view: LogView, text: str) -> bool:
    return any(text in view.render_line(y).text for y in range(view.scrollable_content_region.height))


async def pilot_figures(path: Path) -> dict[str, Any]:
    """Open, goto-last and search-last times in a headless 80x24 app."""
    started = time.perf_counter()
    app = _Host(path)
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(LogView)
        await _until(pilot, lambda: view.line_count is not None and _on_screen(view, " 1 │ "))
        first_screen = time.perf_counter() - started
        total = view.line_count or 0

        started = time.perf_counter()
        view.goto(total)
        await _until(pilot, lambda: _on_screen(view, f"{total} > "))
        goto_last = time.perf_counter() - started

        view.goto(1)
        await pilot.pause()
        started = time.perf_counter()
        view.search(NEEDLE)
        await _until(pilot, lambda: app.searched and _on_screen(view, f"{total} > "))
        search_last = time.perf_counter() - started
        found = view.matches == [total]
    return {
        "open_to_first_screen_s": round(first_screen, 3),
        "goto_last_line_s": round(goto_last, 4),
        "search_to_last_line_s": round(search_last, 3),
        "search_found_needle": found,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="Reuse or keep the generated log at this path.")
    parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")
    args = parser.parse_args()
    for tool in ("wc", "grep"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is not on PATH")
    workdir = Path(tempfile.mkdtemp(prefix="shipmate-bench-"))
    log = args.keep or workdir / "big.log"
    try:
        if not log.exists() or log.stat().st_size < (args.size_mb << 20):
            generate(log, args.size_mb)
        size_mb = log.stat().st_size / 1e6
        wc_lines(log)  # warm the page cache for both
        wc_s, wc_count = best_of(args.rounds, lambda: wc_lines(log))
        index_s, index_count = best_of(args.rounds, lambda: index_once(log))
        grep_s, _ = best_of(
            args.rounds,
            lambda: subprocess.run(
                ["grep", "-c", "-F", "-i", NEEDLE, str(log)], capture_output=True, check=False
            ),
        )
        figures: dict[str, Any] = {
            "log_mb": round(size_mb, 1),
            "lines": index_count,
            "index_s": round(index_s, 3),
            "wc_l_s": round(wc_s, 3),
            "index_over_wc_l": round(index_s / wc_s, 2),
            "index_matches_wc_l": index_count == wc_count,
            **asyncio.run(pilot_figures(log)),
            "grep_c_F_i_s": round(grep_s, 3),
        }
    finally:
        if args.keep is None:
            shutil.rmtree(workdir, ignore_errors=True)
    if args.json:
        print(json.dumps(figures))
        return
    for key, value in figures.items():
        print(f"{key:<26} {value}")


if __name__ == "__main__":
    main()
