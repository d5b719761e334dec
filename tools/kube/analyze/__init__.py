"""Cluster analyzers: findings about broken objects in a ClusterSnapshot, causes linked to symptoms.

The analyzers run in dependency order so later ones can link to earlier findings: nodes and
claims first (they explain pods), pods, the controllers that create pods, the workloads,
Services over pods, Ingresses over Services, then autoscalers, Jobs and quotas.
"""

from __future__ import annotations

from tools.findings import Finding
from tools.kube.analyze.autoscaling import analyze_autoscalers
from tools.kube.analyze.common import Context
from tools.kube.analyze.index import ClusterIndex
from tools.kube.analyze.ingresses import analyze_ingresses
from tools.kube.analyze.jobs import analyze_jobs
from tools.kube.analyze.needs_logs import containers_needing_logs
from tools.kube.analyze.nodes import analyze_nodes, not_ready_nodes
from tools.kube.analyze.pods import analyze_pods
from tools.kube.analyze.quotas import analyze_quotas
from tools.kube.analyze.services import analyze_services
from tools.kube.analyze.storage import analyze_claims
from tools.kube.analyze.workloads import analyze_controllers, analyze_workloads
from tools.kube.snapshot import ClusterSnapshot

__all__ = ["analyze", "containers_needing_logs", "rank"]

_ROLE_ORDER = {"cause": 0, "symptom": 1, "context": 2}


def rank(findings: list[Finding]) -> list[Finding]:
    """Causes before symptoms before context; within each, most severe, then most certain first."""
    return sorted(
        findings,
        key=lambda f: (_ROLE_ORDER[f.role], -f.severity.rank, -f.confidence, f.resource or "", f.id),
    )


def analyze(snapshot: ClusterSnapshot) -> list[Finding]:
    """Every problem the snapshot shows, as ranked findings (engine "cluster")."""
    ctx = Context(index=ClusterIndex(snapshot))
    analyze_nodes(ctx)
    analyze_claims(ctx)
    analyze_pods(ctx, not_ready_nodes(ctx))
    analyze_controllers(ctx)
    analyze_workloads(ctx)
    analyze_services(ctx)
    analyze_ingresses(ctx)
    analyze_autoscalers(ctx)
    analyze_jobs(ctx)
    analyze_quotas(ctx)
    return rank(ctx.findings)
