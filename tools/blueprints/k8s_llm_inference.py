"""Kubernetes LLM inference server on GPUs: vLLM or Hugging Face TGI as a StatefulSet, with Service,
PodDisruptionBudget, NetworkPolicy and an optional HPA.

A StatefulSet rather than a Deployment: each replica gets its own model cache volume
(a PersistentVolumeClaim from `volumeClaimTemplates`, so any storage class works, not
only ReadWriteMany ones) and a rollout replaces one pod at a time without needing a
spare GPU for a surge pod. HF_HOME (and the hub cache) point into that volume, so a
restarted pod does not download the weights again.

Pods ask for `nvidia.com/gpu` (requests equal limits), are placed on GPU nodes by a
node selector (`nvidia.com/gpu.present: "true"`, set by NVIDIA's GPU feature discovery,
or any label given) and tolerate the `nvidia.com/gpu` NoSchedule taint. /dev/shm is a
memory-backed emptyDir (tensor-parallel workers share tensors through it). A startup
probe on /health allows up to 30 minutes for the download and load; readiness and
liveness probes then use the same endpoint.

Hardened as far as both images allow: they run as root by default but work as a fixed
non-root user with a read-only root filesystem when HOME, the Hugging Face caches and
/tmp are writable volumes (USER is set because PyTorch asks for a user name, and the
UID has no passwd entry). The Hugging Face token is an existing Secret mounted as a file
(optional: public models need none) and found through HF_TOKEN_PATH, which
huggingface_hub reads in both images: a mounted file is not exposed like an environment
variable, and follows a rotation of the Secret.

Autoscaling: LLM serving is bound by the GPU and by the request queue, not by CPU, so a
CPU-based HPA (what `autoscale_max` adds) is only a coarse signal; scaling on the
server's queue (vLLM's `vllm:num_requests_waiting`, TGI's `tgi_queue_size`) through a
Prometheus adapter or KEDA follows load better. New replicas also need free GPUs and
minutes to load the model.
"""

from __future__ import annotations

import re
from typing import Any

from tools.blueprints.k8s_parts import (
    container_security,
    cpu_autoscaler,
    disruption_budget,
    dump,
    ingress_policy,
    labels_for,
    metadata,
    pod_security,
    resources,
    service,
    spread_over_nodes,
)
from tools.blueprints.model import Blueprint, GeneratedFile, Parameter

RUNTIMES = ("vllm", "tgi")
IMAGES = {
    "vllm": "vllm/vllm-openai:v0.11.0",
    "tgi": "ghcr.io/huggingface/text-generation-inference:3.3.4",
}
PORTS = {"vllm": 8000, "tgi": 8080}
GPU_RESOURCE = "nvidia.com/gpu"
CACHE_PATH = "/models"
TOKEN_DIR = "/var/run/secrets/huggingface"
RUN_AS = 10001

PARAMETERS = (
    Parameter(
        "runtime", "str", "inference server: vLLM or Hugging Face TGI", default="vllm", choices=RUNTIMES
    ),
    Parameter(
        "model",
        "str",
        "Hugging Face model id to serve (or a path inside the cache volume)",
        default="meta-llama/Llama-3.1-8B-Instruct",
    ),
    Parameter(
        "image", "str", "server image with a pinned tag (default: the runtime's pinned image)", default=""
    ),
    Parameter("name", "str", "name of the server and its objects (default: runtime and model)"),
    Parameter("namespace", "str", "namespace to deploy into", default="inference"),
    Parameter("replicas", "int", "replicas (the minimum when autoscaling)", default=1, minimum=1),
    Parameter(
        "autoscale_max",
        "int",
        "autoscale on CPU up to this many replicas (0: none; see the module notes on GPU metrics)",
        default=0,
    ),
    Parameter("gpus", "int", "GPUs per replica (the model is sharded over them)", default=1, minimum=1),
    Parameter(
        "gpu_node_selector",
        "str",
        "node label key=value that GPU nodes carry (none: no node selector)",
        default="nvidia.com/gpu.present=true",
    ),
    Parameter("cache_size", "str", "size of each replica's model cache volume", default="100Gi"),
    Parameter("storage_class", "str", "storage class of the cache volume (empty: the default)", default=""),
    Parameter("shm_size", "str", "size of the memory-backed /dev/shm", default="8Gi"),
    Parameter(
        "hf_token_secret",
        "str",
        "existing Secret holding the Hugging Face token under the key `token` (none: no token)",
        default="hf-token",
    ),
    Parameter("max_model_len", "int", "context length to serve (0: the model's own)", default=0),
    Parameter("cpu_request", "str", "CPU request per replica", default="4"),
    Parameter("cpu_limit", "str", "CPU limit per replica", default="8"),
    Parameter("memory_request", "str", "memory request per replica", default="24Gi"),
    Parameter("memory_limit", "str", "memory limit per replica", default="32Gi"),
)


def render(values: dict[str, Any]) -> list[GeneratedFile]:
    """The manifests, one file with one document per object."""
    runtime = values["runtime"]
    name = values["name"] or _default_name(runtime, values["model"])
    labels = labels_for(name)
    meta = metadata(name, values["namespace"], labels)
    port = PORTS[runtime]
    replicas = values["replicas"]
    autoscale = values["autoscale_max"] > replicas
    gpus = values["gpus"]
    container_resources = resources(
        values["cpu_request"], values["memory_request"], values["memory_limit"], values["cpu_limit"]
    )
    container_resources["requests"][GPU_RESOURCE] = gpus
    container_resources["limits"][GPU_RESOURCE] = gpus
    health = {"httpGet": {"path": "/health", "port": "http"}, "timeoutSeconds": 5}
    mounts: list[dict[str, Any]] = [
        {"name": "model-cache", "mountPath": CACHE_PATH},
        {"name": "tmp", "mountPath": "/tmp"},
        {"name": "dshm", "mountPath": "/dev/shm"},
    ]
    volumes: list[dict[str, Any]] = [
        {"name": "tmp", "emptyDir": {"sizeLimit": "10Gi"}},
        {"name": "dshm", "emptyDir": {"medium": "Memory", "sizeLimit": values["shm_size"]}},
    ]
    env = _environment(runtime)
    if not _off(values["hf_token_secret"]):
        mounts.append({"name": "hf-token", "mountPath": TOKEN_DIR, "readOnly": True})
        volumes.append(
            {
                "name": "hf-token",
                "secret": {
                    "secretName": values["hf_token_secret"],
                    "optional": True,
                    "defaultMode": 0o440,
                    "items": [{"key": "token", "path": "token"}],
                },
            }
        )
        env.append({"name": "HF_TOKEN_PATH", "value": f"{TOKEN_DIR}/token"})
    container: dict[str, Any] = {
        "name": runtime,
        "image": values["image"] or IMAGES[runtime],
        "imagePullPolicy": "Always",
        **_command(runtime, values["model"], port, gpus, values["max_model_len"]),
        "ports": [{"name": "http", "containerPort": port}],
        "env": env,
        "resources": container_resources,
        "startupProbe": {**health, "periodSeconds": 10, "failureThreshold": 180},
        "readinessProbe": {**health, "periodSeconds": 10, "failureThreshold": 3},
        "livenessProbe": {**health, "periodSeconds": 20, "failureThreshold": 3},
        "securityContext": container_security(),
        "volumeMounts": mounts,
    }
    pod: dict[str, Any] = {
        "automountServiceAccountToken": False,
        "securityContext": pod_security(RUN_AS, fs_group=RUN_AS),
        "affinity": spread_over_nodes(labels),
        "tolerations": [{"key": GPU_RESOURCE, "operator": "Exists", "effect": "NoSchedule"}],
        "terminationGracePeriodSeconds": 60,
        "containers": [container],
        "volumes": volumes,
    }
    selector = _node_selector(values["gpu_node_selector"])
    if selector:
        pod["nodeSelector"] = selector
    claim_spec: dict[str, Any] = {
        "accessModes": ["ReadWriteOnce"],
        "resources": {"requests": {"storage": values["cache_size"]}},
    }
    if values["storage_class"]:
        claim_spec["storageClassName"] = values["storage_class"]
    statefulset = {
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": meta,
        "spec": {
            **({} if autoscale else {"replicas": replicas}),
            "serviceName": name,
            "podManagementPolicy": "Parallel",
            "selector": {"matchLabels": dict(labels)},
            "updateStrategy": {"type": "RollingUpdate"},
            "template": {"metadata": {"labels": dict(labels)}, "spec": pod},
            "volumeClaimTemplates": [{"metadata": {"name": "model-cache"}, "spec": claim_spec}],
        },
    }
    objects: list[dict[str, Any]] = [statefulset, service(meta, labels, port)]
    if replicas > 1 or autoscale:
        objects.append(disruption_budget(meta, labels))
    objects.append(ingress_policy(meta, labels, [port]))
    if autoscale:
        objects.append(cpu_autoscaler(meta, "StatefulSet", name, replicas, values["autoscale_max"]))
    return [GeneratedFile(f"{name}.yaml", dump(objects))]


def _default_name(runtime: str, model: str) -> str:
    short = re.sub(r"[^a-z0-9-]+", "-", model.rsplit("/", 1)[-1].lower()).strip("-")
    return f"{runtime}-{short}"[:52].rstrip("-") or runtime


def _command(runtime: str, model: str, port: int, gpus: int, max_model_len: int) -> dict[str, Any]:
    if runtime == "vllm":
        args = ["--model", model, "--host", "0.0.0.0", "--port", str(port)]
        args += ["--tensor-parallel-size", str(gpus)]
        if max_model_len:
            args += ["--max-model-len", str(max_model_len)]
        # the module form works with every vllm-openai image (newer ones also have `vllm serve`)
        return {"command": ["python3", "-m", "vllm.entrypoints.openai.api_server"], "args": args}
    args = ["--model-id", model, "--hostname", "0.0.0.0", "--port", str(port)]
    args += ["--num-shard", str(gpus)]
    if max_model_len:
        args += ["--max-total-tokens", str(max_model_len)]
    return {"args": args}


def _environment(runtime: str) -> list[dict[str, Any]]:
    env = [
        {"name": "HF_HOME", "value": CACHE_PATH},
        {"name": "HF_HUB_CACHE", "value": f"{CACHE_PATH}/hub"},
        {"name": "HUGGINGFACE_HUB_CACHE", "value": f"{CACHE_PATH}/hub"},  # TGI's image sets it to /data
        {"name": "HOME", "value": "/tmp"},
        {"name": "USER", "value": runtime},
    ]
    if runtime == "vllm":
        env += [{"name": "VLLM_NO_USAGE_STATS", "value": "1"}, {"name": "DO_NOT_TRACK", "value": "1"}]
    return env


def _off(text: str) -> bool:
    """True for a value that switches an option off: none (empty cannot be given: it means the default)."""
    return text.strip().lower() in ("", "none", "-")


def _node_selector(text: str) -> dict[str, str]:
    if _off(text):
        return {}
    key, _, value = text.strip().partition("=")
    return {key.strip(): value.strip()}


_RUNTIME_WORDS = (
    (re.compile(r"\btgi\b|\btext[- ]generation[- ]inference\b", re.IGNORECASE), "tgi"),
    (re.compile(r"\bvllm\b", re.IGNORECASE), "vllm"),
)
_MODEL = re.compile(r"(?<![\w./:@-])([A-Za-z0-9][A-Za-z0-9_-]*/[A-Za-z0-9][\w.-]*[A-Za-z0-9])(?![\w./:@-])")
_GPUS = re.compile(
    r"\b(\d+)\s*(?:x\s*)?(?:nvidia\s+)?(?:[ahl]\d{1,3}s?\s+)?gpus?\b|\bon\s+(\d+)\s+(?:[ahl]\d{1,3}|gpu)s?\b",
    re.IGNORECASE,
)


def extract(text: str) -> dict[str, Any]:
    """Runtime, model id and GPU count from the ask's words."""
    found: dict[str, Any] = {}
    for pattern, runtime in _RUNTIME_WORDS:
        if pattern.search(text):
            found["runtime"] = runtime
            break
    for match in _MODEL.finditer(text):
        candidate = match.group(1)
        if candidate.split("/", 1)[0].lower() not in ("vllm", "huggingface", "ghcr.io"):
            found["model"] = candidate
            break
    gpus = _GPUS.search(text)
    if gpus:
        found["gpus"] = next(group for group in gpus.groups() if group)
    return found


LLM_INFERENCE = Blueprint(
    name="k8s-llm-inference",
    target="kubernetes",
    title="LLM inference server on GPUs (vLLM or TGI): StatefulSet with model cache, Service, PDB, "
    "NetworkPolicy, optional HPA",
    parameters=PARAMETERS,
    render=render,
    keywords=(
        r"\bvllm\b",
        r"\btgi\b",
        r"\btext[- ]generation[- ]inference\b",
        r"\bgpu\s+inference\b",
        r"\bllm\s+(?:inference|serving|server)\b",
        r"\b(?:inference|serving)\s+server\b",
        # a Hugging Face model id of a known open-weights family: the model is served here
        r"(?<![\w:/.-])[\w-]+/(?:meta-)?(?:llama|mistral|mixtral|qwen|gemma|phi|falcon|deepseek|gpt-oss|granite)[\w.-]*",
        r"\b(?:serve|serving|self-host(?:ed|ing)?)\s+(?:an?\s+|the\s+|our\s+)?(?:own\s+)?(?:llm|language\s+model)s?\b",
    ),
    extract=extract,
    examples=(
        {
            "runtime": "vllm",
            "model": "meta-llama/Llama-3.1-8B-Instruct",
            "replicas": 2,
            "autoscale_max": 4,
            "gpus": 1,
            "storage_class": "premium-rwo",
            "max_model_len": 8192,
        },
        {
            "runtime": "tgi",
            "model": "mistralai/Mistral-7B-Instruct-v0.3",
            "gpus": 2,
            "gpu_node_selector": "cloud.google.com/gke-accelerator=nvidia-l4",
            "hf_token_secret": "none",
        },
    ),
    example_ask="vllm inference server for meta-llama/Llama-3.1-8B-Instruct on 2 gpus, autoscale to 4",
)

BLUEPRINTS = (LLM_INFERENCE,)
