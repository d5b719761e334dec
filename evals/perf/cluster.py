"""Speed and API calls of `shipmate diagnose --cluster` on a 2,000-pod namespace.

Serves evals/perf/cluster_fixture.py's namespace (Deployments, ReplicaSets, Services,
Endpoints, events; `--broken` pods crash-looping with a previous log) from the fake
Kubernetes API server of the tests, over loopback HTTP, and measures in this one process:

- the whole `diagnose_cluster` (connect, list every kind in pages of 500, read the logs of the
  broken containers, analyse, diagnose those logs, redact), its API calls (lists, log reads);
- the baseline: the same lists alone (`read_cluster` without logs), the floor any client pays;
- the analysis alone on the snapshot already read;
- a cold `shipmate diagnose --cluster` process on the same namespace (start-up included).

    python -m evals.perf.cluster [--pods 2000] [--broken 20] [--repeat 3] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from evals.perf.cluster_fixture import big_namespace
from tools.kube.config import connect
from tools.kube.diagnose_cluster import diagnose_cluster
from tools.kube.read import read_cluster


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pods", type=int, default=2000)
    parser.add_argument("--broken", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the fake server lives in tests/
    from tests.servers.kube_api import TOKEN, kube_api_server, write_kubeconfig

    objects, logs = big_namespace(pods=options.pods, broken=options.broken)
    namespace = next(o["metadata"]["namespace"] for o in objects if o.get("kind") == "Pod")
    with kube_api_server(objects, logs) as server, tempfile.TemporaryDirectory() as scratch:
        config = write_kubeconfig(Path(scratch) / "config", server.base_url, TOKEN, namespace=namespace)
        target = connect(kubeconfig=config)
        report = diagnose_cluster(target, [namespace])  # warm-up: imports, the signature catalogue
        whole: list[float] = []
        lists_only: list[float] = []
        for _ in range(options.repeat):
            before = len(server.requests)
            started = time.perf_counter()
            report = diagnose_cluster(target, [namespace])
            whole.append(time.perf_counter() - started)
            requests = server.requests[before:]  # the last diagnosis's requests, as the server saw them
            started = time.perf_counter()
            snapshot = read_cluster(target, [namespace])
            lists_only.append(time.perf_counter() - started)
        log_calls = sum(1 for r in requests if r.path.endswith("/log"))
        started = time.perf_counter()
        process = subprocess.run(
            [sys.executable, "-m", "assistant.cli.app", "diagnose", "--cluster", "--format", "json"],
            env={**os.environ, "KUBECONFIG": str(config)},
            capture_output=True,
            check=False,
        )
        cold = time.perf_counter() - started
    from tools.kube.analyze import analyze

    started = time.perf_counter()
    analyze(snapshot)
    analysis = time.perf_counter() - started
    figures = {
        "pods": report.cluster.objects.get("pods", 0),
        "objects_read": sum(report.cluster.objects.values()),
        "broken_pods": options.broken,
        "findings": len(report.findings),
        "api_calls": report.cluster.api_calls,
        "api_calls_counted_by_server": len(requests),
        "log_reads": log_calls,
        "logs_read": report.cluster.logs_read,
        "diagnose_seconds_median": round(statistics.median(whole), 3),
        "lists_only_seconds_median": round(statistics.median(lists_only), 3),
        "ratio_diagnose_to_lists": round(statistics.median(whole) / statistics.median(lists_only), 2),
        "analysis_only_seconds": round(analysis, 3),
        "cold_process_seconds": round(cold, 3),
        "cold_process_exit_code": process.returncode,
    }
    if options.json:
        print(json.dumps(figures))
        return
    for name, value in figures.items():
        print(f"{name:32} {value}")


if __name__ == "__main__":
    main()
