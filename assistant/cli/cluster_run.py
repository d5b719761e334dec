"""`shipmate diagnose --cluster`: connect to the chosen context, read, analyse, report."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from tools.kube.report import ClusterReport


def run_cluster_diagnosis(
    context: str | None,
    namespaces: Sequence[str],
    all_namespaces: bool,
    selector: str | None,
    timeout: float,
    quiet: bool = False,
) -> ClusterReport:
    """Diagnose the cluster of `context`: every namespace, the named ones, or the context's own."""
    from tools.kube.config import connect
    from tools.kube.diagnose_cluster import diagnose_cluster

    target = connect(context)
    chosen = None if all_namespaces else list(namespaces) or [target.namespace]
    if not quiet and sys.stderr.isatty():
        where = "all namespaces" if chosen is None else ", ".join(chosen)
        sys.stderr.write(f"Reading {where} of context {target.context} ({target.server}) …\n")
    return diagnose_cluster(target, chosen, selector, timeout=timeout)
