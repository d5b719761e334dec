"""`make bench`: run every benchmark under evals/perf/ and write one table of figures.

Each benchmark module offers `--json` and prints one JSON object of figures. The table pairs a
figure with the baseline its benchmark measures beside it (BASELINES), with the ratio
value / baseline value, and is printed and written to `--out` (default `.bench/` at the repo root)
as bench.md, beside bench.json (every benchmark's figures, arguments and wall time).

    python -m evals.perf.run_all [--out DIR] [--only review,cluster]

Set SHIPMATE_BENCH_SIZE_MB to shrink the generated logs on a small machine, or
SHIPMATE_BENCH_QUICK=1 to run every benchmark on small inputs (a smoke run: figures are noisy).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
DEFAULT_OUT = ROOT / ".bench"
QUICK_ENV = "SHIPMATE_BENCH_QUICK"


@dataclass(frozen=True)
class Benchmark:
    """A benchmark module with its arguments for a full run and for a quick one."""

    module: str
    args: tuple[str, ...] = ()
    quick: tuple[str, ...] = ()


def benchmarks() -> dict[str, Benchmark]:
    """Every benchmark by name (the full-run sizes read the environment when called)."""
    env = os.environ.get
    return {
        "diagnose_throughput": Benchmark(
            "diagnose_throughput",
            ("--size-mb", env("SHIPMATE_BENCH_SIZE_MB", "1024")),
            ("--size-mb", "8", "--rounds", "1"),
        ),
        "diagnose_dense_errors": Benchmark(
            "diagnose_throughput",
            ("--dense", "--size-mb", "32"),
            ("--dense", "--size-mb", "2", "--rounds", "1"),
        ),
        "retrieval": Benchmark(
            "retrieval",
            ("--chunks", env("SHIPMATE_BENCH_CHUNKS", "10000")),
            ("--chunks", "8", "--queries", "10"),
        ),
        "validate": Benchmark(
            "validate",
            ("--resources", env("SHIPMATE_BENCH_RESOURCES", "100000")),
            ("--resources", "400", "--files", "100", "--peer-sample", "20"),
        ),
        "llm_gateway": Benchmark("llm_gateway", (), ("--calls", "20", "--stream-runs", "5")),
        "agent": Benchmark("agent", (), ("--steps", "3")),
        "generate": Benchmark("generate", (), ("--runs", "1")),
        "review": Benchmark("review", (), ("--folders", "3", "--modules", "2", "--repeat", "1")),
        "webhook": Benchmark("webhook", (), ("--deliveries", "40", "--parallel", "8")),
        "cluster": Benchmark("cluster", (), ("--pods", "100", "--broken", "5", "--repeat", "1")),
        "startup": Benchmark("startup", (), ("--runs", "2")),
        "tui": Benchmark("tui", (), ("--runs", "1", "--keys", "10")),
        "tui_log": Benchmark(
            "tui_log",
            ("--size-mb", env("SHIPMATE_BENCH_SIZE_MB", "256")),
            ("--size-mb", "4", "--rounds", "1"),
        ),
    }


# benchmark -> {figure: the baseline figure measured beside it}; figures are flattened with "." for nesting.
BASELINES: dict[str, dict[str, str]] = {
    "diagnose_throughput": {"shipmate_mb_s": "grep_mb_s"},
    "diagnose_dense_errors": {"shipmate_mb_s": "grep_mb_s"},
    "retrieval": {"cold_ask_s": "startup_baseline_s"},
    "validate": {
        "with_policies_resources_per_s": "kubernetes_validate_resources_per_s",
        "schema_only_resources_per_s": "kubernetes_validate_resources_per_s",
        "tree_resources_per_s": "kubernetes_validate_resources_per_s",
    },
    "llm_gateway": {
        "gateway_full.median_ms": "raw_httpx_keepalive.median_ms",
        "gateway_full.p95_ms": "raw_httpx_keepalive.p95_ms",
        "litellm_direct.median_ms": "raw_httpx_keepalive.median_ms",
        "gateway_no_redaction_no_audit.median_ms": "litellm_direct.median_ms",
        "first_chunk_gateway.median_ms": "first_chunk_raw_httpx.median_ms",
    },
    "agent": {"scripted_ms_per_step": "tool_direct_ms"},
    "generate": {"worst_terraform_ms_p50": "baseline_terraform_fmt_alone_ms_p50"},
    "review": {"review_seconds_median": "validate_head_only_seconds_median"},
    "webhook": {
        "webhook_p50_ms": "healthz_p50_ms",
        "webhook_p95_ms": "healthz_p95_ms",
        "webhook_deliveries_per_s": "healthz_per_s",
    },
    "cluster": {"diagnose_seconds_median": "lists_only_seconds_median"},
    "startup": {"help_ms": "python_bare_ms", "version_ms": "python_bare_ms"},
    "tui": {
        "first_paint_s_median": "bare_textual_first_paint_s_median",
        "key_latency_streaming_ms_p50": "key_latency_idle_ms_p50",
    },
    "tui_log": {"index_s": "wc_l_s", "search_to_last_line_s": "grep_c_F_i_s"},
}

COLUMNS = ("benchmark", "figure", "value", "baseline figure", "baseline value", "ratio")


def flatten(figures: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested figures as one level, keys joined with "." (`{"a": {"b": 1}}` -> `{"a.b": 1}`)."""
    flat: dict[str, Any] = {}
    for key, value in figures.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def ratio(value: Any, baseline: Any) -> float | None:
    """value / baseline, or None when either is not a number or the baseline is zero."""
    top, bottom = _number(value), _number(baseline)
    if top is None or bottom is None or bottom == 0:
        return None
    return round(top / bottom, 2)


def table_rows(results: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per figure (or one error row per failed benchmark), paired with its baseline if any."""
    rows: list[dict[str, Any]] = []
    for name, result in results.items():
        if "error" in result:
            rows.append(_row(name, "error", result["error"]))
            continue
        figures = flatten(result["figures"])
        pairs = BASELINES.get(name, {})
        for figure, value in figures.items():
            base = pairs.get(figure)
            if base is None or base not in figures:
                rows.append(_row(name, figure, value))
            else:
                rows.append(_row(name, figure, value, base, figures[base]))
    return rows


def _row(
    bench: str, figure: str, value: Any, base: str | None = None, base_value: Any = None
) -> dict[str, Any]:
    return {
        "benchmark": bench,
        "figure": figure,
        "value": value,
        "baseline_figure": base,
        "baseline_value": base_value,
        "ratio": ratio(value, base_value) if base is not None else None,
    }


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value).replace("|", "\\|").replace("\n", " ")


def markdown(rows: list[dict[str, Any]]) -> str:
    """The rows as one Markdown table, columns padded so it reads as well in a terminal."""
    cells = [
        [
            _cell(row["benchmark"]),
            _cell(row["figure"]),
            _cell(row["value"]),
            _cell(row["baseline_figure"]),
            _cell(row["baseline_value"]),
            f"{row['ratio']}x" if row["ratio"] is not None else "",
        ]
        for row in rows
    ]
    widths = [max([len(title), *(len(line[i]) for line in cells)]) for i, title in enumerate(COLUMNS)]
    numeric = {2, 4, 5}

    def line(values: list[str] | tuple[str, ...]) -> str:
        padded = (
            v.rjust(w) if i in numeric else v.ljust(w)
            for i, (v, w) in enumerate(zip(values, widths, strict=True))
        )
        return "| " + " | ".join(padded) + " |"

    rule = "|" + "|".join(
        ("-" * (w + 1) + ":") if i in numeric else "-" * (w + 2) for i, w in enumerate(widths)
    )
    return "\n".join([line(COLUMNS), rule + "|", *(line(c) for c in cells)]) + "\n"


def run_benchmark(bench: Benchmark, quick: bool) -> dict[str, Any]:
    """Run one benchmark module with `--json`: its arguments, wall time and figures (or error)."""
    args = [*(bench.quick if quick else bench.args)]
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", f"evals.perf.{bench.module}", "--json", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    outcome: dict[str, Any] = {
        "module": f"evals.perf.{bench.module}",
        "args": args,
        "seconds": round(time.perf_counter() - started, 2),
    }
    if result.returncode != 0:
        lines = result.stderr.strip().splitlines()
        outcome["error"] = lines[-1] if lines else f"exit code {result.returncode}"
        return outcome
    try:
        figures = json.loads(result.stdout.strip().splitlines()[-1])
    except (json.JSONDecodeError, IndexError):
        outcome["error"] = "no JSON object on the last line of stdout"
        return outcome
    outcome["figures"] = figures
    return outcome


def _names(text: str) -> list[str]:
    known = benchmarks()
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in known]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown benchmark {', '.join(unknown) or '(none given)'}; known: {', '.join(known)}"
        )
    return names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where bench.md and bench.json go")
    parser.add_argument("--only", type=_names, help="comma-separated benchmark names (default: all)")
    options = parser.parse_args(argv)
    quick = os.environ.get(QUICK_ENV, "").strip().lower() in {"1", "true", "yes"}
    chosen = benchmarks()
    names = options.only or list(chosen)
    results: dict[str, dict[str, Any]] = {}
    for name in names:
        print(f"running {name}{' (quick)' if quick else ''} ...", file=sys.stderr, flush=True)
        results[name] = run_benchmark(chosen[name], quick)
    rows = table_rows(results)
    table = markdown(rows)
    print(table, end="")
    out: Path = options.out
    out.mkdir(parents=True, exist_ok=True)
    document = {
        "quick": quick,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "benchmarks": results,
        "rows": rows,
    }
    (out / "bench.json").write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    title = "# shipmate benchmarks" + (" (quick run: small inputs, noisy figures)" if quick else "")
    note = (
        "ratio = value / baseline value (a time over its baseline's time, a rate over its baseline's rate)."
    )
    (out / "bench.md").write_text(f"{title}\n\n{table}\n{note}\n", encoding="utf-8")
    print(f"wrote {out / 'bench.md'} and {out / 'bench.json'}", file=sys.stderr)
    return 1 if any("error" in result for result in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
