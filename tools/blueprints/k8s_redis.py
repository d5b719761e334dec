"""Kubernetes Redis: a one-instance StatefulSet with its volume, Services, PDB and a client-only policy.

What it renders: a StatefulSet of the official `redis` image (one pod: replicas and
failover need Sentinel or an operator), a ReadWriteOnce volume claim for /data, a headless
Service for the pod's stable DNS name and a client Service `<name>` on port 6379, a
PodDisruptionBudget, and a NetworkPolicy that admits port 6379 only from pods carrying
the client label (`<name>-client=true` unless `client_label` says otherwise).

The password is never in the output, nor in any process's arguments: the pod reads it
from an existing Secret (`password_secret`, by default `<name>-auth`, key `password`)
mounted as a file, and the start command writes `requirepass` into a config file on a
memory-backed emptyDir that only the redis user can read, then starts redis-server with
it. You create the Secret, with a password of letters and digits (Redis config syntax
breaks on spaces and quotes), e.g.
`kubectl -n apps create secret generic redis-auth --from-literal=password="$(openssl rand -hex 32)"`.

Defaults: append-only file persistence (`appendfsync everysec`: at most a second of
writes lost on a crash), `maxmemory` at three quarters of the memory limit so Redis
refuses writes (noeviction) or evicts (`maxmemory_policy`) before the kernel kills it.
Hardened: the image's own `redis` user (uid and gid 999) with fsGroup 999 for the
volume, a read-only root filesystem, no privilege escalation, all capabilities dropped,
the runtime's seccomp profile, no service-account token. Probes run `redis-cli ping`
with the password from the mounted file (in the environment of that one command only).
"""

from __future__ import annotations

import re
from typing import Any

from tools.blueprints.k8s_parts import dump, labels_for, metadata, resources
from tools.blueprints.k8s_postgres import common_extract
from tools.blueprints.k8s_workload_parts import (
    SECRETS_ROOT,
    app_name,
    comment,
    dns_name,
    exec_probe,
    hardened_container,
    label_pair,
    pod_template,
    scratch_volume,
    secret_key,
    secret_volume,
    single_instance_database,
)
from tools.blueprints.model import Blueprint, GeneratedFile, Parameter
from tools.blueprints.value_checks import quantity
from tools.errors import InputError

PORT = 6379
UID = 999  # the redis user of the official Debian-based image
PASSWORD_FILE = f"{SECRETS_ROOT}/redis/password"
CONFIG_FILE = "/run/redis/auth.conf"
POLICIES = (
    "noeviction",
    "allkeys-lru",
    "allkeys-lfu",
    "allkeys-random",
    "volatile-lru",
    "volatile-lfu",
    "volatile-random",
    "volatile-ttl",
)

PARAMETERS = (
    Parameter(
        "image",
        "str",
        "Redis image with a pinned tag (the official Debian-based image runs as uid 999)",
        default="redis:7.4.1",
    ),
    Parameter("name", "str", "name of the Redis server and its objects", default="redis"),
    Parameter("namespace", "str", "namespace to deploy into (where its clients run)", default="apps"),
    Parameter(
        "password_secret",
        "str",
        "existing Secret with the password; you create it (default: <name>-auth)",
        default="",
    ),
    Parameter("password_key", "str", "key of the password in that Secret", default="password"),
    Parameter("storage", "str", "size of the data volume", default="5Gi"),
    Parameter(
        "storage_class", "str", "StorageClass of the data volume (empty: the cluster's default)", default=""
    ),
    Parameter(
        "append_only",
        "bool",
        "persist every write to the append-only file (off: snapshots only)",
        default=True,
    ),
    Parameter(
        "maxmemory_policy",
        "str",
        "what Redis does at maxmemory: noeviction (refuse writes, for data) or an eviction policy "
        "such as allkeys-lru (for a cache)",
        default="noeviction",
        choices=POLICIES,
    ),
    Parameter(
        "client_label",
        "str",
        "label key=value of the pods allowed to connect (default: <name>-client=true)",
        default="",
    ),
    Parameter(
        "client_namespace",
        "str",
        "namespace of those pods (empty: the server's own namespace)",
        default="",
    ),
    Parameter("cpu_request", "str", "CPU request", default="100m"),
    Parameter("cpu_limit", "str", "CPU limit", default="1"),
    Parameter("memory_request", "str", "memory request", default="256Mi"),
    Parameter("memory_limit", "str", "memory limit (maxmemory is three quarters of it)", default="512Mi"),
)

_BYTES = {
    "": 1,
    "k": 10**3,
    "m": 10**6,
    "g": 10**9,
    "t": 10**12,
    "ki": 2**10,
    "mi": 2**20,
    "gi": 2**30,
    "ti": 2**40,
}


def max_memory(limit: str) -> str:
    """Three quarters of a memory quantity, in whole megabytes as Redis reads them (`384mb`)."""
    match = re.match(r"^(\d+(?:\.\d+)?)([KMGT]i?|k)?$", limit)
    if not match:
        raise InputError("--set memory_limit", f"{limit!r} is not a memory quantity such as 512Mi or 2Gi")
    total = float(match.group(1)) * _BYTES[(match.group(2) or "").lower()]
    megabytes = int(total * 3 / 4) // 2**20
    if megabytes < 16:
        raise InputError("--set memory_limit", f"{limit} is too little for Redis: give at least 32Mi")
    return f"{megabytes}mb"


def render(values: dict[str, Any]) -> list[GeneratedFile]:
    """The manifests, one file with one document per object."""
    name = app_name(values, "redis")
    namespace = dns_name(values["namespace"], "namespace")
    labels = labels_for(name)
    meta = metadata(name, namespace, labels)
    secret = dns_name(values["password_secret"] or f"{name}-auth", "password_secret")
    secret_key(values["password_key"], "password_key")
    client = label_pair(values["client_label"] or f"{name}-client=true", "client_label")
    memory_limit = quantity(values["memory_limit"], "memory_limit")
    settings = [
        f"--port {PORT}",
        "--dir /data",
        f"--appendonly {'yes' if values['append_only'] else 'no'}",
        f"--maxmemory {max_memory(memory_limit)}",
        f"--maxmemory-policy {values['maxmemory_policy']}",
    ]
    # printf is a shell builtin: the password appears in no process's arguments
    start = (
        f'umask 077 && printf "requirepass %s\\n" "$(cat {PASSWORD_FILE})" > {CONFIG_FILE} '
        f"&& exec redis-server {CONFIG_FILE} {' '.join(settings)}"
    )
    ping = f'REDISCLI_AUTH="$(cat {PASSWORD_FILE})" redis-cli -h 127.0.0.1 -p {PORT} ping | grep -q PONG'
    probe = ["sh", "-c", ping]
    container = hardened_container(
        "redis",
        values["image"],
        command=["sh", "-c", start],
        ports=[{"name": "redis", "containerPort": PORT, "protocol": "TCP"}],
        startupProbe=exec_probe(probe, periodSeconds=5, timeoutSeconds=5, failureThreshold=60),
        readinessProbe=exec_probe(probe, periodSeconds=10, timeoutSeconds=5),
        livenessProbe=exec_probe(probe, periodSeconds=20, timeoutSeconds=5, failureThreshold=5),
        resources=resources(
            quantity(values["cpu_request"], "cpu_request"),
            quantity(values["memory_request"], "memory_request"),
            memory_limit,
            quantity(values["cpu_limit"], "cpu_limit"),
        ),
        mounts=[
            {"name": "data", "mountPath": "/data"},
            {"name": "config", "mountPath": "/run/redis"},
            {"name": "password", "mountPath": f"{SECRETS_ROOT}/redis", "readOnly": True},
        ],
    )
    template = pod_template(
        labels,
        [container],
        [
            scratch_volume("config", "1Mi", memory=True),
            secret_volume("password", secret, [(values["password_key"], "password")]),
        ],
        run_as_user=UID,
        fs_group=UID,
        spread=False,
        terminationGracePeriodSeconds=30,
    )
    template["spec"]["securityContext"]["fsGroupChangePolicy"] = "OnRootMismatch"
    objects = single_instance_database(
        meta,
        labels,
        template,
        port_name="redis",
        port=PORT,
        storage=values["storage"],
        storage_class=values["storage_class"],
        client_labels=client,
        client_namespace=values["client_namespace"],
    )
    [(key, value)] = client.items()
    where = f" in namespace {values['client_namespace']}" if values["client_namespace"] else ""
    header = comment(
        [
            f"Redis {name}: clients connect to {name}.{namespace}.svc:{PORT} with the password,",
            f"from pods labelled {key}={value}{where}.",
            f"The password comes from the Secret {secret} (key {values['password_key']}), which you create",
            "first, with letters and digits only:",
            f"  kubectl -n {namespace} create secret generic {secret} \\",
            f'    --from-literal={values["password_key"]}="$(openssl rand -hex 32)"',
        ]
    )
    return [GeneratedFile(f"{name}.yaml", header + dump(objects))]


def extract(text: str) -> dict[str, Any]:
    """Redis's own parameters from an ask: storage, Secret, clients, cache or store, persistence."""
    found = common_extract(text)
    policy = re.search(r"\b((?:allkeys|volatile)-(?:lru|lfu|random|ttl)|noeviction)\b", text, re.IGNORECASE)
    if policy:
        found["maxmemory_policy"] = policy.group(1).lower()
    elif re.search(r"\bcache\b", text, re.IGNORECASE):
        found["maxmemory_policy"] = "allkeys-lru"
    if re.search(r"\b(?:no\s+(?:aof|append[\s-]*only)|snapshots?\s+only|rdb\s+only)\b", text, re.IGNORECASE):
        found["append_only"] = False
    return found


REDIS = Blueprint(
    name="k8s-redis",
    target="kubernetes",
    title="Redis: one-instance StatefulSet, volume, headless and client Services, PDB, client-only policy",
    parameters=PARAMETERS,
    render=render,
    keywords=(
        r"\b(?:redis|valkey)\b",
        r"\b(?:key[\s-]*value\s+store|in[\s-]*memory\s+(?:cache|store|database))\b",
    ),
    extract=extract,
    examples=(
        {
            "name": "sessions",
            "namespace": "shop",
            "storage": "10Gi",
            "storage_class": "gp3",
            "client_label": "app.kubernetes.io/name=web",
            "memory_limit": "2Gi",
        },
        {"maxmemory_policy": "allkeys-lru", "append_only": False, "client_namespace": "web"},
    ),
    example_ask="redis cache with 10Gi storage in the shop namespace",
)

BLUEPRINTS = (REDIS,)
