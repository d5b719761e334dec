"""`make bench`: run every benchmark under evals/perf/ and print one table of figures.

Each benchmark module offers `--json` and prints one JSON object of figures.
Set SHIPMATE_BENCH_SIZE_MB to shrink the generated inputs on a small machine.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = {
    "diagnose_throughput": (
        "diagnose_throughput",
        ["--size-mb", os.environ.get("SHIPMATE_BENCH_SIZE_MB", "1024")],
    ),
    "diagnose_dense_errors": ("diagnose_throughput", ["--dense", "--size-mb", "32"]),
    "retrieval": ("retrieval", ["--chunks", os.environ.get("SHIPMATE_BENCH_CHUNKS", "10000")]),
    "validate": ("validate", ["--resources", os.environ.get("SHIPMATE_BENCH_RESOURCES", "100000")]),
    "llm_gateway": ("llm_gateway", []),
    "agent": ("agent", []),
    "generate": ("generate", []),
    "review": ("review", []),
    "webhook": ("webhook", []),
    "cluster": ("cluster", []),
    "startup": ("startup", []),
    "tui_log": ("tui_log", ["--size-mb", os.environ.get("SHIPMATE_BENCH_SIZE_MB", "256")]),
}


def main() -> None:
    rows: list[tuple[str, str, str]] = []
    for name, (module, args) in BENCHMARKS.items():
        print(f"running {name} ...", file=sys.stderr, flush=True)
        result = subprocess.run(
            [sys.executable, "-m", f"evals.perf.{module}", "--json", *args],
            capture_output=True,
            text=True,
            check=False,
            cwd=HERE.parent.parent,
        )
        if result.returncode != 0:
            rows.append(
                (name, "error", result.stderr.strip().splitlines()[-1] if result.stderr else "failed")
            )
            continue
        for key, value in json.loads(result.stdout).items():
            rows.append((name, key, str(value)))
    width = max(len(f"{b}.{k}") for b, k, _ in rows)
    for bench, key, value in rows:
        print(f"{bench + '.' + key:<{width}}  {value}")


if __name__ == "__main__":
    main()
