"""`diagnose_cluster`: read a cluster, analyse it, name the causes (with logs), redact, report."""

from __future__ import annotations

import time
from collections.abc import Sequence

from tools.findings import Finding
from tools.kube.config import KubeTarget
from tools.kube.report import ClusterInfo, ClusterReport
from tools.kube.snapshot import ClusterSnapshot
from tools.logs.report import InputSummary, Stats
from tools.redaction.secrets import Redactor


def diagnose_cluster(
    target: KubeTarget,
    namespaces: Sequence[str] | None,
    label_selector: str | None = None,
    *,
    timeout: float = 10.0,
    log_limit: int = 20,
) -> ClusterReport:
    """Everything broken in `namespaces` (None: all) of the cluster `target` reaches, root causes first.

    Raises InputError when the API server cannot be reached or refuses the credentials; a kind
    the credentials may not read is listed in the report's `cluster.not_read` instead.
    """
    from tools.kube.analyze import analyze, containers_needing_logs, rank
    from tools.kube.log_causes import attach_log_causes
    from tools.kube.read import read_cluster

    started = time.perf_counter()
    snapshot = read_cluster(
        target,
        namespaces,
        label_selector,
        needs_logs=lambda s: containers_needing_logs(s, limit=log_limit),
        timeout=timeout,
    )
    findings = rank(attach_log_causes(analyze(snapshot), snapshot))  # a log can make a finding surer
    return build_report(snapshot, findings, label_selector, time.perf_counter() - started)


def build_report(
    snapshot: ClusterSnapshot, findings: list[Finding], label_selector: str | None, seconds: float
) -> ClusterReport:
    """The report of an analysis: findings redacted, what was read and what was not."""
    from tools.logs.catalogue import load_catalogue

    redactor = Redactor()
    safe = [_redacted(finding, redactor) for finding in findings]
    not_read = [
        f"{kind}: forbidden ({permission})" for kind, permission in sorted(snapshot.forbidden.items())
    ]
    not_read += [f"{what}: {problem}" for what, problem in sorted(snapshot.errors.items())]
    inputs = [
        InputSummary(source=f"{kind} ({_scope(snapshot)})", kind="kubernetes-api", lines=len(items))
        for kind, items in sorted(snapshot.objects.items())
    ]
    inputs += [
        InputSummary(
            source=f"logs {key.namespace}/{key.pod}/{key.container}",
            kind="container-log",
            lines=text.count("\n"),
            bytes=len(text.encode("utf-8")),
        )
        for key, text in sorted(snapshot.logs.items(), key=lambda item: (item[0].namespace, item[0].pod))
    ]
    return ClusterReport(
        inputs=inputs,
        findings=safe,
        notes=[redactor.redact(f"not read: {line}") for line in not_read],
        stats=Stats(
            bytes=snapshot.bytes_read,
            lines=sum(len(items) for items in snapshot.objects.values()),
            seconds=round(seconds, 3),
            signatures=len(load_catalogue().signatures),
            unexplained_templates=0,
        ),
        cluster=ClusterInfo(
            context=snapshot.context,
            namespaces=snapshot.namespaces,
            label_selector=label_selector,
            objects={kind: len(items) for kind, items in sorted(snapshot.objects.items())},
            not_read=not_read,
            api_calls=snapshot.api_calls,
            logs_read=len(snapshot.logs),
        ),
    )


def _redacted(finding: Finding, redactor: Redactor) -> Finding:
    redact = redactor.redact
    evidence = [e.model_copy(update={"text": redact(e.text)}) for e in finding.evidence]
    return finding.model_copy(
        update={
            "evidence": evidence,
            "title": redact(finding.title),
            "explanation": redact(finding.explanation),
            "fix": redact(finding.fix),
            "notes": [redact(note) for note in finding.notes],
        }
    )


def _scope(snapshot: ClusterSnapshot) -> str:
    return "all namespaces" if snapshot.namespaces is None else ", ".join(snapshot.namespaces)
