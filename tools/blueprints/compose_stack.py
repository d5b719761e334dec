"""Compose stack for Docker Compose and Swarm: one web service, an optional Redis or Postgres beside it.

One `compose.yaml` that both `docker compose up` and `docker stack deploy -c compose.yaml`
read. The web service publishes one port, checks its health with a command, and under
`deploy:` has replicas, CPU and memory limits and reservations, a restart policy, and a
rolling update that starts the new replica first and rolls back by itself when the update
fails. Every service runs as a non-root user with a read-only root filesystem (tmpfs for
/tmp), all capabilities dropped and no-new-privileges. Two networks: `frontend` for the
published port, `backend` marked internal (no route out) for the sidecar; the sidecar
publishes nothing. Passwords are Compose secrets, read from files under ./secrets/ (or
external secrets made beforehand with `docker secret create`, Swarm only), never written
in the file: Postgres reads its password with POSTGRES_PASSWORD_FILE, the web service
gets `*_FILE` paths, Redis gets `--requirepass` from the secret at start.

The published port uses Swarm's routing mesh (`mode: ingress`): with plain `docker compose`,
more than one replica cannot publish the same host port, so run one there (or put a proxy
in front). Swarm ignores `security_opt` and `depends_on` (Compose honours both); the sidecar keeps
one replica that stops before its replacement starts, since two database processes must
never share one volume.
"""

from __future__ import annotations

import re
from typing import Any

from tools.blueprints.k8s_parts import dump, name_from_image
from tools.blueprints.model import Blueprint, GeneratedFile, Parameter

SIDECARS = ("none", "redis", "postgres")
SECRET_SOURCES = ("file", "external")
REDIS_IMAGE = "redis:7.4.1"
POSTGRES_IMAGE = "postgres:17.2"
SIDECAR_USER = "999:999"  # the redis and postgres users of the official Debian-based images

PARAMETERS = (
    Parameter(
        "image", "str", "web service image with a pinned tag, e.g. ghcr.io/acme/web:1.4.2", required=True
    ),
    Parameter("name", "str", "name of the web service (default: from the image)"),
    Parameter("port", "int", "port the web service listens on and publishes", default=8080, minimum=1),
    Parameter("replicas", "int", "replicas of the web service", default=2, minimum=1),
    Parameter(
        "health_path",
        "str",
        "HTTP path the health check fetches on the port (with wget, which the image must have)",
        default="/healthz",
    ),
    Parameter(
        "health_command",
        "str",
        "health check command run in the container instead (a shell command; empty: fetch health_path)",
        default="",
    ),
    Parameter("sidecar", "str", "a data service beside the web one", default="none", choices=SIDECARS),
    Parameter(
        "secrets_from",
        "str",
        "where secrets come from: files under ./secrets/, or external (docker secret create; Swarm only)",
        default="file",
        choices=SECRET_SOURCES,
    ),
    Parameter("cpu_limit", "str", "CPU limit of each web replica", default="0.50"),
    Parameter("memory_limit", "str", "memory limit of each web replica", default="256M"),
    Parameter("memory_reservation", "str", "memory reserved for each web replica", default="128M"),
    Parameter("user", "str", "non-root uid:gid the web service runs as", default="10001:10001"),
)


def render(values: dict[str, Any]) -> list[GeneratedFile]:
    """compose.yaml."""
    name = values["name"] or name_from_image(values["image"])
    sidecar = values["sidecar"]
    port = values["port"]
    secret_names = {"redis": ["redis_password"], "postgres": ["db_password"]}.get(sidecar, [])
    web: dict[str, Any] = {
        "image": values["image"],
        "user": values["user"],
        "read_only": True,
        "cap_drop": ["ALL"],
        "security_opt": ["no-new-privileges:true"],
        "ports": [{"target": port, "published": port, "protocol": "tcp", "mode": "ingress"}],
        "volumes": [_tmpfs("/tmp")],
        "healthcheck": _web_health(values["health_command"], values["health_path"], port),
        "deploy": {
            "mode": "replicated",
            "replicas": values["replicas"],
            "resources": {
                "limits": {"cpus": values["cpu_limit"], "memory": values["memory_limit"]},
                "reservations": {"cpus": "0.10", "memory": values["memory_reservation"]},
            },
            "restart_policy": {"condition": "on-failure", "delay": "5s", "max_attempts": 3, "window": "2m"},
            "update_config": {
                "parallelism": 1,
                "delay": "10s",
                "order": "start-first",
                "failure_action": "rollback",
                "monitor": "30s",
                "max_failure_ratio": 0,
            },
            "rollback_config": {"parallelism": 1, "order": "stop-first", "failure_action": "pause"},
        },
        "networks": ["frontend", "backend"],
    }
    services: dict[str, Any] = {name: web}
    volumes: dict[str, Any] = {}
    if sidecar == "postgres":
        web["environment"] = {
            "DATABASE_HOST": "db",
            "DATABASE_USER": "app",
            "DATABASE_NAME": "app",
            "DATABASE_PASSWORD_FILE": "/run/secrets/db_password",
        }
        web["secrets"] = ["db_password"]
        web["depends_on"] = {"db": {"condition": "service_healthy"}}
        services["db"] = _postgres()
        volumes["db-data"] = {}
    elif sidecar == "redis":
        web["environment"] = {
            "REDIS_HOST": "redis",
            "REDIS_PORT": "6379",
            "REDIS_PASSWORD_FILE": "/run/secrets/redis_password",
        }
        web["secrets"] = ["redis_password"]
        web["depends_on"] = {"redis": {"condition": "service_healthy"}}
        services["redis"] = _redis()
        volumes["redis-data"] = {}
    compose: dict[str, Any] = {
        "services": services,
        "networks": {"frontend": {}, "backend": {"internal": True}},
    }
    if volumes:
        compose["volumes"] = volumes
    if secret_names:
        compose["secrets"] = {s: _secret_source(s, values["secrets_from"]) for s in secret_names}
    return [GeneratedFile("compose.yaml", dump([compose]))]


def _tmpfs(target: str, size: int = 64 * 1024 * 1024) -> dict[str, Any]:
    """A tmpfs mount in the long syntax (Swarm honours it; the short `tmpfs:` key it does not)."""
    return {"type": "tmpfs", "target": target, "tmpfs": {"size": size}}


def _web_health(command: str, path: str, port: int) -> dict[str, Any]:
    if command:
        test: list[str] = ["CMD-SHELL", command]
    else:
        test = ["CMD", "wget", "-q", "-O", "/dev/null", f"http://127.0.0.1:{port}{path or '/'}"]
    return {"test": test, "interval": "15s", "timeout": "5s", "retries": 3, "start_period": "20s"}


def _sidecar_deploy(memory: str) -> dict[str, Any]:
    return {
        "mode": "replicated",
        "replicas": 1,
        "resources": {
            "limits": {"cpus": "1.0", "memory": memory},
            "reservations": {"cpus": "0.10", "memory": "128M"},
        },
        "restart_policy": {"condition": "on-failure", "delay": "5s", "max_attempts": 3, "window": "2m"},
        # one process per data volume: the old one stops before the new one starts
        "update_config": {"parallelism": 1, "order": "stop-first", "failure_action": "rollback"},
        "rollback_config": {"parallelism": 1, "order": "stop-first"},
    }


def _hardened(image: str) -> dict[str, Any]:
    return {
        "image": image,
        "user": SIDECAR_USER,
        "read_only": True,
        "cap_drop": ["ALL"],
        "security_opt": ["no-new-privileges:true"],
    }


def _postgres() -> dict[str, Any]:
    return {
        **_hardened(POSTGRES_IMAGE),
        "environment": {
            "POSTGRES_USER": "app",
            "POSTGRES_DB": "app",
            "POSTGRES_PASSWORD_FILE": "/run/secrets/db_password",
            "PGDATA": "/var/lib/postgresql/data/pgdata",
        },
        "secrets": ["db_password"],
        "volumes": [
            {"type": "volume", "source": "db-data", "target": "/var/lib/postgresql/data"},
            _tmpfs("/var/run/postgresql", 8 * 1024 * 1024),
            _tmpfs("/tmp"),
        ],
        "healthcheck": {
            "test": ["CMD", "pg_isready", "-U", "app", "-d", "app"],
            "interval": "10s",
            "timeout": "5s",
            "retries": 5,
            "start_period": "30s",
        },
        "stop_grace_period": "30s",
        "deploy": _sidecar_deploy("512M"),
        "networks": ["backend"],
    }


def _redis() -> dict[str, Any]:
    # exec: redis-server replaces the shell (it gets the signals), and it overwrites its
    # command line with its process title at start, so the password does not stay in `ps`
    start = 'exec redis-server --appendonly yes --requirepass "$$(cat /run/secrets/redis_password)"'
    ping = 'REDISCLI_AUTH="$$(cat /run/secrets/redis_password)" redis-cli ping | grep -q PONG'
    return {
        **_hardened(REDIS_IMAGE),
        "command": ["sh", "-c", start],
        "secrets": ["redis_password"],
        "volumes": [
            {"type": "volume", "source": "redis-data", "target": "/data"},
            _tmpfs("/tmp"),
        ],
        "healthcheck": {
            "test": ["CMD-SHELL", ping],
            "interval": "10s",
            "timeout": "5s",
            "retries": 5,
            "start_period": "10s",
        },
        "deploy": _sidecar_deploy("256M"),
        "networks": ["backend"],
    }


def _secret_source(name: str, source: str) -> dict[str, Any]:
    if source == "external":
        return {"external": True}
    return {"file": f"./secrets/{name}.txt"}


_SIDECAR_WORDS = (
    (re.compile(r"\b(?:postgres(?:ql)?|pg|database|db)\b", re.IGNORECASE), "postgres"),
    (re.compile(r"\b(?:redis|cache)\b", re.IGNORECASE), "redis"),
)
_NO_SIDECAR = re.compile(r"\b(?:no|without)\s+(?:sidecar|database|db|cache)\b", re.IGNORECASE)
_EXTERNAL = re.compile(r"\bexternal\s+secrets?\b|\bdocker\s+secret\s+create\b", re.IGNORECASE)


def extract(text: str) -> dict[str, Any]:
    """The sidecar and where secrets come from, from the ask's words."""
    found: dict[str, Any] = {}
    if _NO_SIDECAR.search(text):
        found["sidecar"] = "none"
    else:
        for pattern, sidecar in _SIDECAR_WORDS:
            if pattern.search(text):
                found["sidecar"] = sidecar
                break
    if _EXTERNAL.search(text):
        found["secrets_from"] = "external"
    return found


COMPOSE_STACK = Blueprint(
    name="compose-stack",
    target="compose",
    title="Compose/Swarm stack: a web service with deploy settings, optional Redis or Postgres, secrets",
    parameters=PARAMETERS,
    render=render,
    keywords=(
        r"\bcompose\b",
        r"\bswarm\b",
        r"\bstack\b",
    ),
    extract=extract,
    examples=(
        {
            "image": "ghcr.io/acme/web:1.4.2",
            "replicas": 3,
            "port": 8000,
            "sidecar": "postgres",
            "health_path": "/health",
        },
        {"image": "ghcr.io/acme/api:2.0.1", "sidecar": "redis", "secrets_from": "external"},
        {"image": "nginxinc/nginx-unprivileged:1.27", "replicas": 1, "health_command": "true"},
    ),
    example_ask="swarm stack for ghcr.io/acme/web:1.4.2 with 3 replicas on port 8000 and a postgres database",
)

BLUEPRINTS = (COMPOSE_STACK,)
