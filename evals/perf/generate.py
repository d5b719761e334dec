"""Time to render one blueprint and validate it (schemas and every policy): goal under 300 ms.

In one process, after a warm-up (schemas compiled once per kind, as in a long session),
and cold in a fresh process (`shipmate generate ... --stdout`, imports included).

    python -m evals.perf.generate [--runs 50] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time

from tools.blueprints.registry import generate_blueprint

PARAMETERS = {
    "image": "ghcr.io/acme/api:1.4.2",
    "replicas": "3",
    "autoscale_max": "10",
    "host": "api.example.com",
}
ASK = "deploy ghcr.io/acme/api:1.4.2 with 3 replicas on port 8000, autoscale to 10 at api.example.com"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    generate_blueprint("k8s-web-service", PARAMETERS)  # warm-up
    times = []
    for _ in range(args.runs):
        started = time.perf_counter()
        generated = generate_blueprint("k8s-web-service", PARAMETERS)
        times.append((time.perf_counter() - started) * 1000)
        if generated.validation.findings or generated.validation.counts.invalid:
            raise SystemExit("the blueprint no longer validates clean")
    times.sort()
    cold = []
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "assistant.cli.app", "-q", "generate", "k8s", ASK, "--stdout"],
            capture_output=True,
            check=True,
        )
        cold.append(time.perf_counter() - started)
    figures = {
        "warm_generate_and_validate_ms_p50": round(statistics.median(times), 2),
        "warm_generate_and_validate_ms_p95": round(times[int(len(times) * 0.95) - 1], 2),
        "cold_cli_generate_s": round(statistics.median(cold), 2),
    }
    if args.json:
        print(json.dumps(figures))
    else:
        for key, value in figures.items():
            print(f"{key:<36} {value}")


if __name__ == "__main__":
    main()
