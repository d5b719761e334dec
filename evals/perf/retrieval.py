"""Speed of the knowledge index: indexing chunks/s, query latency after warm-up, cold `shipmate ask`.

Builds an index of N chunks (default 10,000): the bundled knowledge's chunks, then
variants of them (a numbered note appended) until N is reached. Measures, side by
side: embedding throughput, p50/p95 latency of hybrid queries after warm-up (goal:
p95 under 50 ms), and a cold `shipmate ask` in a new process, to its first result
(goal: under 2 s).

    python -m evals.perf.retrieval [--chunks 10000] [--queries 200] [--keep DIR] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tools.retrieval.chunking import chunk_document, parse_document
from tools.retrieval.docs_tool import default_embedder_instance, open_store
from tools.retrieval.indexer import bundled_documents, chunk_metadata, embedding_text
from tools.retrieval.lexical_cache import load_snapshot, save_snapshot
from tools.retrieval.search import KnowledgeSearch

QUERIES = [
    "Error acquiring the state lock",
    "pod keeps restarting",
    "ErrImagePull",
    "my image can't be downloaded",
    "CUDA out of memory",
    "how do I autoscale on queue length",
    "x509: certificate signed by unknown authority",
    "readiness probe fails after deploy",
]


def build(location: str, target: int) -> tuple[int, float]:
    """Index `target` chunks at `location`; return the count and the seconds spent embedding and writing."""
    embedder = default_embedder_instance()
    store = open_store(location, embedder)
    if store.count() >= target:
        load_snapshot(store)  # an index kept from an earlier run gets its lexical snapshot
        return store.count(), 0.0
    base = [
        (c, d.content_hash)
        for d in bundled_documents()
        for c in chunk_document(parse_document(d.source, d.text))
    ]
    started = time.perf_counter()
    made, batch = 0, 256
    while made < target:
        items = []
        for offset in range(min(batch, target - made)):
            chunk, file_hash = base[(made + offset) % len(base)]
            round_ = (made + offset) // len(base)
            text = (
                chunk.text
                if round_ == 0
                else f"{chunk.text}\nNote {round_}: seen again in incident {made + offset}."
            )
            items.append(
                (f"{chunk.id}-{round_}", text, chunk_metadata(chunk, file_hash), embedding_text(chunk))
            )
        vectors = embedder.embed([e for *_, e in items])
        store.upsert(
            [i for i, *_ in items], [t for _, t, *_ in items], vectors.tolist(), [m for _, _, m, _ in items]
        )
        made += len(items)
        print(f"  indexed {made}/{target}", file=sys.stderr, flush=True)
    store.mark_changed()
    save_snapshot(store)  # as `shipmate index` does after a write
    return store.count(), time.perf_counter() - started


def _median_run(argv: list[str], runs: int = 3) -> tuple[float, bool]:
    """Median wall time of `runs` fresh processes, and whether all of them succeeded."""
    times, ok = [], True
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(argv, capture_output=True, check=False)
        times.append(time.perf_counter() - started)
        ok = ok and done.returncode == 0
    return statistics.median(times), ok


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--chunks", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--keep", type=Path, help="Reuse or keep the index at this directory.")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    location = str(args.keep or tempfile.mkdtemp(prefix="shipmate-retrieval-bench-"))
    count, seconds = build(location, args.chunks)

    embedder = default_embedder_instance()
    started = time.perf_counter()
    search = KnowledgeSearch(open_store(location, embedder), embedder)
    load_seconds = time.perf_counter() - started
    for query in QUERIES:  # warm-up
        search.search(query)
    latencies = []
    for n in range(args.queries):
        started = time.perf_counter()
        search.search(QUERIES[n % len(QUERIES)], k=5)
        latencies.append((time.perf_counter() - started) * 1000)
    latencies.sort()

    cold_seconds, cold_ok = _median_run(
        [sys.executable, "-m", "assistant.cli.app", "ask", "ErrImagePull", "-k", "1", "--store", location]
    )
    startup_seconds, _ = _median_run([sys.executable, "-m", "assistant.cli.app", "--version"])
    figures = {
        "chunks": count,
        "indexing_chunks_per_s": round(args.chunks / seconds, 1) if seconds else None,
        "search_load_s": round(load_seconds, 2),
        "query_p50_ms": round(statistics.median(latencies), 1),
        "query_p95_ms": round(latencies[int(len(latencies) * 0.95) - 1], 1),
        "cold_ask_s": round(cold_seconds, 2),
        "cold_ask_ok": cold_ok,
        "startup_baseline_s": round(startup_seconds, 2),
        "cold_ask_over_startup": round(cold_seconds / startup_seconds, 1),
    }
    if args.json:
        print(json.dumps(figures))
    else:
        for key, value in figures.items():
            print(f"{key:<24} {value}")


if __name__ == "__main__":
    main()
