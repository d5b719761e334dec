"""Which cluster to read: a kubeconfig context (or the in-cluster service account), as an API client.

The user's own kubeconfig is trusted configuration: its exec credential plugins (aws eks
get-token, gke-gcloud-auth-plugin) run as they would for kubectl. shipmate never takes a
kubeconfig from a model or from data it reads.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tools.errors import InputError

if TYPE_CHECKING:
    from kubernetes.client import ApiClient

IN_CLUSTER = "in-cluster"


@dataclass
class KubeTarget:
    """An API client for one context, with what a report says about it."""

    client: ApiClient
    context: str
    namespace: str  # the context's default namespace
    server: str


def connect(context: str | None = None, kubeconfig: Path | None = None) -> KubeTarget:
    """The API client for `context` (default: the kubeconfig's current one, else the in-cluster account).

    Raises InputError naming the kubeconfig or the context when neither can be used.
    """
    from kubernetes import config
    from kubernetes.client import Configuration

    path = kubeconfig or _default_kubeconfig()
    configuration = Configuration()
    configuration.retries = False  # one attempt: an unreachable server is reported at once, not after retries
    if path is None or not path.exists():
        if context is None and os.environ.get("KUBERNETES_SERVICE_HOST"):
            return _in_cluster(configuration)
        shown = str(path) if path else "~/.kube/config"
        raise InputError(
            shown, "no kubeconfig here and not running in a cluster: set KUBECONFIG or --context"
        )
    try:
        contexts, current = config.list_kube_config_contexts(config_file=str(path))
    except (config.ConfigException, OSError, ValueError) as err:
        raise InputError(str(path), f"not a usable kubeconfig: {_first_line(err)}") from err
    names = [c["name"] for c in contexts or []]
    chosen = context or (current or {}).get("name")
    if chosen is None:
        raise InputError(str(path), "no current context: name one with --context")
    if chosen not in names:
        raise InputError(
            "--context", f"no context {chosen!r} in {path} (known: {', '.join(names) or 'none'})"
        )
    try:
        client = config.new_client_from_config(
            config_file=str(path), context=chosen, persist_config=False, client_configuration=configuration
        )
    except (config.ConfigException, OSError, ValueError) as err:
        raise InputError(f"context {chosen}", f"cannot be used: {_first_line(err)}") from err
    details = next(c for c in contexts if c["name"] == chosen).get("context") or {}
    return KubeTarget(client, chosen, details.get("namespace") or "default", client.configuration.host)


def _in_cluster(configuration: object) -> KubeTarget:
    from kubernetes import config
    from kubernetes.client import ApiClient

    try:
        config.load_incluster_config(client_configuration=configuration)
    except config.ConfigException as err:
        raise InputError(IN_CLUSTER, f"cannot use the service account: {_first_line(err)}") from err
    namespace_file = Path("/var/run/secrets/kubernetes.io/serviceaccount/namespace")
    namespace = namespace_file.read_text().strip() if namespace_file.exists() else "default"
    client = ApiClient(configuration)
    return KubeTarget(client, IN_CLUSTER, namespace, client.configuration.host)


def _default_kubeconfig() -> Path | None:
    listed = os.environ.get("KUBECONFIG", "")
    first = next((p for p in listed.split(os.pathsep) if p), None)
    return Path(first).expanduser() if first else Path("~/.kube/config").expanduser()


def _first_line(err: Exception) -> str:
    text = str(err).strip().splitlines()
    return text[0] if text else type(err).__name__
