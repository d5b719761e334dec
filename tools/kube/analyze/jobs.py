"""Jobs that failed (back-off limit, deadline) and CronJobs whose recent runs fail."""

from __future__ import annotations

from tools.findings import Finding, Severity
from tools.kube.analyze.common import Context, make, status_source
from tools.kube.analyze.index import Obj, controller_of, meta, name_of, ns_of


def _failed(job: Obj) -> Obj | None:
    for condition in (job.get("status") or {}).get("conditions") or []:
        if condition.get("type") == "Failed" and condition.get("status") == "True":
            return dict(condition)
    return None


def _complete(job: Obj) -> bool:
    return any(
        c.get("type") == "Complete" and c.get("status") == "True"
        for c in (job.get("status") or {}).get("conditions") or []
    )


def _newest_runs(ctx: Context) -> set[int]:
    """The most recent Job of each CronJob."""
    newest: dict[tuple[str, str], Obj] = {}
    for job in ctx.index.snapshot.items("jobs"):
        owner = controller_of(job)
        if owner is None or owner[0] != "CronJob":
            continue
        kept = newest.get((ns_of(job), owner[1]))
        if kept is None or _start(job) >= _start(kept):
            newest[(ns_of(job), owner[1])] = job
    return {id(job) for job in newest.values()}


def _start(job: Obj) -> str:
    return str((job.get("status") or {}).get("startTime") or meta(job).get("creationTimestamp") or "")


def analyze_jobs(ctx: Context) -> None:
    """Findings for failed Jobs (symptoms of their pods' causes) and failing CronJobs."""
    newest = _newest_runs(ctx)
    for job in ctx.index.snapshot.items("jobs"):
        condition = _failed(job)
        if condition is None:
            continue
        owner = controller_of(job)
        earlier_run = owner is not None and owner[0] == "CronJob" and id(job) not in newest
        behind = list(ctx.on("jobs", job))
        for pod in ctx.index.workload_pods("jobs", job):
            behind += ctx.on("pods", pod)
        causes = ctx.root_causes(behind)
        status = job.get("status") or {}
        reason = str(condition.get("reason") or "Failed")
        finding = ctx.add(
            make(
                id="cluster-job-failed",
                category=causes[0].category if causes else "container.crash.app_error",
                kind="jobs",
                obj=job,
                title=f"Job {ns_of(job)}/{name_of(job)} failed ({reason})",
                severity=Severity.HIGH,
                quotes=[
                    (
                        status_source("jobs", job),
                        f"condition Failed=True reason={reason}: {condition.get('message', '')}".rstrip(": "),
                    ),
                    (status_source("jobs", job), f"failed pods: {status.get('failed', 0)}"),
                ],
                explanation=(
                    "The Job gave up: "
                    + (
                        "its pods kept failing until the back-off limit."
                        if reason == "BackoffLimitExceeded"
                        else "it ran longer than activeDeadlineSeconds."
                        if reason == "DeadlineExceeded"
                        else str(condition.get("message") or reason)
                    )
                ),
                fix=f"Read the failed pod's log (`kubectl logs job/{name_of(job)} -n {ns_of(job)}`), fix the "
                "cause and run it again (a Job's pod template is immutable: delete and recreate it).",
                confidence=0.9,
            )
        )
        if earlier_run and not causes:
            finding.role, finding.severity = "context", Severity.MEDIUM
            finding.notes.append(f"an earlier run of CronJob {ns_of(job)}/{owner[1] if owner else ''}")
        ctx.link(finding, causes)
    for cronjob in ctx.index.snapshot.items("cronjobs"):
        _cronjob(ctx, cronjob)


def _cronjob(ctx: Context, cronjob: Obj) -> None:
    jobs = ctx.index.children("jobs", "CronJob", cronjob)
    finished = [j for j in jobs if _complete(j) or _failed(j) is not None]
    if not finished:
        return
    finished.sort(key=_start)
    last = finished[-1]
    if _failed(last) is None:
        return
    failures = [j for j in finished if _failed(j) is not None]
    causes: list[Finding] = ctx.root_causes([f for j in reversed(failures) for f in ctx.on("jobs", j)])
    status = cronjob.get("status") or {}
    source = status_source("cronjobs", cronjob)
    finding = ctx.add(
        make(
            id="cluster-cronjob-failing",
            category=causes[0].category if causes else "container.crash.app_error",
            kind="cronjobs",
            obj=cronjob,
            title=f"CronJob {ns_of(cronjob)}/{name_of(cronjob)}: its last run failed "
            f"({len(failures)} of {len(finished)} recent runs failed)",
            severity=Severity.HIGH,
            quotes=[
                (
                    source,
                    f"schedule {(cronjob.get('spec') or {}).get('schedule')}; "
                    f"lastScheduleTime={status.get('lastScheduleTime')}; "
                    f"lastSuccessfulTime={status.get('lastSuccessfulTime')}",
                ),
                (source, f"last Job {name_of(last)} failed"),
            ],
            explanation="The scheduled work is not being done: the most recent Job failed.",
            fix=f"See the failed Job's finding; test a run with `kubectl create job --from=cronjob/"
            f"{name_of(cronjob)} {name_of(cronjob)}-manual -n {ns_of(cronjob)}`.",
            confidence=0.9,
        )
    )
    ctx.link(finding, causes)
