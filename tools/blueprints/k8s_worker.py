"""Kubernetes queue or background worker: a Deployment with no Service, PDB, deny-all ingress, optional HPA.

A worker pulls its work (from a queue, a stream, a database) and serves nothing, so it
has no ports, no Service, and a NetworkPolicy that admits no ingress at all; its egress
is left open because the queue may be anywhere. Hardened like every shipmate blueprint:
non-root, read-only root filesystem (an emptyDir for /tmp), no privilege escalation, all
capabilities dropped, the runtime's seccomp profile, no service-account token, requests
and limits, replicas spread over nodes and a budget that lets one go at a time. The
grace period (60 s) gives an in-flight job time to finish after SIGTERM.

Probes: a worker has no port to probe, so `health_command` (run in the container; exit 0
means healthy) becomes exec liveness and readiness probes. Without one the pods have no
probes, and their template says so with the `shipmate.dev/ignore` annotation for the two
probe policies, with the reason written at the top of the file.
"""

from __future__ import annotations

import re
from typing import Any

from tools.blueprints.k8s_parts import (
    cpu_autoscaler,
    disruption_budget,
    dump,
    ingress_policy,
    labels_for,
    metadata,
    resources,
)
from tools.blueprints.k8s_workload_parts import (
    QUOTED,
    SECRETS_ROOT,
    app_name,
    comment,
    container_words,
    deployment,
    dns_name,
    exec_probe,
    first_group,
    hardened_container,
    pod_template,
    scratch_volume,
    secret_volume,
    words,
)
from tools.blueprints.model import Blueprint, GeneratedFile, Parameter
from tools.blueprints.value_checks import quantity

PARAMETERS = (
    Parameter(
        "image", "str", "container image with a pinned tag, e.g. ghcr.io/acme/worker:1.3.0", required=True
    ),
    Parameter("name", "str", "name of the worker and its objects (default: from the image)"),
    Parameter("namespace", "str", "namespace to deploy into", default="apps"),
    Parameter("replicas", "int", "replicas (the minimum when autoscaling)", default=2, minimum=1),
    Parameter(
        "autoscale_max", "int", "autoscale on CPU up to this many replicas (0: no autoscaling)", default=0
    ),
    Parameter(
        "command",
        "str",
        "command to run instead of the image's entrypoint, split like a shell would, "
        'e.g. "celery -A app worker" (empty: the image\'s entrypoint)',
        default="",
    ),
    Parameter("args", "str", "arguments for the command, split like a shell would (empty: none)", default=""),
    Parameter(
        "health_command",
        "str",
        'command that exits 0 while the worker is healthy, e.g. "celery -A app inspect ping": '
        "becomes exec liveness and readiness probes (empty: no probes)",
        default="",
    ),
    Parameter(
        "config_map",
        "str",
        "existing ConfigMap whose keys become environment variables (empty: none)",
        default="",
    ),
    Parameter(
        "secret",
        "str",
        f"existing Secret mounted read-only as files under {SECRETS_ROOT}/<name> (empty: none)",
        default="",
    ),
    Parameter("cpu_request", "str", "CPU request per replica", default="100m"),
    Parameter("cpu_limit", "str", "CPU limit per replica", default="1"),
    Parameter("memory_request", "str", "memory request per replica", default="256Mi"),
    Parameter("memory_limit", "str", "memory limit per replica", default="512Mi"),
    Parameter(
        "grace_seconds",
        "int",
        "seconds a stopping worker gets to finish its current job after SIGTERM",
        default=60,
        minimum=1,
    ),
)

PROBE_POLICIES = "K8S_LIVENESS_PROBE,K8S_READINESS_PROBE"


def render(values: dict[str, Any]) -> list[GeneratedFile]:
    """The manifests, one file with one document per object."""
    name = app_name(values)
    labels = labels_for(name)
    meta = metadata(name, dns_name(values["namespace"], "namespace"), labels)
    replicas = values["replicas"]
    autoscale = values["autoscale_max"] > replicas
    health = words(values["health_command"], "health_command")
    mounts: list[dict[str, Any]] = [{"name": "tmp", "mountPath": "/tmp"}]
    volumes = [scratch_volume("tmp")]
    if values["secret"]:
        secret = dns_name(values["secret"], "secret")
        mounts.append({"name": "secret", "mountPath": f"{SECRETS_ROOT}/{secret}", "readOnly": True})
        volumes.append(secret_volume("secret", secret))
    probes: dict[str, Any] = {}
    if health:
        probes = {
            "readinessProbe": exec_probe(health, periodSeconds=15, timeoutSeconds=5),
            "livenessProbe": exec_probe(
                health, initialDelaySeconds=30, periodSeconds=30, timeoutSeconds=10, failureThreshold=3
            ),
        }
    container = hardened_container(
        name,
        values["image"],
        command=words(values["command"], "command"),
        args=words(values["args"], "args"),
        envFrom=[{"configMapRef": {"name": dns_name(values["config_map"], "config_map")}}]
        if values["config_map"]
        else None,
        resources=resources(
            quantity(values["cpu_request"], "cpu_request"),
            quantity(values["memory_request"], "memory_request"),
            quantity(values["memory_limit"], "memory_limit"),
            quantity(values["cpu_limit"], "cpu_limit"),
        ),
        mounts=mounts,
        **probes,
    )
    template = pod_template(
        labels,
        [container],
        volumes,
        annotations=None if health else {"shipmate.dev/ignore": PROBE_POLICIES},
        terminationGracePeriodSeconds=values["grace_seconds"],
    )
    objects: list[dict[str, Any]] = [deployment(meta, labels, template, replicas, autoscale)]
    if replicas > 1 or autoscale:
        objects.append(disruption_budget(meta, labels))
    objects.append(ingress_policy(meta, labels, []))
    if autoscale:
        objects.append(cpu_autoscaler(meta, "Deployment", name, replicas, values["autoscale_max"]))
    header = (
        ""
        if health
        else comment(
            [
                "No probes: the worker serves no port, and no health_command was given. The pod template",
                f"switches off {PROBE_POLICIES} for that reason; give health_command (a command that",
                "exits 0 while the worker is healthy) to get exec probes instead.",
            ]
        )
    )
    return [GeneratedFile(f"{name}.yaml", header + dump(objects))]


_HEALTH_COMMAND = re.compile(
    r"\b(?:health\s*(?:check|command|cmd)?|liveness(?:\s+probe)?|probe)" + QUOTED, re.IGNORECASE
)
_COUNT = re.compile(r"\b(\d+)\s+(?:\w+\s+)?(?:workers|consumers)\b", re.IGNORECASE)


def extract(text: str) -> dict[str, Any]:
    """The worker's own parameters from an ask: quoted command, args and health command, ConfigMap, Secret,
    and "4 workers" as the replica count.
    """
    health = first_group(_HEALTH_COMMAND.search(text))
    found = container_words(_HEALTH_COMMAND.sub(" ", text))
    found["health_command"] = health
    found["replicas"] = first_group(_COUNT.search(text))
    return found


WORKER = Blueprint(
    name="k8s-worker",
    target="kubernetes",
    title="Queue or background worker: Deployment without a Service, PDB, deny-all ingress, optional HPA",
    parameters=PARAMETERS,
    render=render,
    keywords=(
        # "worker" as a word, not inside an image reference such as ghcr.io/acme/worker:1.0
        r"(?<![\w/.:@-])workers?\b(?![:/@.-]\w)",
        r"\b(?:queue|background|async|task|job|message|event|stream)[\s-]+(?:workers?|consumers?|processors?)\b",
        r"(?<![\w/.:@-])consumers?\b(?![:/@.-]\w)",
        r"\b(?:celery|sidekiq|dramatiq|resque|huey|arq|bullmq)\b(?![:/@.-]\w)",
        r"\bbackground\s+(?:jobs?|tasks?|processing)\b",
    ),
    extract=extract,
    examples=(
        {
            "image": "ghcr.io/acme/mailer:2.4.1",
            "name": "mailer",
            "replicas": 3,
            "autoscale_max": 12,
            "command": "celery -A mailer worker --loglevel=info --concurrency=4",
            "health_command": "celery -A mailer inspect ping --timeout 5",
            "config_map": "mailer-settings",
            "secret": "mailer-broker",
        },
        {"image": "ghcr.io/acme/indexer:0.9.0", "replicas": 1},
        {"image": "ghcr.io/acme/consumer:1.0.0", "args": "--topic orders --group billing"},
    ),
    example_ask="queue worker ghcr.io/acme/mailer:2.4.1 with 3 replicas, autoscale to 12",
)

BLUEPRINTS = (WORKER,)
