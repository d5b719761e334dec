"""Time to render a blueprint and validate it: goal under 300 ms for one blueprint.

Kubernetes and Compose validate in-process (schemas, every policy); Terraform also runs
the real `terraform fmt` as a subprocess, which dominates its time. In one process, after
a warm-up (schemas compiled once per kind, as in a long session), every blueprint's first
example is rendered and validated `--runs` times: the per-blueprint median and the worst
blueprint's median and p95 are printed. The baseline, measured side by side: `terraform fmt
-check` alone on the worst Terraform blueprint's files, which is the floor of any
Terraform generation that runs the real binary. Cold: a fresh `shipmate generate ...
--stdout` process, imports included, for a Kubernetes ask and a Terraform ask.

    python -m evals.perf.generate [--runs 20] [--json] [--verbose]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time

from tools.blueprints.registry import all_blueprints, blocking_problems, generate_blueprint

COLD_ASKS = {
    "k8s": "deploy ghcr.io/acme/api:1.4.2 with 3 replicas on port 8000, autoscale to 10 at api.example.com",
    "terraform": "an S3 bucket named acme-logs in eu-west-1",
}


def _time_blueprint(name: str, runs: int) -> list[float]:
    example = all_blueprints()[name].examples[0]
    generate_blueprint(name, example)  # warm-up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        generated = generate_blueprint(name, example)
        times.append((time.perf_counter() - started) * 1000)
        if blocking_problems(generated.validation):
            raise SystemExit(f"{name} no longer validates clean")
    return sorted(times)


def _fmt_alone(name: str, runs: int) -> float:
    """Median ms of `terraform fmt -check` alone on blueprint `name`'s rendered files."""
    import shutil
    import tempfile
    from pathlib import Path

    binary = shutil.which("terraform") or "terraform"
    times = []
    with tempfile.TemporaryDirectory() as scratch:
        for generated in generate_blueprint(name, all_blueprints()[name].examples[0]).files:
            (Path(scratch) / generated.path).write_text(generated.text, encoding="utf-8")
        for _ in range(runs):
            started = time.perf_counter()
            command = [binary, "fmt", "-check", "-diff", "-no-color"]
            subprocess.run(command, cwd=scratch, capture_output=True, check=False)
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _cold(target: str, ask: str) -> float:
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "assistant.cli.app",
                "-q",
                "generate",
                target,
                ask,
                "--offline",
                "--stdout",
            ],
            capture_output=True,
            check=True,
        )
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--verbose", action="store_true", help="print every blueprint's median")
    args = parser.parse_args()
    medians: dict[str, float] = {}
    p95s: dict[str, float] = {}
    for name in sorted(all_blueprints()):
        times = _time_blueprint(name, args.runs)
        medians[name] = statistics.median(times)
        p95s[name] = times[max(0, int(len(times) * 0.95) - 1)]
    by_target: dict[str, list[float]] = {}
    for name, median in medians.items():
        by_target.setdefault(all_blueprints()[name].target, []).append(median)
    worst = max(medians, key=medians.__getitem__)
    terraform = [n for n in medians if all_blueprints()[n].target == "terraform"]
    worst_terraform = max(terraform, key=medians.__getitem__) if terraform else None
    figures: dict[str, object] = {
        "blueprints": len(medians),
        **{
            f"{target}_median_ms_p50": round(statistics.median(v), 1)
            for target, v in sorted(by_target.items())
        },
        "worst_blueprint": worst,
        "worst_blueprint_ms_p50": round(medians[worst], 1),
        "worst_blueprint_ms_p95": round(p95s[worst], 1),
        "over_300_ms": sum(m >= 300 for m in medians.values()),
        **(
            {
                "worst_terraform_blueprint": worst_terraform,
                "worst_terraform_ms_p50": round(medians[worst_terraform], 1),
                "baseline_terraform_fmt_alone_ms_p50": round(_fmt_alone(worst_terraform, args.runs), 1),
            }
            if worst_terraform
            else {}
        ),
        **{f"cold_cli_{target}_s": round(_cold(target, ask), 2) for target, ask in COLD_ASKS.items()},
    }
    if args.json:
        print(json.dumps(figures))
        return
    if args.verbose:
        for name, median in sorted(medians.items(), key=lambda item: -item[1]):
            print(f"  {name:<32} p50 {median:7.1f} ms  p95 {p95s[name]:7.1f} ms")
    for key, value in figures.items():
        print(f"{key:<36} {value}")


if __name__ == "__main__":
    main()
