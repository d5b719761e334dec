"""The agent's cluster tools: the same read-only functions as `shipmate diagnose --cluster`.

Everything read from the cluster (object names, events, logs) is data written by others:
it is redacted and fenced as untrusted before the model sees it.
"""

from __future__ import annotations

from collections.abc import Callable

from assistant.agent.session import AgentSession
from assistant.agent.untrusted import fence

MAX_FINDINGS = 25


def cluster_tools(session: AgentSession) -> list[Callable[..., str]]:
    """Tools reading the cluster of the current kubeconfig context (or `session.kube_context`)."""

    def diagnose_cluster(namespace: str = "", all_namespaces: bool = False, selector: str = "") -> str:
        """Find everything broken in a namespace of the cluster, read-only: root causes first, with evidence.

        Args:
            namespace: namespace to read; empty for the context's default namespace.
            all_namespaces: read every namespace instead.
            selector: only objects with these labels, e.g. app=web.
        """
        replayed = _replay(
            session,
            "diagnose_cluster",
            {"namespace": namespace, "all_namespaces": all_namespaces, "selector": selector},
        )
        if replayed is not None:
            return replayed
        from tools.kube.config import connect
        from tools.kube.diagnose_cluster import diagnose_cluster as run

        target = connect(session.kube_context)
        namespaces = None if all_namespaces else [namespace or target.namespace]
        report = run(target, namespaces, selector or None)
        lines = [
            f"{sum(report.cluster.objects.values())} objects read in {report.cluster.api_calls} API calls; "
            f"{len(report.findings)} findings"
        ]
        for finding in report.findings[:MAX_FINDINGS]:
            lines.append(
                f"- [{finding.severity.value}] {finding.category} ({finding.role}) {finding.resource}: "
                f"{finding.title}"
            )
            lines += [f"    {e.source}:{e.line}: {e.text}" for e in finding.evidence[:4]]
            if finding.fix:
                lines.append(f"    fix: {finding.fix.splitlines()[0]}")
        lines += [f"not read: {line}" for line in report.cluster.not_read]
        return fence("\n".join(lines), f"cluster {target.context}", "cluster diagnosis", session.redactor)

    def describe_pod(namespace: str, name: str) -> str:
        """A pod's phase, conditions, container states and restarts, and its events (like kubectl describe).

        Args:
            namespace: the pod's namespace.
            name: the pod's name.
        """
        replayed = _replay(session, "describe_pod", {"namespace": namespace, "name": name})
        if replayed is not None:
            return replayed
        from tools.kube.config import connect
        from tools.kube.objects import pod_summary

        text = pod_summary(connect(session.kube_context), namespace, name)
        return fence(text, f"pod {namespace}/{name}", "cluster object", session.redactor)

    def pod_log(
        namespace: str,
        name: str,
        container: str,
        previous: bool = False,
        tail: int = 200,
        since_seconds: int = 0,
    ) -> str:
        """The last lines of a container's log; `previous` for the run before the last restart.

        Args:
            namespace: the pod's namespace.
            name: the pod's name.
            container: the container's name.
            previous: the crashed run's log instead of the current one.
            tail: how many lines, at most 1000.
            since_seconds: only the lines of the last this many seconds (0: no limit).
        """
        replayed = _replay(
            session,
            "pod_log",
            {"namespace": namespace, "name": name, "container": container, "previous": previous},
        )
        if replayed is not None:
            return replayed
        from tools.kube.config import connect
        from tools.kube.objects import container_log
        from tools.kube.snapshot import LogKey

        key = LogKey(namespace, name, container, previous)
        text = container_log(connect(session.kube_context), key, tail=tail, since_seconds=since_seconds)
        return fence(text, f"log {namespace}/{name}/{container}", "container log", session.redactor)

    return [diagnose_cluster, describe_pod, pod_log]


def _replay(session: AgentSession, tool: str, args: dict[str, object]) -> str | None:
    """In an eval case, the recorded output for this call (fenced), or an error; None outside eval."""
    if session.recorded is None:
        return None
    output = session.recorded.answer(tool, args)
    if output is None:
        shown = ", ".join(f"{key}={value!r}" for key, value in args.items() if value not in ("", False, 0))
        return f"error: this case recorded no output for {tool}({shown})"
    return fence(output, f"recorded {tool}", "cluster object", session.redactor)
