"""Start-up cost of the CLI: `shipmate --help` and `--version` against a bare `python -c pass`.

Also checks that heavy libraries stay unloaded on that path.

    python -m evals.perf.startup [--runs 10] [--json]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time

HEAVY = (
    "drain3",
    "detect_secrets",
    "re2",
    "litellm",
    "chromadb",
    "kubernetes",
    "langchain",
    "torch",
    "numpy",
    "bm25s",
    "tokenizers",
)


def _best(argv: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(argv, capture_output=True, check=True)
        times.append(time.perf_counter() - started)
    return min(times)


def heavy_modules_loaded_by_help() -> list[str]:
    """Heavy modules imported when the CLI renders --help."""
    code = (
        "import sys\nfrom typer.testing import CliRunner\nfrom assistant.cli.app import app\n"
        "for argv in (['--help'], ['diagnose', '--help'], ['index', '--help'], ['ask', '--help']):\n"
        "    result = CliRunner().invoke(app, argv)\n"
        "    assert result.exit_code == 0 and 'Usage' in result.output, (argv, result.output)\n"
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return [m for m in out.stdout.strip().split(",") if m]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    bare = _best([sys.executable, "-c", "pass"], args.runs)
    help_time = _best([sys.executable, "-m", "assistant.cli.app", "--help"], args.runs)
    version = _best([sys.executable, "-m", "assistant.cli.app", "--version"], args.runs)
    figures = {
        "python_bare_ms": round(bare * 1000),
        "help_ms": round(help_time * 1000),
        "version_ms": round(version * 1000),
        "help_over_bare_python": round(help_time / bare, 1),
        "heavy_modules_on_help_path": heavy_modules_loaded_by_help(),
    }
    if args.json:
        print(json.dumps(figures))
    else:
        for key, value in figures.items():
            print(f"{key:<28} {value}")


if __name__ == "__main__":
    main()
