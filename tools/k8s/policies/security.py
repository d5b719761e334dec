"""Security policies on a pod spec: privileges, capabilities, users, host access, seccomp, secrets."""

from __future__ import annotations

import re
from typing import Any

from tools.k8s.policies.emit import Report
from tools.k8s.policies.pods import Container, Path, PodSpec, as_int, mapping, sequence

ALLOWED_ADDED_CAPABILITIES = frozenset({"NET_BIND_SERVICE"})  # what the Restricted standard allows
RUNTIME_SOCKETS = frozenset(
    f"{run}{socket}"
    for run in ("/var/run", "/run")
    for socket in (
        "",
        "/docker.sock",
        "/containerd",
        "/containerd/containerd.sock",
        "/crio",
        "/crio/crio.sock",
        "/cri-dockerd.sock",
        "/dockershim.sock",
    )
)
GOOD_SECCOMP_TYPES = frozenset({"RuntimeDefault", "Localhost"})
POD_SECCOMP_ANNOTATION = "seccomp.security.alpha.kubernetes.io/pod"
CONTAINER_SECCOMP_ANNOTATION = "container.seccomp.security.alpha.kubernetes.io/"
_SECRET_NAME = re.compile(
    r"PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|CREDENTIAL|(PRIVATE|API|ACCESS|LICEN[CS]E|ENCRYPTION|SIGNING)_?KEY"
    r"|(^|_)PWD($|_)",
    re.IGNORECASE,
)
_NOT_A_SECRET = re.compile(
    r"_(FILE|PATH|DIR|NAME|URL|URI|ENDPOINT|HOST|PORT|TYPE|MODE|ENABLED|TTL|EXPIRY|TIMEOUT|LENGTH|SIZE|HEADER"
    r"|ID|KIND|REF)$",
    re.IGNORECASE,
)
_FLAG_VALUES = frozenset({"true", "false", "yes", "no", "on", "off", "0", "1"})


def check_pod_security(pod: PodSpec, report: Report) -> None:
    """Every security policy on one pod spec and its containers."""
    spec = pod.spec
    for key, policy_id in (
        ("hostNetwork", "K8S_HOST_NETWORK"),
        ("hostPID", "K8S_HOST_PID"),
        ("hostIPC", "K8S_HOST_IPC"),
    ):
        if spec.get(key) is True:
            report.add(policy_id, (*pod.path, key), f"{key}: true")
    _volumes(pod, report)
    linux = mapping(spec.get("os")).get("name") != "windows"
    if linux and pod.containers:
        _run_as_root(pod, report)
        _seccomp(pod, report)
    for container in pod.containers:
        _container(container, linux, report)
        _env(container, report)


def _volumes(pod: PodSpec, report: Report) -> None:
    for index, volume in enumerate(sequence(pod.spec.get("volumes"))):
        host_path = mapping(volume).get("hostPath") if isinstance(volume, dict) else None
        if host_path is None:
            continue
        path = mapping(host_path).get("path")
        where = (*pod.path, "volumes", index, "hostPath", "path")
        shown = path if isinstance(path, str) else "(no path)"
        if isinstance(path, str) and (path.rstrip("/") or "/") in RUNTIME_SOCKETS:
            report.add("K8S_DOCKER_SOCKET", where, f"hostPath: {shown}")
        else:
            report.add("K8S_HOST_PATH", where, f"hostPath: {shown}")


def _container(container: Container, linux: bool, report: Report) -> None:
    context = container.security_context
    where = (*container.path, "securityContext")
    who = container.describe()
    if context.get("privileged") is True:
        report.add("K8S_PRIVILEGED", (*where, "privileged"), f"{who}: privileged: true")
    if linux and context.get("allowPrivilegeEscalation") is not False:
        shown = (
            "allowPrivilegeEscalation: true"
            if context.get("allowPrivilegeEscalation") is True
            else ("allowPrivilegeEscalation not set (defaults to true)")
        )
        report.add("K8S_ALLOW_PRIVILEGE_ESCALATION", (*where, "allowPrivilegeEscalation"), f"{who}: {shown}")
    capabilities = mapping(context.get("capabilities"))
    added: list[str] = []
    for index, value in enumerate(sequence(capabilities.get("add"))):
        name = _capability(value)
        if name in ("SYS_ADMIN", "ALL"):
            report.add("K8S_SYS_ADMIN", (*where, "capabilities", "add", index), f"{who} adds {name}")
        elif name and name not in ALLOWED_ADDED_CAPABILITIES:
            added.append(name)
    if added:
        report.add(
            "K8S_ADDED_CAPABILITIES", (*where, "capabilities", "add"), f"{who} adds {', '.join(added)}"
        )
    if linux:
        dropped = {_capability(value) for value in sequence(capabilities.get("drop"))}
        if "ALL" not in dropped:
            drop_path = (*where, "capabilities", "drop")
            report.add("K8S_DROP_ALL_CAPABILITIES", drop_path, f"{who} does not drop ALL capabilities")
            if "NET_RAW" not in dropped:
                report.add("K8S_NET_RAW", drop_path, f"{who} drops neither NET_RAW nor ALL")
        if container.group != "ephemeralContainers" and context.get("readOnlyRootFilesystem") is not True:
            report.add(
                "K8S_READONLY_ROOT_FS",
                (*where, "readOnlyRootFilesystem"),
                f"{who}: readOnlyRootFilesystem is not true",
            )
    for index, port in enumerate(sequence(container.spec.get("ports"))):
        host_port = as_int(mapping(port).get("hostPort"))
        if host_port:
            report.add(
                "K8S_HOST_PORT",
                (*container.path, "ports", index, "hostPort"),
                f"{who}: hostPort: {host_port}",
            )


def _capability(value: Any) -> str:
    return value.upper().removeprefix("CAP_") if isinstance(value, str) else ""


def _run_as_root(pod: PodSpec, report: Report) -> None:
    """Each container must be kept off UID 0: runAsNonRoot: true or a non-zero runAsUser, own or the pod's."""
    pod_context = pod.security_context
    pod_non_root = pod_context.get("runAsNonRoot")
    pod_user = pod_context.get("runAsUser")
    failing: list[tuple[Container, Path | None, str]] = []
    for container in pod.containers:
        context = container.security_context
        non_root = context["runAsNonRoot"] if isinstance(context.get("runAsNonRoot"), bool) else pod_non_root
        own_user = "runAsUser" in context
        uid = as_int(context.get("runAsUser") if own_user else pod_user)
        if uid is not None and uid > 0:
            continue
        where: Path | None
        if uid == 0:
            where = (
                (*container.path, "securityContext", "runAsUser")
                if own_user
                else (*pod.path, "securityContext", "runAsUser")
            )
            failing.append((container, where, f"{container.describe()} runs as runAsUser: 0"))
        elif non_root is not True:
            own = "runAsNonRoot" in context or own_user
            where = (*container.path, "securityContext") if own else None
            failing.append((container, where, f"{container.describe()}: runAsNonRoot is not true"))
    if not failing:
        return
    if len(failing) == len(pod.containers) and all(where is None for _, where, _ in failing):
        report.add(
            "K8S_RUN_AS_ROOT",
            (*pod.path, "securityContext"),
            "neither the pod nor its containers set runAsNonRoot: true or a non-zero runAsUser",
        )
        return
    for container, where, text in failing:
        report.add("K8S_RUN_AS_ROOT", where or container.path, text)


def _seccomp(pod: PodSpec, report: Report) -> None:
    annotations = pod.annotations
    pod_type = mapping(pod.security_context.get("seccompProfile")).get("type")
    if pod_type is not None:
        pod_ok = pod_type in GOOD_SECCOMP_TYPES
    else:
        pod_ok = _good_annotation(annotations.get(POD_SECCOMP_ANNOTATION))
    failing: list[tuple[Container, str | None]] = []  # (container, its own profile type when it sets one)
    for container in pod.containers:
        own_type = mapping(container.security_context.get("seccompProfile")).get("type")
        if own_type is not None:
            if own_type not in GOOD_SECCOMP_TYPES:
                failing.append((container, str(own_type)))
            continue
        own_annotation = annotations.get(CONTAINER_SECCOMP_ANNOTATION + container.name)
        ok = _good_annotation(own_annotation) if own_annotation is not None else pod_ok
        if not ok:
            failing.append((container, None))
    if not failing:
        return
    if len(failing) == len(pod.containers) and all(own is None for _, own in failing):
        where = (*pod.path, "securityContext", "seccompProfile", "type")
        shown = (
            f"pod seccompProfile type {pod_type}"
            if pod_type is not None
            else ("no seccompProfile on the pod or its containers")
        )
        report.add("K8S_SECCOMP", where, shown)
        return
    for container, own in failing:
        where = (*container.path, "securityContext", "seccompProfile", "type")
        shown = f"seccompProfile type {own}" if own else "no seccompProfile (the pod sets none that applies)"
        report.add("K8S_SECCOMP", where, f"{container.describe()}: {shown}")


def _good_annotation(value: Any) -> bool:
    return isinstance(value, str) and (
        value in ("runtime/default", "docker/default") or value.startswith("localhost/")
    )


def _env(container: Container, report: Report) -> None:
    who = container.describe()
    for index, item in enumerate(sequence(container.spec.get("env"))):
        if not isinstance(item, dict):
            continue
        name = item.get("name")
        value = item.get("value")
        if (
            isinstance(name, str)
            and isinstance(value, str)
            and value.strip()
            and not value.startswith("$(")
            and value.lower() not in _FLAG_VALUES
            and _SECRET_NAME.search(name)
            and not _NOT_A_SECRET.search(name)
        ):
            report.add(
                "K8S_SECRET_ENV_VALUE",
                (*container.path, "env", index, "value"),
                f"{who}: {name} is written inline ({len(value)} characters, not shown)",
                0.8,
            )
        if "secretKeyRef" in mapping(item.get("valueFrom")):
            report.add(
                "K8S_SECRET_ENV_REF",
                (*container.path, "env", index, "valueFrom", "secretKeyRef"),
                f"{who}: {name} comes from a Secret",
            )
    for index, source in enumerate(sequence(container.spec.get("envFrom"))):
        if isinstance(source, dict) and "secretRef" in source:
            secret = mapping(source.get("secretRef")).get("name")
            report.add(
                "K8S_SECRET_ENV_REF",
                (*container.path, "envFrom", index, "secretRef"),
                f"{who}: every key of Secret {secret} becomes a variable",
            )
