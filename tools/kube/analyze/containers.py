"""Container states of one pod: crash loops, image pulls, config errors, start errors, OOM, probes."""

from __future__ import annotations

from typing import Any

from tools.findings import Finding, Severity
from tools.kube.analyze import messages
from tools.kube.analyze.common import Context, event_quotes, make, status_source
from tools.kube.analyze.events import EventGroup
from tools.kube.analyze.fixes import config_fix, probe_fix, pull_fix, start_fix
from tools.kube.analyze.index import Obj, name_of, ns_of

_PULL = ("ImagePullBackOff", "ErrImagePull", "InvalidImageName", "ErrImageNeverPull")
_CONFIG = ("CreateContainerConfigError", "CreateContainerError")
_RUN = ("RunContainerError", "StartError", "ContainerCannotRun")


def _state_text(field: str, state: dict[str, Any]) -> str:
    for phase in ("waiting", "terminated", "running"):
        detail = state.get(phase)
        if detail is None:
            continue
        if phase == "terminated":
            text = f"{field}.terminated: reason={detail.get('reason', '')} exitCode={detail.get('exitCode')}"
            if detail.get("finishedAt"):
                text += f" finishedAt={detail['finishedAt']}"
            if detail.get("message"):
                text += f" message={str(detail['message']).strip()}"
            return text
        if phase == "waiting":
            return f"{field}.waiting: {detail.get('reason', '')}: {detail.get('message', '')}".rstrip(": ")
        return f"{field}.running since {detail.get('startedAt', '?')}"
    return f"{field}: (no state)"


def _container_events(groups: list[EventGroup], container: str, only_one: bool) -> list[EventGroup]:
    return [g for g in groups if g.container() == container or (g.container() is None and only_one)]


def _probe_groups(groups: list[EventGroup], kind: str) -> list[EventGroup]:
    return [
        g for g in groups if g.reason in ("Unhealthy", "Killing") and messages.probe_kind(g.message) == kind
    ]


class PodContainers:
    """Findings about the containers of one pod."""

    def __init__(self, ctx: Context, pod: Obj, groups: list[EventGroup]) -> None:
        self.ctx, self.pod, self.groups = ctx, pod, groups
        spec = pod.get("spec") or {}
        self.specs = {
            c.get("name"): c for c in (spec.get("initContainers") or []) + (spec.get("containers") or [])
        }
        self.only_one = len(self.specs) == 1
        self.label = f"{ns_of(pod)}/{name_of(pod)}"
        self.source = status_source("pods", pod)
        self.container = ""

    def analyze(self) -> list[Finding]:
        """One finding per broken container (init containers first)."""
        status = self.pod.get("status") or {}
        found: list[Finding] = []
        for field, init in (("initContainerStatuses", True), ("containerStatuses", False)):
            for container in status.get(field) or []:
                finding = self._container(f"{field}[{container.get('name')}]", container, init)
                if finding is not None:
                    found.append(self.ctx.add(finding))
        return found

    def _container(self, field: str, cs: dict[str, Any], init: bool) -> Finding | None:
        name = self.container = str(cs.get("name"))
        state, last = cs.get("state") or {}, cs.get("lastState") or {}
        restarts = int(cs.get("restartCount") or 0)
        groups = _container_events(self.groups, name, self.only_one)
        what = f"{'init container' if init else 'container'} {name}"
        quotes = [(self.source, _state_text(f"{field}.state", state))]
        if last.get("terminated"):
            quotes.append((self.source, _state_text(f"{field}.lastState", last)))
        if restarts:
            quotes.append((self.source, f"{field}.restartCount: {restarts}"))
        waiting = state.get("waiting") or {}
        reason = str(waiting.get("reason") or "")
        message = str(waiting.get("message") or "")
        if reason in _PULL:
            image = cs.get("image") or (self.specs.get(name) or {}).get("image", "?")
            pulls = [
                g for g in groups if g.reason in ("Failed", "BackOff", "ErrImageNeverPull", "InspectFailed")
            ]
            reading = messages.image_pull(" ".join([reason, message, *(g.message for g in pulls)]))
            return self._finding(
                "cluster-pod-image-pull",
                reading,
                f"image {image}: {reading.detail} ({reason})",
                quotes,
                pulls,
                Severity.HIGH,
                pull_fix(reading.category, image),
            )
        if reason in _CONFIG:
            failed = [g for g in groups if g.reason == "Failed"]
            reading = messages.config_error(" ".join([message, *(g.message for g in failed)]))
            quotes += self._reference_check(reading)
            return self._finding(
                "cluster-pod-config-error",
                reading,
                f"{what} cannot start: {reading.detail} ({reason})",
                quotes,
                failed,
                Severity.HIGH,
                config_fix(reading, ns_of(self.pod)),
            )
        if reason in _RUN:
            return self._start_error(what, reason, message, quotes, groups)
        terminated = state.get("terminated") or {}
        if reason == "CrashLoopBackOff" or (terminated and terminated.get("exitCode") not in (0, None)):
            return self._crash(what, last.get("terminated") or terminated, restarts, quotes, groups)
        if state.get("running") is not None and restarts > 0:
            return self._recovered(what, last.get("terminated") or {}, restarts, quotes, groups)
        return None

    def _finding(
        self,
        id: str,
        reading: messages.Reading,
        title: str,
        quotes: list[tuple[str, str]],
        groups: list[EventGroup],
        severity: Severity,
        fix: str,
        explanation: str = "",
    ) -> Finding:
        return make(
            id=id,
            category=reading.category,
            kind="pods",
            obj=self.pod,
            title=f"Pod {self.label}: {title}",
            severity=severity,
            quotes=quotes + event_quotes("pods", self.pod, groups),
            groups=groups,
            explanation=explanation or f"The kubelet reports that {reading.detail}.",
            fix=fix,
            confidence=reading.confidence,
        )

    def _reference_check(self, reading: messages.Reading) -> list[tuple[str, str]]:
        kind = {
            "container.config.missing_secret": "secrets",
            "container.config.missing_configmap": "configmaps",
        }
        words = reading.detail.split()
        key = kind.get(reading.category)
        if key is None or not words or not self.ctx.index.snapshot.readable(key):
            return []
        name, namespace = words[-1], ns_of(self.pod)
        if self.ctx.index.get(key, namespace, name) is None:
            return [(f"{key} in {namespace}", f"no {words[-2]} named {name} exists in namespace {namespace}")]
        return [(f"{key} in {namespace}", f"{words[-2]} {name} exists: a key it references is missing")]

    def _start_error(
        self, what: str, reason: str, message: str, quotes: list[tuple[str, str]], groups: list[EventGroup]
    ) -> Finding:
        failed = [g for g in groups if g.reason == "Failed"]
        reading = messages.run_error(" ".join([message, *(g.message for g in failed)]))
        return self._finding(
            "cluster-pod-start-error",
            reading,
            f"{what} cannot start: {reading.detail} ({reason})",
            quotes,
            failed,
            Severity.HIGH,
            start_fix(reading.category),
        )

    def _crash(
        self,
        what: str,
        last: dict[str, Any],
        restarts: int,
        quotes: list[tuple[str, str]],
        groups: list[EventGroup],
    ) -> Finding:
        code, why = last.get("exitCode"), str(last.get("reason") or "")
        backoff = [g for g in groups if g.reason == "BackOff"]
        for kind in ("liveness", "startup"):
            probes = _probe_groups(groups, kind)
            if probes:
                reading = messages.Reading(f"probe.{kind}_failed", 0.85, f"its {kind} probe fails")
                return self._finding(
                    f"cluster-pod-{kind}-probe",
                    reading,
                    f"{what} is restarted because its {kind} probe fails ({restarts} restarts)",
                    quotes,
                    probes + backoff,
                    Severity.HIGH,
                    probe_fix(kind),
                )
        if why == "OOMKilled":
            return self._oom(what, restarts, quotes, backoff, Severity.HIGH)
        if why in _RUN or code in (126, 127, 128):
            return self._start_error(what, why or "exit code", str(last.get("message") or ""), quotes, groups)
        reading = messages.Reading(
            "container.crash.app_error", 0.6, f"the application exits with code {code}"
        )
        title = (
            f"{what} is crash-looping (exit code {code}, {restarts} restarts)"
            if restarts
            else (f"{what} terminated with exit code {code}")
        )
        return self._finding(
            "cluster-pod-crashloop" if restarts else "cluster-pod-terminated",
            reading,
            title,
            quotes,
            backoff,
            Severity.HIGH,
            f"Read why it exits: `kubectl logs {name_of(self.pod)} -n {ns_of(self.pod)} -c "
            f"{self.container} --previous`; fix the error it prints (configuration, a dependency, a bug).",
            explanation=f"The container exits with code {code} ({why or 'Error'}); the kubelet restarts it "
            "with growing back-off. The previous container's log says why.",
        )

    def _oom(
        self,
        what: str,
        restarts: int,
        quotes: list[tuple[str, str]],
        groups: list[EventGroup],
        severity: Severity,
    ) -> Finding:
        limit = (
            ((self.specs.get(self.container) or {}).get("resources") or {}).get("limits", {}).get("memory")
        )
        reading = messages.Reading("container.oom", 0.95, "the container exceeded its memory limit")
        return self._finding(
            "cluster-pod-oom",
            reading,
            f"{what} was OOMKilled (memory limit {limit or 'none'}, {restarts} restarts)",
            quotes,
            groups,
            severity,
            "Raise resources.limits.memory (and requests) to what the process really uses "
            "(`kubectl top pod`), or cap the runtime's heap below the limit (-Xmx, GOMEMLIMIT, "
            "--max-old-space-size).",
            explanation="The kernel killed the process for using more memory than its limit (exit code 137).",
        )

    def _recovered(
        self,
        what: str,
        last: dict[str, Any],
        restarts: int,
        quotes: list[tuple[str, str]],
        groups: list[EventGroup],
    ) -> Finding | None:
        if last.get("reason") == "OOMKilled":
            return self._oom(what, restarts, quotes, [], Severity.MEDIUM)
        probes = _probe_groups(groups, "liveness")
        if probes:
            reading = messages.Reading("probe.liveness_failed", 0.8, "its liveness probe fails")
            return self._finding(
                "cluster-pod-liveness-probe",
                reading,
                f"{what} is restarted because its liveness probe fails ({restarts} restarts)",
                quotes,
                probes,
                Severity.HIGH,
                probe_fix("liveness"),
            )
        if restarts < 3 or last.get("exitCode") in (0, None):
            return None
        reading = messages.Reading("container.crash.app_error", 0.5, "it exited with an error before")
        finding = self._finding(
            "cluster-pod-restarts",
            reading,
            f"{what} restarted {restarts} times (last exit code {last.get('exitCode')}), running now",
            quotes,
            [],
            Severity.LOW,
            "Check the previous log for the error that made it exit.",
        )
        finding.role = "context"
        return finding
