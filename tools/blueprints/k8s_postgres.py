"""Kubernetes PostgreSQL: a one-instance StatefulSet with its volume, Services, PDB and a client-only policy.

What it renders: a StatefulSet of the official `postgres` image (one pod: a StatefulSet
of several would be several unrelated databases; for replicas and failover use an
operator such as CloudNativePG), a ReadWriteOnce volume claim per pod, a headless Service
for the pod's stable DNS name and a client Service `<name>` on port 5432, a
PodDisruptionBudget, and a NetworkPolicy that admits port 5432 only from pods carrying
the client label (`<name>-client=true` unless `client_label` says otherwise).

The password is never in the output: the pod reads it from an existing Secret
(`password_secret`, by default `<name>-auth`, key `password`) mounted as a file and
passed with POSTGRES_PASSWORD_FILE, which the image's entrypoint reads on first start.
You create that Secret, e.g.
`kubectl -n apps create secret generic postgres-auth --from-literal=password="$(openssl rand -base64 32)"`.

Hardened: the image's own `postgres` user (uid and gid 999) rather than root, with
fsGroup 999 so the volume is writable by it; a read-only root filesystem with emptyDirs
for the socket directory /var/run/postgresql, /tmp and a memory-backed /dev/shm (the
container runtime's 64 MiB is too little for parallel queries); no privilege escalation,
all capabilities dropped, the runtime's seccomp profile, no service-account token.
PGDATA is a subdirectory of the volume, so a `lost+found` at the volume's root does not
stop initdb. Probes run `pg_isready` in the container; a startup probe gives initdb and
crash recovery five minutes before the liveness probe may restart the pod.
"""

from __future__ import annotations

import re
from typing import Any

from tools.blueprints.k8s_parts import dump, labels_for, metadata, resources
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

PORT = 5432
UID = 999  # the postgres user of the official Debian-based image
DATA = "/var/lib/postgresql/data"

PARAMETERS = (
    Parameter(
        "image",
        "str",
        "PostgreSQL image with a pinned tag (the official Debian-based image runs as uid 999)",
        default="postgres:17.2",
    ),
    Parameter("name", "str", "name of the database server and its objects", default="postgres"),
    Parameter("namespace", "str", "namespace to deploy into (where its clients run)", default="apps"),
    Parameter("database", "str", "database created on first start", default="app"),
    Parameter("user", "str", "owner of that database, created on first start", default="app"),
    Parameter(
        "password_secret",
        "str",
        "existing Secret with the user's password; you create it (default: <name>-auth)",
        default="",
    ),
    Parameter("password_key", "str", "key of the password in that Secret", default="password"),
    Parameter("storage", "str", "size of the data volume", default="10Gi"),
    Parameter(
        "storage_class", "str", "StorageClass of the data volume (empty: the cluster's default)", default=""
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
        "namespace of those pods (empty: the database's own namespace)",
        default="",
    ),
    Parameter("cpu_request", "str", "CPU request", default="250m"),
    Parameter("cpu_limit", "str", "CPU limit", default="2"),
    Parameter("memory_request", "str", "memory request", default="512Mi"),
    Parameter("memory_limit", "str", "memory limit (the /dev/shm emptyDir counts towards it)", default="1Gi"),
    Parameter("shm_size", "str", "size of the memory-backed /dev/shm", default="256Mi"),
)

_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def _identifier(value: str, parameter: str) -> str:
    if not _IDENTIFIER.match(value):
        raise InputError(
            f"--set {parameter}", f"{value!r} is not a plain PostgreSQL name: lower-case letters, digits, _"
        )
    return value


def render(values: dict[str, Any]) -> list[GeneratedFile]:
    """The manifests, one file with one document per object."""
    name = app_name(values, "postgres")
    namespace = dns_name(values["namespace"], "namespace")
    labels = labels_for(name)
    meta = metadata(name, namespace, labels)
    database = _identifier(values["database"], "database")
    user = _identifier(values["user"], "user")
    secret = dns_name(values["password_secret"] or f"{name}-auth", "password_secret")
    secret_key(values["password_key"], "password_key")
    client = label_pair(values["client_label"] or f"{name}-client=true", "client_label")
    ready = ["pg_isready", "--host=127.0.0.1", f"--port={PORT}", f"--username={user}", f"--dbname={database}"]
    container = hardened_container(
        "postgres",
        values["image"],
        ports=[{"name": "postgres", "containerPort": PORT, "protocol": "TCP"}],
        env=[
            {"name": "POSTGRES_DB", "value": database},
            {"name": "POSTGRES_USER", "value": user},
            {"name": "POSTGRES_PASSWORD_FILE", "value": f"{SECRETS_ROOT}/postgres/password"},
            {"name": "PGDATA", "value": f"{DATA}/pgdata"},
        ],
        startupProbe=exec_probe(ready, periodSeconds=5, timeoutSeconds=5, failureThreshold=60),
        readinessProbe=exec_probe(ready, periodSeconds=10, timeoutSeconds=5),
        livenessProbe=exec_probe(ready, periodSeconds=20, timeoutSeconds=5, failureThreshold=6),
        resources=resources(
            quantity(values["cpu_request"], "cpu_request"),
            quantity(values["memory_request"], "memory_request"),
            quantity(values["memory_limit"], "memory_limit"),
            quantity(values["cpu_limit"], "cpu_limit"),
        ),
        mounts=[
            {"name": "data", "mountPath": DATA},
            {"name": "run", "mountPath": "/var/run/postgresql"},
            {"name": "tmp", "mountPath": "/tmp"},
            {"name": "shm", "mountPath": "/dev/shm"},
            {"name": "password", "mountPath": f"{SECRETS_ROOT}/postgres", "readOnly": True},
        ],
    )
    template = pod_template(
        labels,
        [container],
        [
            scratch_volume("run"),
            scratch_volume("tmp"),
            scratch_volume("shm", quantity(values["shm_size"], "shm_size"), memory=True),
            secret_volume("password", secret, [(values["password_key"], "password")]),
        ],
        run_as_user=UID,
        fs_group=UID,
        spread=False,
        terminationGracePeriodSeconds=60,
    )
    template["spec"]["securityContext"]["fsGroupChangePolicy"] = "OnRootMismatch"
    objects = single_instance_database(
        meta,
        labels,
        template,
        port_name="postgres",
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
            f"PostgreSQL {name}: clients connect to {name}.{namespace}.svc:{PORT}, database {database},",
            f"as user {user}, from pods labelled {key}={value}{where}.",
            f"The password comes from the Secret {secret} (key {values['password_key']}), which you",
            "create first:",
            f"  kubectl -n {namespace} create secret generic {secret} \\",
            f'    --from-literal={values["password_key"]}="$(openssl rand -base64 32)"',
            "It is read on the first start only: changing it later means ALTER USER as well.",
        ]
    )
    return [GeneratedFile(f"{name}.yaml", header + dump(objects))]


_STORAGE = re.compile(
    r"\b(\d+(?:\.\d+)?)\s*(Gi|Ti|Mi|G|T|M|GB|TB|MB|GiB|TiB|MiB)\b(?:\s+(?:of\s+)?(?:storage|disk|volume|data|pvc))?",
    re.IGNORECASE,
)
_STORAGE_CLASS = re.compile(r"\bstorage\s*class\s+([a-z0-9][a-z0-9.-]*)\b", re.IGNORECASE)
_DATABASE = re.compile(
    r"\b(?:database|db)\s+(?:named\s+|called\s+)?([a-z_][a-z0-9_]*)\b(?!\s+namespace)", re.I
)
_USER = re.compile(r"\b(?:user(?:name)?|owner|role)\s+([a-z_][a-z0-9_]*)\b", re.IGNORECASE)
_PASSWORD_SECRET = re.compile(
    r"\b(?:password\s+(?:from\s+|in\s+)?(?:the\s+)?secret|secret)\s+(?:named\s+|called\s+)?([a-z0-9][a-z0-9-]*)\b",
    re.IGNORECASE,
)
_CLIENT_LABEL = re.compile(r"\b(?:label(?:led)?|labeled)\s+([\w./-]+=[\w.-]+)", re.IGNORECASE)
_CLIENT_NAMESPACE = re.compile(
    r"\b(?:clients?|apps?)\s+(?:in|from)\s+(?:the\s+)?(?:namespace\s+)?([a-z0-9][a-z0-9-]*)(?:\s+namespace)?\b",
    re.IGNORECASE,
)
_NOT_A_DATABASE = {"server", "cluster", "with", "in", "on", "for", "and", "the", "a", "statefulset"}


def storage_from_words(text: str) -> str | None:
    """A volume size such as "20Gi", "50 GB" or "1TiB" as a Kubernetes quantity (GB read as Gi)."""
    match = _STORAGE.search(text)
    if not match:
        return None
    number, unit = match.group(1), match.group(2).lower()
    return number + {"t": "Ti", "g": "Gi", "m": "Mi"}[unit[0]]


def common_extract(text: str) -> dict[str, Any]:
    """What both database blueprints read: volume size and class, password Secret, client label/namespace."""
    found: dict[str, Any] = {"storage": storage_from_words(text)}
    for pattern, key in (
        (_STORAGE_CLASS, "storage_class"),
        (_PASSWORD_SECRET, "password_secret"),
        (_CLIENT_LABEL, "client_label"),
        (_CLIENT_NAMESPACE, "client_namespace"),
    ):
        match = pattern.search(text)
        if match:
            found[key] = match.group(1)
    return found


def extract(text: str) -> dict[str, Any]:
    """PostgreSQL's own parameters from an ask: database, user, storage, Secret, clients."""
    found = common_extract(text)
    for pattern, key in ((_DATABASE, "database"), (_USER, "user")):
        for match in pattern.finditer(text):
            if match.group(1).lower() not in _NOT_A_DATABASE:
                found[key] = match.group(1).lower()
                break
    return found


POSTGRES = Blueprint(
    name="k8s-postgres",
    target="kubernetes",
    title="PostgreSQL: one-pod StatefulSet, volume, headless and client Services, PDB, client-only policy",
    parameters=PARAMETERS,
    render=render,
    keywords=(
        r"\bpostgres(?:ql)?\b",
        r"\bpg\s*(?:database|db|server|instance)\b",
        # "database" alone means PostgreSQL, unless the ask names Redis
        # ("database migrations" are a job run against one, not a database)
        r"^(?!.*\b(?:redis|valkey)\b).*\b(?:sql\s+)?database\b(?!\s+(?:migrations?|schema\s+changes?))",
    ),
    extract=extract,
    examples=(
        {
            "name": "orders-db",
            "namespace": "shop",
            "database": "orders",
            "user": "orders",
            "storage": "50Gi",
            "storage_class": "gp3",
            "client_label": "app.kubernetes.io/name=orders-api",
        },
        {"client_namespace": "web", "image": "postgres:16.6"},
    ),
    example_ask="postgres database orders with 50Gi storage in the shop namespace",
)

BLUEPRINTS = (POSTGRES,)
