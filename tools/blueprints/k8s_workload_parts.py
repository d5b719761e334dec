"""Parts shared by the worker, CronJob, database, agent API, MLflow and kustomize blueprints.

These add to `k8s_parts` (which they build on) what those blueprints need beyond a web
service: checked names and quantities, commands split like a shell would, a hardened pod
template and Deployment, Services and NetworkPolicies for named non-HTTP ports, HTTPS-only
egress, Secrets mounted as files, and corrections to the shared intent parameters when
words such as URLs or clock times were read as a host, port or image. This module holds
no blueprint.
"""

from __future__ import annotations

import hashlib
import json
import re
import shlex
from collections.abc import Mapping, Sequence
from typing import Any

from tools.blueprints import intent as _intent
from tools.blueprints.k8s_parts import (
    container_security,
    disruption_budget,
    name_from_image,
    pod_security,
    spread_over_nodes,
)
from tools.blueprints.value_checks import dns_label, quantity
from tools.errors import InputError

_LABEL_KEY = re.compile(
    r"^(?:[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$"
)
_LABEL_VALUE = re.compile(r"^(?:[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
SECRETS_ROOT = "/var/run/secrets"


def dns_name(value: str, parameter: str) -> str:
    """`value` when it is a DNS-1123 label (names of objects and namespaces), else a clear error."""
    return dns_label(value, parameter)


def app_name(values: Mapping[str, Any], fallback: str = "") -> str:
    """The `name` parameter, else one derived from the image (or `fallback`), checked."""
    name = values.get("name") or fallback or name_from_image(str(values.get("image") or "app"))
    return dns_name(str(name), "name")


def secret_key(value: str, parameter: str) -> str:
    """`value` when it can be a key of a Secret (letters, digits, '-', '_', '.'), else a clear error."""
    if not re.fullmatch(r"[-._a-zA-Z0-9]{1,253}", value):
        raise InputError(
            f"--set {parameter}", f"{value!r} is not a Secret key: letters, digits, '-', '_', '.'"
        )
    return value


def words(text: str | None, parameter: str) -> list[str]:
    """A command line split the way a POSIX shell would (quotes kept together), or a clear error."""
    if not text:
        return []
    try:
        return shlex.split(text)
    except ValueError as err:
        raise InputError(f"--set {parameter}", f"{text!r} cannot be split into words: {err}") from err


def label_pair(text: str, parameter: str) -> dict[str, str]:
    """`key=value` as a one-label mapping, both halves checked against Kubernetes' label syntax."""
    key, sep, value = text.partition("=")
    key, value = key.strip(), value.strip()
    if not sep or not _LABEL_KEY.match(key) or not _LABEL_VALUE.match(value):
        raise InputError(f"--set {parameter}", f"{text!r} is not a label written key=value, e.g. role=client")
    return {key: value}


def env_settings(text: str, parameter: str) -> dict[str, str]:
    """`KEY=value` pairs separated by commas, semicolons or new lines, as a mapping (in the given order).

    Names that look like credentials are refused: those belong in a Secret, not a ConfigMap.
    """
    settings: dict[str, str] = {}
    for item in re.split(r"[,;\n]", text or ""):
        if not item.strip():
            continue
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not _ENV_NAME.match(key):
            raise InputError(f"--set {parameter}", f"{item.strip()!r} is not NAME=value")
        if re.search(r"KEY|TOKEN|SECRET|PASSWORD|CREDENTIAL", key, re.IGNORECASE):
            raise InputError(
                f"--set {parameter}", f"{key} looks like a credential: keep it in a Secret, not in settings"
            )
        settings[key] = value.strip()
    return settings


def checksum(data: Mapping[str, Any]) -> str:
    """A stable digest of `data`: put on a pod template, a change of the data rolls the pods."""
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode("utf-8")).hexdigest()


def comment(lines: Sequence[str]) -> str:
    """YAML comment lines to put above the documents of a file."""
    return "".join(f"# {line}\n" if line else "#\n" for line in lines)


def hardened_container(
    name: str,
    image: str,
    *,
    resources: dict[str, Any],
    mounts: Sequence[dict[str, Any]] = (),
    run_as_user: int | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """A container with `k8s_parts`' hardened securityContext, the image always pulled, and `fields`."""
    container: dict[str, Any] = {"name": name, "image": image, "imagePullPolicy": "Always"}
    container.update({key: value for key, value in fields.items() if value not in (None, [], {})})
    container["resources"] = resources
    container["securityContext"] = container_security(run_as_user)
    if mounts:
        container["volumeMounts"] = list(mounts)
    return container


def pod_template(
    labels: dict[str, str],
    containers: Sequence[dict[str, Any]],
    volumes: Sequence[dict[str, Any]] = (),
    *,
    run_as_user: int = 10001,
    fs_group: int = 10001,
    spread: bool = True,
    annotations: dict[str, str] | None = None,
    service_account: str = "",
    **spec_fields: Any,
) -> dict[str, Any]:
    """A pod template: no service-account token, `k8s_parts`' pod securityContext, spread over nodes.

    The pod's group is `fs_group` too (not the image's, often root's), and its volumes belong to it,
    so mounted Secrets can be readable by the group only. With `service_account` the pod runs as
    that account and mounts its token (workload identity needs it).
    """
    base = pod_security(run_as_user, fs_group)
    security = {"runAsNonRoot": base.pop("runAsNonRoot"), "runAsUser": base.pop("runAsUser")}
    security.update({"runAsGroup": fs_group, **base})
    spec: dict[str, Any] = {}
    if service_account:
        spec["serviceAccountName"] = dns_name(service_account, "service_account")
    spec["automountServiceAccountToken"] = bool(service_account)
    spec["securityContext"] = security
    if spread:
        spec["affinity"] = spread_over_nodes(labels)
    spec.update({key: value for key, value in spec_fields.items() if value not in (None, "")})
    spec["containers"] = list(containers)
    if volumes:
        spec["volumes"] = list(volumes)
    template_meta: dict[str, Any] = {"labels": dict(labels)}
    if annotations:
        template_meta["annotations"] = dict(annotations)
    return {"metadata": template_meta, "spec": spec}


def deployment(
    meta: dict[str, Any], labels: dict[str, str], template: dict[str, Any], replicas: int, autoscaled: bool
) -> dict[str, Any]:
    """A Deployment that rolls one new pod at a time and never drops below the wanted count.

    With an autoscaler `replicas` is left out, so re-applying the file does not undo its scaling.
    """
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": meta,
        "spec": {
            **({} if autoscaled else {"replicas": replicas}),
            "selector": {"matchLabels": dict(labels)},
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 0, "maxSurge": 1}},
            "template": template,
        },
    }


def named_port_service(
    meta: dict[str, Any], labels: dict[str, str], port_name: str, port: int, *, headless: bool = False
) -> dict[str, Any]:
    """A Service for one named TCP port (a headless one gives each StatefulSet pod a stable DNS name)."""
    spec: dict[str, Any] = {}
    if headless:
        spec["clusterIP"] = "None"
    spec["selector"] = dict(labels)
    spec["ports"] = [{"name": port_name, "port": port, "targetPort": port_name, "protocol": "TCP"}]
    return {"apiVersion": "v1", "kind": "Service", "metadata": meta, "spec": spec}


def client_only_policy(
    meta: dict[str, Any],
    labels: dict[str, str],
    port: int,
    client_labels: dict[str, str],
    client_namespace: str = "",
) -> dict[str, Any]:
    """A NetworkPolicy admitting only `port`, only from pods labelled `client_labels`.

    Those pods are looked for in the policy's own namespace, or in `client_namespace` when given.
    """
    peer: dict[str, Any] = {"podSelector": {"matchLabels": dict(client_labels)}}
    if client_namespace:
        peer = {
            "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": client_namespace}},
            **peer,
        }
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": meta,
        "spec": {
            "podSelector": {"matchLabels": dict(labels)},
            "policyTypes": ["Ingress"],
            "ingress": [{"from": [peer], "ports": [{"protocol": "TCP", "port": port}]}],
        },
    }


PRIVATE_RANGES = ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "100.64.0.0/10")


def https_egress_policy(meta: dict[str, Any], labels: dict[str, str], cidr: str = "") -> dict[str, Any]:
    """A NetworkPolicy letting the pods out only to the cluster DNS and to HTTPS (TCP 443).

    HTTPS goes to `cidr` when given; otherwise to the public internet, without the private,
    link-local (cloud metadata) and carrier-grade NAT ranges, so a prompt-injected tool call
    cannot reach services inside the cluster or the VPC.
    """
    if cidr:
        block: dict[str, Any] = {"cidr": cidr}
    else:
        block = {"cidr": "0.0.0.0/0", "except": list(PRIVATE_RANGES)}
    dns_peer = {
        "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}},
        "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}},
    }
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": meta,
        "spec": {
            "podSelector": {"matchLabels": dict(labels)},
            "policyTypes": ["Egress"],
            "egress": [
                {
                    "to": [dns_peer],
                    "ports": [{"protocol": "UDP", "port": 53}, {"protocol": "TCP", "port": 53}],
                },
                {"to": [{"ipBlock": block}], "ports": [{"protocol": "TCP", "port": 443}]},
            ],
        },
    }


def secret_volume(volume: str, secret: str, items: Sequence[tuple[str, str]] = ()) -> dict[str, Any]:
    """A volume of an existing Secret, files readable by the owner and group only (`items`: key, path)."""
    source: dict[str, Any] = {"secretName": secret, "defaultMode": 0o440}
    if items:
        source["items"] = [{"key": key, "path": path} for key, path in items]
    return {"name": volume, "secret": source}


def scratch_volume(volume: str, size: str = "", *, memory: bool = False) -> dict[str, Any]:
    """An emptyDir (in memory when `memory`), capped at `size` when given."""
    source: dict[str, Any] = {}
    if memory:
        source["medium"] = "Memory"
    if size:
        source["sizeLimit"] = size
    return {"name": volume, "emptyDir": source}


def exec_probe(command: Sequence[str], **timing: int) -> dict[str, Any]:
    """An exec probe running `command` in the container, with the given timings."""
    return {"exec": {"command": list(command)}, **timing}


def shared_corrections(text: str, masked: str, defaults: Mapping[str, Any]) -> dict[str, Any]:
    """Shared intent parameters that only spans masked out of `text` gave (a bare host:port of another
    server, say; URLs and clock times the shared parser blanks itself), replaced by what `masked` gives or
    else by `defaults` (or "").
    """
    before = _intent.shared_parameters(text)
    after = _intent.shared_parameters(masked)
    return {
        key: after.get(key, defaults.get(key, "")) for key, value in before.items() if after.get(key) != value
    }


def mask(text: str, *patterns: re.Pattern[str]) -> str:
    """`text` with every match of `patterns` replaced by a space."""
    for pattern in patterns:
        text = pattern.sub(" ", text)
    return text


def single_instance_database(
    meta: dict[str, Any],
    labels: dict[str, str],
    template: dict[str, Any],
    *,
    port_name: str,
    port: int,
    storage: str,
    storage_class: str,
    client_labels: dict[str, str],
    client_namespace: str,
) -> list[dict[str, Any]]:
    """A one-pod StatefulSet with its volume claim, headless and client Services, PDB and NetworkPolicy.

    The claim template makes one ReadWriteOnce volume `data` per pod, kept when the
    StatefulSet is deleted or scaled down. The headless Service `<name>-headless` gives the
    pod its stable DNS name; clients use the Service `<name>`. The NetworkPolicy admits
    only `port`, only from pods labelled `client_labels`.
    """
    name = meta["name"]
    headless_meta = {**meta, "name": f"{name}-headless", "labels": dict(meta["labels"])}
    claim_spec: dict[str, Any] = {
        "accessModes": ["ReadWriteOnce"],
        "resources": {"requests": {"storage": quantity(storage, "storage")}},
    }
    if storage_class:
        claim_spec["storageClassName"] = dns_name(storage_class, "storage_class")
    stateful_set = {
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": meta,
        "spec": {
            "serviceName": f"{name}-headless",
            "replicas": 1,
            "selector": {"matchLabels": dict(labels)},
            "updateStrategy": {"type": "RollingUpdate"},
            "persistentVolumeClaimRetentionPolicy": {"whenDeleted": "Retain", "whenScaled": "Retain"},
            "template": template,
            "volumeClaimTemplates": [
                {"metadata": {"name": "data", "labels": dict(labels)}, "spec": claim_spec}
            ],
        },
    }
    return [
        stateful_set,
        named_port_service(headless_meta, labels, port_name, port, headless=True),
        named_port_service(meta, labels, port_name, port),
        disruption_budget(meta, labels),
        client_only_policy(
            meta,
            labels,
            port,
            client_labels,
            client_namespace and dns_name(client_namespace, "client_namespace"),
        ),
    ]


# --- words of an ask -------------------------------------------------------------------------------

QUOTED = r"""\s*[:=]?\s*(?:"([^"]+)"|'([^']+)'|`([^`]+)`)"""
COMMAND_WORDS = re.compile(r"\b(?:command|cmd|runs?|running|executes?)" + QUOTED, re.IGNORECASE)
ARGS_WORDS = re.compile(r"\b(?:args|arguments)" + QUOTED, re.IGNORECASE)
CONFIG_MAP_WORDS = re.compile(
    r"\b(?:config\s*map|env(?:ironment)?\s+from(?:\s+(?:the\s+)?config\s*map)?)\s+([a-z0-9][a-z0-9-]*)\b",
    re.IGNORECASE,
)
SECRET_WORDS = re.compile(r"\bsecret\s+(?:named\s+|called\s+)?([a-z0-9][a-z0-9-]*)\b", re.IGNORECASE)


def first_group(match: re.Match[str] | None) -> str | None:
    """The first group of `match` that matched, or None."""
    return next((group for group in match.groups() if group), None) if match else None


def container_words(text: str) -> dict[str, Any]:
    """A quoted command and args, a ConfigMap for the environment and a Secret to mount, from an ask."""
    config_map = first_group(CONFIG_MAP_WORDS.search(text))
    secret = first_group(SECRET_WORDS.search(text))
    return {
        "command": first_group(COMMAND_WORDS.search(text)),
        "args": first_group(ARGS_WORDS.search(text)),
        "config_map": config_map and config_map.lower(),
        "secret": secret and secret.lower(),
    }
