"""Every Compose check: id, severity, what it finds, why it matters, how to fix it, where to read more."""

from __future__ import annotations

from tools.findings import Severity
from tools.terraform.catalogue import CatalogueEntry

_FILE_REF = "https://docs.docker.com/reference/compose-file"
_SERVICES = f"{_FILE_REF}/services"
_HIGH, _MED, _LOW = Severity.HIGH, Severity.MEDIUM, Severity.LOW


def _entry(
    id_: str, severity: Severity, title: str, rationale: str, fix: str, docs: str, engine: str = "policy"
) -> CatalogueEntry:
    return CatalogueEntry(
        id=id_,
        severity=severity,
        title=title,
        rationale=rationale,
        fix=fix,
        docs_url=docs,
        engine="schema" if engine == "schema" else "policy",
        provider="compose",
    )


CHECKS: dict[str, CatalogueEntry] = {
    entry.id: entry
    for entry in (
        _entry(
            "COMPOSE_PARSE",
            _HIGH,
            "File is not a readable Compose file",
            "Docker Compose cannot read it: nothing in it would run, and nothing in it was checked.",
            "Fix the YAML at the line shown (spaces, not tabs; balanced quotes and brackets); a Compose "
            "file is one YAML mapping with a `services:` key.",
            _FILE_REF + "/",
            "schema",
        ),
        _entry(
            "COMPOSE_SCHEMA",
            _HIGH,
            "File breaks the Compose Specification",
            "`docker compose` and `docker stack deploy` refuse a file whose keys or values the "
            "specification does not allow (a misspelt key, a list where a mapping belongs).",
            "Correct the field named in the message; `docker compose config` shows how Compose reads "
            "the file.",
            _FILE_REF + "/",
            "schema",
        ),
        _entry(
            "COMPOSE_UNDEFINED_REFERENCE",
            _HIGH,
            "Service refers to a network, volume, secret or config the file does not define",
            "Compose stops with `service refers to undefined ...` before starting anything.",
            "networks:\n  backend:\n    internal: true\nsecrets:\n  db_password:\n    file: "
            "./secrets/db_password.txt",
            _FILE_REF + "/",
            "schema",
        ),
        _entry(
            "COMPOSE_DUPLICATE_KEY",
            _LOW,
            "Key written twice in one mapping",
            "YAML forbids a key twice in one mapping; parsers keep only the last value, so the first "
            "is silently lost.",
            "Keep one of the two keys (merge their contents if both were meant).",
            _FILE_REF + "/",
            "schema",
        ),
        _entry(
            "COMPOSE_PRIVILEGED",
            _HIGH,
            "Service runs privileged",
            "A privileged container has every capability and every host device; a process that breaks "
            "out of it is root on the host.",
            "privileged: false  # add only the capability it needs with cap_add",
            f"{_SERVICES}/#privileged",
        ),
        _entry(
            "COMPOSE_DOCKER_SOCKET",
            _HIGH,
            "Service mounts the container runtime's socket",
            "Whoever reaches the Docker (or containerd) socket can start a privileged container that "
            "mounts the host's root filesystem: it is root on the host.",
            "Remove the /var/run/docker.sock mount; if the service must talk to Docker, put a proxy "
            "that allows only the calls it needs in between.",
            "https://docs.docker.com/engine/security/#docker-daemon-attack-surface",
        ),
        _entry(
            "COMPOSE_HOST_NETWORK",
            _HIGH,
            "Service uses the host's network",
            "With network_mode: host the container binds the host's interfaces directly, reaches "
            "services listening on localhost, and its ports bypass Compose's networks and published "
            "ports.",
            "Remove network_mode: host; publish the ports it serves with `ports:` and join it to a "
            "named network.",
            f"{_SERVICES}/#network_mode",
        ),
        _entry(
            "COMPOSE_HOST_NAMESPACE",
            _HIGH,
            "Service shares the host's process or IPC namespace",
            "pid: host lets the container see and signal every process of the host; ipc: host shares "
            "the host's shared memory.",
            "Remove `pid: host` and `ipc: host`.",
            f"{_SERVICES}/#pid",
        ),
        _entry(
            "COMPOSE_DANGEROUS_CAPABILITY",
            _HIGH,
            "Service adds ALL capabilities or SYS_ADMIN",
            "cap_add: [ALL] or SYS_ADMIN is close to privileged: mounting filesystems, changing "
            "namespaces and most container escapes need no more.",
            "cap_drop: [ALL]\ncap_add: [NET_BIND_SERVICE]  # only what it needs",
            f"{_SERVICES}/#cap_add",
        ),
        _entry(
            "COMPOSE_CAPABILITIES_NOT_DROPPED",
            _LOW,
            "Service keeps the default capabilities",
            "Docker grants about fourteen capabilities by default (NET_RAW, CHOWN, SETUID, ...); most "
            "services need none, and each one widens what an attacker inside can do.",
            "cap_drop: [ALL]",
            f"{_SERVICES}/#cap_drop",
        ),
        _entry(
            "COMPOSE_RUN_AS_ROOT",
            _MED,
            "Service runs as root",
            "Without `user:` the container runs as the image's user, root for most images; root in a "
            "container is root on the host after an escape, and owns every file it can reach.",
            'user: "10001:10001"',
            f"{_SERVICES}/#user",
        ),
        _entry(
            "COMPOSE_NO_NEW_PRIVILEGES",
            _MED,
            "Service's processes may gain privileges",
            "Without the no-new-privileges security option a process can gain privileges through "
            "setuid binaries or file capabilities in the image.",
            "security_opt:\n  - no-new-privileges:true",
            f"{_SERVICES}/#security_opt",
        ),
        _entry(
            "COMPOSE_WRITABLE_ROOT_FS",
            _LOW,
            "Service's root filesystem is writable",
            "A writable root filesystem lets an intruder change the service's binaries and "
            "configuration and leave tools behind.",
            "read_only: true\ntmpfs:\n  - /tmp",
            f"{_SERVICES}/#read_only",
        ),
        _entry(
            "COMPOSE_NO_RESOURCE_LIMITS",
            _MED,
            "Service has no memory or CPU limit",
            "Without limits one service can take all of the host's memory (the kernel then kills "
            "processes of other services) or all of its CPU.",
            "deploy:\n  resources:\n    limits:\n      cpus: '0.50'\n      memory: 256M",
            f"{_FILE_REF}/deploy/#resources",
        ),
        _entry(
            "COMPOSE_NO_HEALTHCHECK",
            _LOW,
            "Service has no health check",
            "Without a health check Compose and Swarm take a started container as healthy: "
            "`depends_on: condition: service_healthy` cannot wait for it, and a rolling update does not "
            "notice a replica that never becomes ready. The image may define one (HEALTHCHECK), which "
            "this check cannot see.",
            'healthcheck:\n  test: ["CMD", "wget", "-qO-", "http://localhost:8080/healthz"]\n'
            "  interval: 30s\n  timeout: 5s\n  retries: 3",
            f"{_SERVICES}/#healthcheck",
        ),
        _entry(
            "COMPOSE_LATEST_TAG",
            _MED,
            "Image has no tag or the latest tag",
            "An image without a pinned tag changes under the service: two hosts or two deployments run "
            "different code, and a rollback has nothing to go back to.",
            "image: ghcr.io/acme/api:1.4.2  # or a digest: ghcr.io/acme/api@sha256:...",
            f"{_SERVICES}/#image",
        ),
        _entry(
            "COMPOSE_SECRET_IN_ENVIRONMENT",
            _HIGH,
            "Secret written in plain text in the environment",
            "The variable's name says it holds a credential and its value is written in the file: it "
            "ends up in Git, in `docker inspect` and in every copy of the file.",
            "secrets:\n  - db_password  # the service reads /run/secrets/db_password\n"
            "environment:\n  DB_PASSWORD_FILE: /run/secrets/db_password",
            f"{_FILE_REF}/secrets/",
        ),
    )
}
