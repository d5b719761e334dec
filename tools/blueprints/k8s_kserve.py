"""KServe InferenceService (serving.kserve.io/v1beta1): a model served by the runtime its format picks.

The predictor names the model's format (sklearn, xgboost, pytorch, onnx, huggingface,
...) and where the model is (`storageUri`: s3://, gs://, pvc://, hf://, ...); KServe's
storage initializer downloads it and the matching ServingRuntime serves it over the V1
or Open Inference (V2) protocol. Defaults:

- RawDeployment mode (a Deployment and an HPA; no Knative needed) scaling on CPU, or
  Serverless (Knative) scaling on concurrent requests, which can also scale to zero
  with `replicas` 0;
- requests and limits on the model container, and a GPU (`nvidia.com/gpu`, requests
  equal limits, a GPU node selector and the NoSchedule toleration) when asked for;
- non-root with the runtime's seccomp profile, no privilege escalation, all capabilities
  dropped, a read-only root filesystem with a writable /tmp, no service-account token
  (storage credentials come from the service account's Secrets, given with
  `service_account`).

The InferenceService is checked against the bundled CRD schema
(`crds/kserve-inferenceservice.yaml`); shipmate's pod policies do not look inside it (it
is no workload kind they know), so the hardening above is this blueprint's own.
"""

from __future__ import annotations

import re
from typing import Any

from tools.blueprints.k8s_parts import container_security, dump, labels_for, metadata, resources
from tools.blueprints.model import Blueprint, GeneratedFile, Parameter

FORMATS = (
    "sklearn",
    "xgboost",
    "lightgbm",
    "tensorflow",
    "pytorch",
    "onnx",
    "triton",
    "pmml",
    "paddle",
    "huggingface",
)
PROTOCOLS = ("auto", "v1", "v2", "grpc-v1", "grpc-v2")
MODES = ("raw", "serverless")
METRICS = ("auto", "cpu", "memory", "concurrency", "rps")
GPU_RESOURCE = "nvidia.com/gpu"

PARAMETERS = (
    Parameter(
        "storage_uri",
        "str",
        "where the model is: s3://bucket/path, gs://..., pvc://claim/path, hf://org/model",
        required=True,
    ),
    Parameter(
        "model_format", "str", "the model's format (picks the runtime)", default="sklearn", choices=FORMATS
    ),
    Parameter("format_version", "str", "version of the format, e.g. 1 for sklearn (empty: any)", default=""),
    Parameter("name", "str", "name of the InferenceService (default: from the storage URI)"),
    Parameter("namespace", "str", "namespace to deploy into", default="models"),
    Parameter(
        "runtime", "str", "ServingRuntime to use (empty: the one KServe picks for the format)", default=""
    ),
    Parameter("protocol_version", "str", "inference protocol", default="auto", choices=PROTOCOLS),
    Parameter(
        "deployment_mode",
        "str",
        "raw: Deployment and HPA; serverless: Knative (scale to zero possible)",
        default="raw",
        choices=MODES,
    ),
    Parameter(
        "replicas",
        "int",
        "fewest replicas (minReplicas; 0 scales to zero, serverless only)",
        default=1,
        minimum=0,
    ),
    Parameter("autoscale_max", "int", "most replicas (maxReplicas)", default=3, minimum=1),
    Parameter(
        "scale_metric",
        "str",
        "metric to scale on (auto: cpu in raw mode, concurrency in serverless mode)",
        default="auto",
        choices=METRICS,
    ),
    Parameter("scale_target", "int", "target per replica (0: 70% for cpu/memory, 10 otherwise)", default=0),
    Parameter("gpus", "int", "GPUs per replica (0: none)", default=0, minimum=0),
    Parameter(
        "gpu_node_selector",
        "str",
        "node label key=value of GPU nodes, used when gpus > 0 (none: no node selector)",
        default="nvidia.com/gpu.present=true",
    ),
    Parameter(
        "service_account", "str", "service account holding the storage credentials (empty: none)", default=""
    ),
    Parameter("cpu_request", "str", "CPU request per replica", default="1"),
    Parameter("cpu_limit", "str", "CPU limit per replica", default="2"),
    Parameter("memory_request", "str", "memory request per replica", default="2Gi"),
    Parameter("memory_limit", "str", "memory limit per replica", default="4Gi"),
)


def render(values: dict[str, Any]) -> list[GeneratedFile]:
    """The InferenceService, one file."""
    name = values["name"] or _name_from_uri(values["storage_uri"], values["model_format"])
    meta = metadata(name, values["namespace"], labels_for(name))
    serverless = values["deployment_mode"] == "serverless"
    annotations = {"serving.kserve.io/deploymentMode": "Serverless" if serverless else "RawDeployment"}
    if not serverless:
        annotations["serving.kserve.io/autoscalerClass"] = "hpa"
    meta["annotations"] = annotations
    model_format: dict[str, Any] = {"name": values["model_format"]}
    if values["format_version"]:
        model_format["version"] = values["format_version"]
    container_resources = resources(
        values["cpu_request"], values["memory_request"], values["memory_limit"], values["cpu_limit"]
    )
    gpus = values["gpus"]
    if gpus:
        container_resources["requests"][GPU_RESOURCE] = gpus
        container_resources["limits"][GPU_RESOURCE] = gpus
    model: dict[str, Any] = {"modelFormat": model_format}
    if values["runtime"]:
        model["runtime"] = values["runtime"]
    if values["protocol_version"] != "auto":
        model["protocolVersion"] = values["protocol_version"]
    model.update(
        {
            "storageUri": values["storage_uri"],
            "env": [{"name": "HOME", "value": "/tmp"}],  # caches of the runtime go to the writable /tmp
            "resources": container_resources,
            "securityContext": container_security(),
            "volumeMounts": [{"name": "tmp", "mountPath": "/tmp"}],
        }
    )
    metric = values["scale_metric"]
    if metric == "auto":
        metric = "concurrency" if serverless else "cpu"
    target = values["scale_target"] or (70 if metric in ("cpu", "memory") else 10)
    minimum = values["replicas"] if serverless else max(values["replicas"], 1)
    predictor: dict[str, Any] = {
        "model": model,
        "minReplicas": minimum,
        "maxReplicas": max(values["autoscale_max"], minimum, 1),
        "scaleMetric": metric,
        "scaleTarget": target,
        "automountServiceAccountToken": False,
        "securityContext": {
            "runAsNonRoot": True,
            "runAsUser": 1000,
            "fsGroup": 1000,
            "seccompProfile": {"type": "RuntimeDefault"},
        },
        "volumes": [{"name": "tmp", "emptyDir": {}}],
    }
    if values["service_account"]:
        predictor["serviceAccountName"] = values["service_account"]
    if gpus:
        predictor["tolerations"] = [{"key": GPU_RESOURCE, "operator": "Exists", "effect": "NoSchedule"}]
        key, _, value = values["gpu_node_selector"].partition("=")
        if key.strip().lower() not in ("", "none", "-"):
            predictor["nodeSelector"] = {key.strip(): value.strip()}
    service = {
        "apiVersion": "serving.kserve.io/v1beta1",
        "kind": "InferenceService",
        "metadata": meta,
        "spec": {"predictor": predictor},
    }
    return [GeneratedFile(f"{name}.yaml", dump([service]))]


def _name_from_uri(uri: str, model_format: str) -> str:
    parts = [p for p in re.split(r"[/:]+", uri.lower()) if p and p not in ("model", "models")]
    last = parts[-1] if parts else model_format
    cleaned = re.sub(r"[^a-z0-9-]+", "-", last).strip("-")
    if not cleaned or cleaned[0].isdigit():
        cleaned = f"{model_format}-{cleaned}".strip("-")
    return cleaned[:45].rstrip("-") or model_format


_URI = re.compile(r"\b((?:s3|gs|pvc|hf|oci|azureblob|https?)://[^\s,;'\"]+)", re.IGNORECASE)
_FORMAT = re.compile(
    r"\b(sklearn|scikit-learn|xgboost|lightgbm|tensorflow|pytorch|torch|onnx|triton|pmml|paddle|huggingface|hugging\s+face)\b",
    re.IGNORECASE,
)
_FORMAT_ALIASES = {"scikit-learn": "sklearn", "torch": "pytorch", "hugging face": "huggingface"}
_GPUS = re.compile(r"\b(\d+)\s*gpus?\b|\bon\s+(?:a\s+)?gpu\b", re.IGNORECASE)


def extract(text: str) -> dict[str, Any]:
    """Storage URI, model format, GPUs and the serverless mode from the ask's words."""
    found: dict[str, Any] = {}
    uri = _URI.search(text)
    if uri:
        found["storage_uri"] = uri.group(1).rstrip(".")
    model_format = _FORMAT.search(text)
    if model_format:
        word = " ".join(model_format.group(1).lower().split())
        found["model_format"] = _FORMAT_ALIASES.get(word, word)
    gpus = _GPUS.search(text)
    if gpus:
        found["gpus"] = gpus.group(1) or "1"
    if re.search(r"\bserverless\b|\bknative\b|\bscale\s+to\s+zero\b", text, re.IGNORECASE):
        found["deployment_mode"] = "serverless"
    if re.search(r"\bscale\s+to\s+zero\b", text, re.IGNORECASE):
        found["replicas"] = 0
    return found


KSERVE = Blueprint(
    name="k8s-kserve",
    target="kubernetes",
    title="KServe InferenceService: a model by format and storage URI, replicas and scaling, optional GPU",
    parameters=PARAMETERS,
    render=render,
    keywords=(
        r"\bkserve\b",
        r"\binference\s*services?\b",
        r"\bisvc\b",
        r"\bserving\.kserve\.io\b",
        r"\b(?:s3|gs|pvc|hf|oci|azureblob)://",
        r"\b(?:sklearn|scikit-learn|xgboost|lightgbm|onnx|pmml|tensorflow|pytorch|paddle)\s+models?\b",
    ),
    extract=extract,
    examples=(
        {
            "storage_uri": "gs://kfserving-examples/models/sklearn/1.0/model",
            "model_format": "sklearn",
            "format_version": "1",
            "name": "sklearn-iris",
            "protocol_version": "v2",
            "replicas": 1,
            "autoscale_max": 4,
        },
        {
            "storage_uri": "hf://meta-llama/Llama-3.1-8B-Instruct",
            "model_format": "huggingface",
            "deployment_mode": "serverless",
            "replicas": 0,
            "autoscale_max": 2,
            "gpus": 1,
            "service_account": "hf-reader",
            "cpu_request": "4",
            "cpu_limit": "8",
            "memory_request": "24Gi",
            "memory_limit": "32Gi",
        },
    ),
    example_ask="kserve inferenceservice for an sklearn model at gs://acme-models/churn/v3, autoscale to 5",
)

BLUEPRINTS = (KSERVE,)
