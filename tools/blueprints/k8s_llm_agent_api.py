"""Kubernetes LLM agent API: a service that calls a hosted model provider, fenced to HTTPS egress only.

What it renders: a Deployment and a Service for the agent's HTTP API, a ConfigMap with
the provider, model, base URL and any other settings (passed as environment variables;
its digest on the pod template rolls the pods when it changes), a NetworkPolicy for
ingress on the API port, an egress NetworkPolicy, a PodDisruptionBudget, and optionally
a CPU HorizontalPodAutoscaler and an Ingress with TLS.

The API key is never in the output: it comes from an existing Secret (`api_key_secret`,
by default `<name>-llm`, key `api-key`) that you create. By default it reaches the app as
the variable the provider's SDK reads (OPENAI_API_KEY, ANTHROPIC_API_KEY, ...) through a
secretKeyRef, which shipmate reports as a low finding (K8S_SECRET_ENV_REF: environment
variables leak into crash reports and child processes); with `api_key_mount=file` the
Secret is mounted as a file instead and LLM_API_KEY_FILE says where, for apps that can
read it from there.

Egress is the part an agent needs most: a prompt-injected tool call must not reach
whatever the pod can. The egress policy lets the pods out only to the cluster DNS and to
TCP 443, and that only on public addresses (the private, link-local/cloud-metadata and
carrier-grade NAT ranges are excluded) unless `egress_cidr` names where the provider is.
Hence the base URL must be https. The rest is hardened like every shipmate blueprint:
non-root, read-only root filesystem with an emptyDir for /tmp, no privilege escalation,
all capabilities dropped, the runtime's seccomp profile, no service-account token,
requests and limits, probes on the API port, replicas spread over nodes; a 60 s grace
period lets a slow model call finish during a rollout.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any
from urllib.parse import urlparse

from tools.blueprints.k8s_parts import (
    cpu_autoscaler,
    disruption_budget,
    dump,
    http_or_tcp_probe,
    ingress_policy,
    labels_for,
    metadata,
    resources,
    service,
    tls_ingress,
)
from tools.blueprints.k8s_workload_parts import (
    SECRETS_ROOT,
    app_name,
    checksum,
    deployment,
    dns_name,
    env_settings,
    hardened_container,
    https_egress_policy,
    pod_template,
    scratch_volume,
    secret_key,
    secret_volume,
)
from tools.blueprints.model import Blueprint, GeneratedFile, Parameter
from tools.blueprints.value_checks import quantity
from tools.errors import InputError

# provider: (base URL, variable its SDK reads the key from, a current small model)
PROVIDERS: dict[str, tuple[str, str, str]] = {
    "openai": ("https://api.openai.com/v1", "OPENAI_API_KEY", "gpt-4o-mini"),
    "anthropic": ("https://api.anthropic.com", "ANTHROPIC_API_KEY", "claude-3-5-haiku-latest"),
    "mistral": ("https://api.mistral.ai/v1", "MISTRAL_API_KEY", "mistral-small-latest"),
    "gemini": ("https://generativelanguage.googleapis.com", "GEMINI_API_KEY", "gemini-1.5-flash"),
    "other": ("", "LLM_API_KEY", ""),
}

PARAMETERS = (
    Parameter(
        "image",
        "str",
        "the agent API's image with a pinned tag, e.g. ghcr.io/acme/agent:0.3.1",
        required=True,
    ),
    Parameter("name", "str", "name of the service and its objects (default: from the image)"),
    Parameter("namespace", "str", "namespace to deploy into", default="apps"),
    Parameter("port", "int", "port the API listens on", default=8080, minimum=1),
    Parameter("replicas", "int", "replicas (the minimum when autoscaling)", default=2, minimum=1),
    Parameter(
        "autoscale_max", "int", "autoscale on CPU up to this many replicas (0: no autoscaling)", default=0
    ),
    Parameter(
        "provider",
        "str",
        "model provider: sets the default base URL, key variable and model (other: give base_url and model)",
        default="openai",
        choices=tuple(PROVIDERS),
    ),
    Parameter(
        "model", "str", "model name, as LLM_MODEL (default: a small model of the provider)", default=""
    ),
    Parameter(
        "base_url",
        "str",
        "https base URL of the provider's API, as LLM_BASE_URL (default: the provider's)",
        default="",
    ),
    Parameter(
        "settings",
        "str",
        'more settings as NAME=value pairs separated by commas, e.g. "LLM_TEMPERATURE=0.2,MAX_STEPS=8" '
        "(credentials are refused: they belong in the Secret)",
        default="",
    ),
    Parameter(
        "api_key_secret",
        "str",
        "existing Secret holding the API key; you create it (default: <name>-llm)",
        default="",
    ),
    Parameter("api_key_key", "str", "key of the API key in that Secret", default="api-key"),
    Parameter(
        "api_key_env",
        "str",
        "variable the key is passed in (default: the provider's, e.g. OPENAI_API_KEY)",
        default="",
    ),
    Parameter(
        "api_key_mount",
        "str",
        "env: the key as an environment variable (what SDKs read); file: mounted as a file, "
        "its path in LLM_API_KEY_FILE",
        default="env",
        choices=("env", "file"),
    ),
    Parameter(
        "egress_cidr",
        "str",
        "the only addresses HTTPS may go to, e.g. 203.0.113.0/24 (empty: any public address)",
        default="",
    ),
    Parameter("cpu_request", "str", "CPU request per replica", default="100m"),
    Parameter("memory_request", "str", "memory request per replica", default="256Mi"),
    Parameter("memory_limit", "str", "memory limit per replica", default="512Mi"),
    Parameter("host", "str", "public host name: adds an Ingress with TLS (empty: no Ingress)", default=""),
    Parameter("health_path", "str", "HTTP path for the probes (empty: a TCP check on the port)", default=""),
)

KEY_FILE = f"{SECRETS_ROOT}/llm/api-key"
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _settings(values: dict[str, Any]) -> dict[str, str]:
    """The ConfigMap's data: provider, model, base URL, then the extra settings."""
    provider = values["provider"]
    default_url, _, default_model = PROVIDERS[provider]
    model = values["model"] or default_model
    base_url = values["base_url"] or default_url
    if not model or not base_url:
        raise InputError("--set provider", "provider other needs both base_url and model")
    parsed = urlparse(base_url)
    if parsed.scheme != "https" or not parsed.hostname:
        raise InputError(
            "--set base_url", f"{base_url!r} is not an https URL: the egress policy lets only HTTPS (443) out"
        )
    if parsed.port not in (None, 443):
        raise InputError("--set base_url", f"{base_url!r}: the egress policy lets out only port 443")
    data = {"LLM_PROVIDER": provider, "LLM_MODEL": model, "LLM_BASE_URL": base_url}
    if values["api_key_mount"] == "file":
        data["LLM_API_KEY_FILE"] = KEY_FILE
    for key, value in env_settings(values["settings"], "settings").items():
        if key in data:
            raise InputError("--set settings", f"{key} is set by its own parameter")
        data[key] = value
    return data


def _egress_cidr(text: str) -> str:
    if not text:
        return ""
    try:
        return str(ipaddress.ip_network(text, strict=False))
    except ValueError as err:
        raise InputError("--set egress_cidr", f"{text!r} is not a CIDR such as 203.0.113.0/24") from err


def render(values: dict[str, Any]) -> list[GeneratedFile]:
    """The manifests, one file with one document per object."""
    name = app_name(values)
    labels = labels_for(name)
    namespace = dns_name(values["namespace"], "namespace")
    meta = metadata(name, namespace, labels)
    config_meta = metadata(f"{name}-config", namespace, labels)
    data = _settings(values)
    secret = dns_name(values["api_key_secret"] or f"{name}-llm", "api_key_secret")
    secret_key(values["api_key_key"], "api_key_key")
    key_env = values["api_key_env"] or PROVIDERS[values["provider"]][1]
    if not _ENV_NAME.match(key_env):
        raise InputError("--set api_key_env", f"{key_env!r} is not a variable name")
    replicas = values["replicas"]
    autoscale = values["autoscale_max"] > replicas
    port = values["port"]
    probe = http_or_tcp_probe("http", values["health_path"])
    mounts: list[dict[str, Any]] = [{"name": "tmp", "mountPath": "/tmp"}]
    volumes = [scratch_volume("tmp")]
    env: list[dict[str, Any]] = []
    if values["api_key_mount"] == "file":
        mounts.append({"name": "api-key", "mountPath": f"{SECRETS_ROOT}/llm", "readOnly": True})
        volumes.append(secret_volume("api-key", secret, [(values["api_key_key"], "api-key")]))
    else:
        env.append(
            {"name": key_env, "valueFrom": {"secretKeyRef": {"name": secret, "key": values["api_key_key"]}}}
        )
    container = hardened_container(
        name,
        values["image"],
        ports=[{"name": "http", "containerPort": port}],
        envFrom=[{"configMapRef": {"name": f"{name}-config"}}],
        env=env,
        readinessProbe={**probe, "periodSeconds": 10},
        livenessProbe={**probe, "initialDelaySeconds": 10, "periodSeconds": 20},
        resources=resources(
            quantity(values["cpu_request"], "cpu_request"),
            quantity(values["memory_request"], "memory_request"),
            quantity(values["memory_limit"], "memory_limit"),
        ),
        mounts=mounts,
    )
    template = pod_template(
        labels,
        [container],
        volumes,
        annotations={"checksum/config": checksum(data)},
        terminationGracePeriodSeconds=60,
    )
    config_map = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": config_meta, "data": data}
    objects: list[dict[str, Any]] = [
        config_map,
        deployment(meta, labels, template, replicas, autoscale),
        service(meta, labels, 80 if port != 80 else port),
    ]
    if replicas > 1 or autoscale:
        objects.append(disruption_budget(meta, labels))
    objects.append(ingress_policy(meta, labels, [port]))
    objects.append(
        https_egress_policy(
            metadata(f"{name}-egress", namespace, labels), labels, _egress_cidr(values["egress_cidr"])
        )
    )
    if autoscale:
        objects.append(cpu_autoscaler(meta, "Deployment", name, replicas, values["autoscale_max"]))
    if values["host"]:
        objects.append(tls_ingress(meta, name, values["host"]))
    return [GeneratedFile(f"{name}.yaml", dump(objects))]


_PROVIDER_WORDS = (
    ("anthropic", r"\b(?:anthropic|claude)\b"),
    ("mistral", r"\bmistral(?:\s*ai)?\b(?![\w-])"),
    ("gemini", r"\b(?:gemini|google\s+ai)\b"),
    ("openai", r"\b(?:openai|gpt|chatgpt)\b"),
)
_MODEL = re.compile(
    r"\b(?:model\s+)?((?:gpt-[\w.-]+|o\d(?:-(?:mini|preview))?|claude-[\w.-]+|gemini-[\w.-]+|mistral-[\w.-]+"
    r"|(?:open-)?mixtral-[\w.-]+))\b"
    r"|\bmodel\s+([A-Za-z0-9][\w.:/-]*[\w])",
    re.IGNORECASE,
)
_BASE_URL = re.compile(r"\b(https://[^\s'\"`,;]+)", re.IGNORECASE)
_CIDR = re.compile(r"\b(\d{1,3}(?:\.\d{1,3}){3}/\d{1,2})\b")
_SECRET = re.compile(r"\b(?:key\s+(?:from\s+|in\s+)?(?:the\s+)?secret|secret)\s+([a-z0-9][a-z0-9-]*)\b", re.I)
_TEMPERATURE = re.compile(r"\btemperature\s*(?:of\s+|=\s*)?(\d(?:\.\d+)?)\b", re.IGNORECASE)
_NOT_A_MODEL = {"server", "serving", "provider", "name", "api", "from", "and", "with"}


def extract(text: str) -> dict[str, Any]:
    """The agent's own parameters from an ask: provider, model, base URL, Secret, egress CIDR, temperature."""
    found: dict[str, Any] = {}
    for provider, words in _PROVIDER_WORDS:
        if re.search(words, text, re.IGNORECASE):
            found["provider"] = provider
            break
    for candidate in _MODEL.finditer(text):
        model = candidate.group(1) or candidate.group(2)
        if model.lower() not in _NOT_A_MODEL:
            found["model"] = model
            break
    base_url = _BASE_URL.search(text)
    if base_url:
        found["base_url"] = base_url.group(1).rstrip(".")
        if "provider" not in found:
            found["provider"] = "other"
    for pattern, key in ((_CIDR, "egress_cidr"), (_SECRET, "api_key_secret")):
        match = pattern.search(text)
        if match:
            found[key] = match.group(1)
    temperature = _TEMPERATURE.search(text)
    if temperature:
        found["settings"] = f"LLM_TEMPERATURE={temperature.group(1)}"
    if re.search(r"\b(?:key|secret)\s+(?:mounted\s+)?as\s+(?:a\s+)?file\b", text, re.IGNORECASE):
        found["api_key_mount"] = "file"
    return found


AGENT_API = Blueprint(
    name="k8s-llm-agent-api",
    target="kubernetes",
    title="LLM agent API: Deployment, Service, ConfigMap, API key from a Secret, HTTPS-only egress, PDB, "
    "optional HPA and Ingress",
    parameters=PARAMETERS,
    render=render,
    keywords=(
        r"\bagents?\b",
        r"\b(?:llm|ai|gpt|chat|langchain|langgraph|crewai|autogen|rag)[\s-]*agents?\b",
        r"\bagents?[\s-]+(?:api|service|server|backend|app)\b",
        r"\b(?:openai|anthropic|claude|chatgpt|gemini|mistral\s*ai)\b(?![\s-]*compatible)",
        r"\b(?:langchain|langgraph|llamaindex|llama-index|crewai|autogen|pydantic-ai)\b",
        r"\b(?:chatbot|copilot|assistant|rag)\s+(?:api|service|backend)\b",
        r"\bcalls?\s+(?:an?\s+|the\s+)?(?:llm|model\s+provider|hosted\s+model)\b",
    ),
    extract=extract,
    examples=(
        {
            "image": "ghcr.io/acme/support-agent:0.3.1",
            "name": "support-agent",
            "replicas": 3,
            "autoscale_max": 8,
            "port": 8000,
            "model": "gpt-4o",
            "settings": "LLM_TEMPERATURE=0.2,AGENT_MAX_STEPS=8,LOG_LEVEL=info",
            "host": "agent.example.com",
            "health_path": "/healthz",
        },
        {
            "image": "ghcr.io/acme/triage-bot:1.0.0",
            "provider": "anthropic",
            "api_key_mount": "file",
            "replicas": 1,
        },
        {
            "image": "ghcr.io/acme/rag-api:2.1.0",
            "provider": "other",
            "base_url": "https://llm.internal.example.com/v1",
            "model": "llama-3.1-70b-instruct",
            "egress_cidr": "10.20.0.0/16",
        },
    ),
    example_ask="LLM agent API ghcr.io/acme/support-agent:0.3.1 that calls OpenAI gpt-4o, 3 replicas",
)

BLUEPRINTS = (AGENT_API,)
