"""Throughput of `shipmate diagnose` on a big generated log, side by side with grep.

Generates a log (1 GiB by default) of realistic service noise with a few decisive
lines buried in it, then runs, alternately, `grep -E -i -c` with the catalogue's
combined patterns and `shipmate diagnose` on the same file. Prints MB/s of each,
their ratio, peak RSS of shipmate, and whether the buried root cause was found.

    python -m evals.perf.diagnose_throughput [--size-mb 1024] [--rounds 2] [--keep FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tools.logs.catalogue import load_catalogue

DECISIVE = [
    '  Warning  Failed     12s (x4 over 61s)  kubelet  Error: secret "payments-db" not found',
    "2025-03-04T10:22:31Z FATAL could not connect: dial tcp 10.4.2.7:5432: connect: connection refused",
    "      Reason:       OOMKilled",
]
_WORDS = (
    "request handled user cart order item payment cache shard lookup upstream session token refresh "
    "batch flush commit offset partition consumer producer worker queue scheduled job metric"
).split()


def noise_block(rng: random.Random, size: int) -> bytes:
    """Realistic service noise: timestamps, levels, ids; a few warnings that are not errors."""
    lines: list[str] = []
    total = 0
    second = 0
    while total < size:
        second += 1
        level = rng.choices(["INFO", "DEBUG", "WARN"], weights=[80, 17, 3])[0]
        words = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(4, 10)))
        line = (
            f"2025-03-04T{(second // 3600) % 24:02d}:{(second // 60) % 60:02d}:{second % 60:02d}."
            f"{rng.randint(0, 999999):06d}Z {level} [svc-{rng.randint(1, 12)}] {words} "
            f"id={rng.getrandbits(48):012x} took={rng.randint(1, 900)}ms status={rng.choice([200, 200, 201, 204, 304])}"
        )
        if level == "WARN":
            line += " slow response, will retry"
        lines.append(line)
        total += len(line) + 1
    return ("\n".join(lines) + "\n").encode()


def dense_block(rng: random.Random, size: int) -> bytes:
    """The worst case: every line is an error or part of a stack trace, each a little different."""
    lines: list[str] = []
    total = 0
    while total < size:
        n = rng.getrandbits(24)
        batch = [
            f"2025-03-04T10:{n % 60:02d}:{n % 59:02d}Z ERROR dial tcp 10.{n % 250}.{n % 199}.{n % 97}:5432: "
            "connect: connection refused",
            "Traceback (most recent call last):",
            f'  File "/app/worker.py", line {n % 400}, in run',
            f"ConnectionRefusedError: [Errno 111] Connection refused (attempt {n % 7})",
        ]
        lines.extend(batch)
        total += sum(len(line) + 1 for line in batch)
    return ("\n".join(lines) + "\n").encode()


def generate(path: Path, size_mb: int, seed: int = 7, dense: bool = False) -> None:
    """Write `size_mb` MiB of noise with the decisive lines at 40%, 70% and 90%."""
    rng = random.Random(seed)
    make_block = dense_block if dense else noise_block
    blocks = [make_block(rng, 4 << 20) for _ in range(4)]
    target = size_mb << 20
    marks = {int(target * share): line for share, line in zip((0.4, 0.7, 0.9), DECISIVE, strict=True)}
    written = 0
    with path.open("wb") as handle:
        index = 0
        while written < target:
            block = blocks[index % len(blocks)]
            index += 1
            handle.write(block)
            written += len(block)
            for mark in [m for m in marks if m <= written]:
                handle.write(marks.pop(mark).encode() + b"\n")


def _strip_ts(line: str) -> str:
    return re.sub(r"^\d{4}-\d\d-\d\dT\S+Z ", "", line).strip()


def grep_pattern() -> str:
    """All signature patterns as one POSIX ERE (named and non-capturing groups made plain)."""
    catalogue = load_catalogue()
    parts = [p for s in catalogue.signatures for p in (*s.patterns, *s.recovery)]
    plain = (re.sub(r"\(\?P<\w+>", "(", pattern) for pattern in parts)
    return "|".join(p.replace("(?:", "(").replace(r"\d", "[0-9]") for p in plain)


def timed(argv: list[str]) -> tuple[float, int, bytes]:
    """Wall seconds, peak RSS in MiB, and stdout of one run."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        process = subprocess.Popen(argv, stdout=out, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        out.seek(0)
        return (
            elapsed,
            usage.ru_maxrss // 1024,
            out.read() if os.waitstatus_to_exitcode(status) in (0, 1) else b"",
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="Reuse or keep the generated log at this path.")
    parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")
    parser.add_argument(
        "--dense", action="store_true", help="Worst case: every line an error (default 1 GiB of noise)."
    )
    args = parser.parse_args()
    if not shutil.which("grep"):
        sys.exit("grep is not on PATH")
    workdir = Path(tempfile.mkdtemp(prefix="shipmate-bench-"))
    log = args.keep or workdir / "big.log"
    try:
        if not log.exists() or log.stat().st_size < (args.size_mb << 20):
            generate(log, args.size_mb, dense=args.dense)
        size_mb = log.stat().st_size / 1e6
        pattern = grep_pattern()
        grep_times, ship_times, rss = [], [], 0
        found: bool | None = False
        for _ in range(args.rounds):
            seconds, _, _ = timed(["grep", "-E", "-i", "-c", pattern, str(log)])
            grep_times.append(seconds)
            seconds, peak, out = timed(
                [sys.executable, "-m", "assistant.cli.app", "diagnose", "-f", "json", str(log)]
            )
            ship_times.append(seconds)
            rss = max(rss, peak)
            report = json.loads(out) if out else {"findings": []}
            cited = {e["text"].strip() for f in report["findings"] for e in f["evidence"]}
            found = None if args.dense else all(_strip_ts(line) in cited for line in DECISIVE)
        figures = {
            "log_mb": round(size_mb, 1),
            "grep_mb_s": round(size_mb / min(grep_times), 1),
            "shipmate_mb_s": round(size_mb / min(ship_times), 1),
            "shipmate_over_grep_time": round(min(ship_times) / min(grep_times), 2),
            "shipmate_peak_rss_mb": rss,
            "decisive_lines_cited": found,
        }
    finally:
        if args.keep is None:
            shutil.rmtree(workdir, ignore_errors=True)
    if args.json:
        print(json.dumps(figures))
        return
    print(
        f"log size                    {figures['log_mb']:>8} MB{' (dense: every line an error)' if args.dense else ''}"
    )
    print(f"grep -E -i -c (same patterns) {figures['grep_mb_s']:>6} MB/s")
    print(f"shipmate diagnose           {figures['shipmate_mb_s']:>8} MB/s")
    print(f"shipmate time / grep time   {figures['shipmate_over_grep_time']:>8}x   (goal <= 5x)")
    print(f"shipmate peak RSS           {figures['shipmate_peak_rss_mb']:>8} MB   (goal < 300 MB)")
    print(f"all buried decisive lines cited {figures['decisive_lines_cited']}")


if __name__ == "__main__":
    main()
