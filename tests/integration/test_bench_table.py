"""`make bench`'s table: run_all on a quick subset writes bench.md and bench.json with figures and baselines."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from evals.perf import run_all

ROOT = Path(__file__).resolve().parents[2]


def _run(out: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SHIPMATE_BENCH_QUICK": "1"}
    return subprocess.run(
        [sys.executable, "-m", "evals.perf.run_all", "--out", str(out), *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env=env,
        timeout=120,
    )


@pytest.fixture(scope="module")
def quick_subset(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path]:
    out = tmp_path_factory.mktemp("bench")
    return _run(out, "--only", "review,cluster"), out


def _row(rows: list[dict[str, Any]], bench: str, figure: str) -> dict[str, Any]:
    return next(r for r in rows if r["benchmark"] == bench and r["figure"] == figure)


def test_quick_subset_writes_json_with_each_benchmarks_figures(
    quick_subset: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    done, out = quick_subset
    assert done.returncode == 0, done.stderr
    document = json.loads((out / "bench.json").read_text())
    assert document["quick"] is True
    assert list(document["benchmarks"]) == ["review", "cluster"]  # --only, in its order
    review = document["benchmarks"]["review"]
    assert review["module"] == "evals.perf.review"
    assert review["args"] == list(run_all.benchmarks()["review"].quick)  # the quick sizes were passed
    assert review["figures"]["review_seconds_median"] > 0
    assert review["figures"]["files_changed"] > 0
    cluster = document["benchmarks"]["cluster"]
    assert cluster["figures"]["pods"] == 100
    assert cluster["figures"]["api_calls"] == cluster["figures"]["api_calls_counted_by_server"]

    paired = _row(document["rows"], "review", "review_seconds_median")
    assert paired["baseline_figure"] == "validate_head_only_seconds_median"
    figures = review["figures"]
    assert paired["baseline_value"] == figures["validate_head_only_seconds_median"]
    assert paired["ratio"] == pytest.approx(
        figures["review_seconds_median"] / figures["validate_head_only_seconds_median"], abs=0.01
    )
    lists = _row(document["rows"], "cluster", "diagnose_seconds_median")
    assert lists["baseline_figure"] == "lists_only_seconds_median"
    alone = _row(document["rows"], "cluster", "pods")
    assert alone["baseline_figure"] is None
    assert alone["ratio"] is None
    rows_per_bench = {b: sum(r["benchmark"] == b for r in document["rows"]) for b in ("review", "cluster")}
    assert rows_per_bench == {"review": len(review["figures"]), "cluster": len(cluster["figures"])}


def test_quick_subset_writes_one_markdown_table_and_prints_it(
    quick_subset: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    done, out = quick_subset
    text = (out / "bench.md").read_text()
    table = [line for line in text.splitlines() if line.startswith("|")]
    assert [c.strip() for c in table[0].strip("|").split("|")] == list(run_all.COLUMNS)
    assert set(table[1]) <= {"|", "-", ":"}
    assert all(line.count("|") == 7 for line in table)  # one table, six columns
    cells = {
        tuple(c.strip() for c in line.strip("|").split("|"))[:2]: [
            c.strip() for c in line.strip("|").split("|")
        ]
        for line in table[2:]
    }
    review = cells["review", "review_seconds_median"]
    assert review[3] == "validate_head_only_seconds_median"
    assert review[5].endswith("x")
    assert float(review[5][:-1]) > 0
    assert cells["cluster", "findings"][3:] == ["", "", ""]  # no baseline: empty columns, empty ratio
    assert "quick run" in text
    assert {bench for bench, _ in cells} == {"review", "cluster"}
    assert table[0] in done.stdout  # printed too


def test_an_unknown_benchmark_is_a_usage_error(tmp_path: Path) -> None:
    done = _run(tmp_path / "out", "--only", "review,nosuch")
    assert done.returncode == 2
    assert "unknown benchmark nosuch" in done.stderr
    assert not (tmp_path / "out").exists()


def test_every_baseline_pair_names_figures_its_benchmark_prints() -> None:
    known = run_all.benchmarks()
    for bench, pairs in run_all.BASELINES.items():
        source = (ROOT / "evals" / "perf" / f"{known[bench].module}.py").read_text()
        for figure, base in pairs.items():
            assert figure != base
            for name in (figure, base):  # nested figures: each part is a key in the module's figures
                for part in name.split("."):
                    assert f'"{part}"' in source, (bench, name)


def test_every_benchmark_has_quick_sizes_and_the_full_run_keeps_its_environment_sizes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SHIPMATE_BENCH_SIZE_MB", "100")
    table = run_all.benchmarks()
    assert table["diagnose_throughput"].args == ("--size-mb", "100")
    assert table["tui_log"].args == ("--size-mb", "100")
    for name, bench in table.items():
        assert bench.quick, name
        assert (ROOT / "evals" / "perf" / f"{bench.module}.py").is_file()


def test_rows_pair_nested_figures_and_mark_a_failed_benchmark() -> None:
    results: dict[str, dict[str, Any]] = {
        "llm_gateway": {
            "figures": {
                "gateway_full": {"median_ms": 3.0, "p95_ms": 4.0},
                "raw_httpx_keepalive": {"median_ms": 1.5, "p95_ms": 0},
                "audit_chain_ok": True,
            }
        },
        "tui": {"error": "tmux is needed for the first-paint figure"},
    }
    rows = run_all.table_rows(results)
    gateway = _row(rows, "llm_gateway", "gateway_full.median_ms")
    assert (gateway["baseline_figure"], gateway["baseline_value"], gateway["ratio"]) == (
        "raw_httpx_keepalive.median_ms",
        1.5,
        2.0,
    )
    assert _row(rows, "llm_gateway", "gateway_full.p95_ms")["ratio"] is None  # a zero baseline: no ratio
    assert _row(rows, "tui", "error")["value"] == "tmux is needed for the first-paint figure"
    table = run_all.markdown(rows)
    assert table.splitlines()[2].rstrip().endswith(" 2.0x |")
    assert " yes |" in table  # booleans read as yes/no
