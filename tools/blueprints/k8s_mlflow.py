"""Kubernetes MLflow model server: `mlflow models serve` behind a Service, with PDB, policy and optional HPA.

What it renders: a Deployment running MLflow's scoring server for one model (a registry
URI such as models:/fraud/3, a run's runs:/<id>/model, or an artifact URI such as
s3://bucket/path), a Service on port 80 to it, a PodDisruptionBudget, a NetworkPolicy
admitting only the serving port, and optionally a CPU HorizontalPodAutoscaler and an
Ingress with TLS. The default model URI, /opt/ml/model, is where images built by
`mlflow models build-docker` carry their model: such an image is served as it is, without
its nginx front (which needs root and a writable filesystem).

The image must hold MLflow and the model's Python dependencies (`--env-manager local`:
nothing is installed at start, so start-up needs no package index and the pod runs with
a read-only root filesystem). The model is downloaded at start into /tmp, an emptyDir
capped at `scratch_size`, which is also HOME; a startup probe on /ping gives the download
and load `startup_seconds` before the liveness probe (/ping) may restart the pod, and the
readiness probe (/health) keeps traffic away until the model answers. For a models:/ URI
the tracking server is `tracking_uri` (MLFLOW_TRACKING_URI). S3 credentials come from
the pod's service account (workload identity: `service_account`) or from an existing
Secret in AWS credentials-file format mounted as a file (`aws_credentials_secret`),
never from the output. The rest is hardened like every shipmate blueprint: non-root, no
privilege escalation, all capabilities dropped, the runtime's seccomp profile, requests
and limits, replicas spread over nodes. A service-account token is mounted only with
`service_account` (workload identity needs it).
"""

from __future__ import annotations

import math
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
    service,
    tls_ingress,
)
from tools.blueprints.k8s_workload_parts import (
    SECRETS_ROOT,
    app_name,
    deployment,
    dns_name,
    hardened_container,
    mask,
    pod_template,
    scratch_volume,
    secret_volume,
    shared_corrections,
)
from tools.blueprints.model import Blueprint, GeneratedFile, Parameter
from tools.blueprints.value_checks import quantity
from tools.errors import InputError

PARAMETERS = (
    Parameter(
        "image",
        "str",
        "image with MLflow and the model's dependencies, pinned, e.g. ghcr.io/acme/fraud-serving:3",
        required=True,
    ),
    Parameter(
        "model_uri",
        "str",
        "model to serve: models:/<name>/<version>, models:/<name>@<alias>, runs:/<run>/<path>, "
        "s3://..., gs://..., or a path in the image",
        default="/opt/ml/model",
    ),
    Parameter("name", "str", "name of the server and its objects (default: from the image)"),
    Parameter("namespace", "str", "namespace to deploy into", default="ml"),
    Parameter("port", "int", "port the scoring server listens on", default=8080, minimum=1),
    Parameter("replicas", "int", "replicas (the minimum when autoscaling)", default=2, minimum=1),
    Parameter(
        "autoscale_max", "int", "autoscale on CPU up to this many replicas (0: no autoscaling)", default=0
    ),
    Parameter("workers", "int", "scoring server worker processes per replica", default=2, minimum=1),
    Parameter(
        "tracking_uri",
        "str",
        "MLflow tracking server, as MLFLOW_TRACKING_URI (needed for models:/ URIs; empty: none)",
        default="",
    ),
    Parameter("s3_endpoint_url", "str", "S3-compatible endpoint such as MinIO (empty: AWS S3)", default=""),
    Parameter(
        "service_account",
        "str",
        "service account for workload identity to the artifact store (empty: none, no token mounted)",
        default="",
    ),
    Parameter(
        "aws_credentials_secret",
        "str",
        "existing Secret with a `credentials` key in AWS credentials-file format, mounted as a file "
        "(empty: none)",
        default="",
    ),
    Parameter(
        "startup_seconds",
        "int",
        "time a replica gets to download and load the model",
        default=600,
        minimum=30,
    ),
    Parameter("scratch_size", "str", "size of /tmp, where the model is downloaded", default="4Gi"),
    Parameter("cpu_request", "str", "CPU request per replica", default="500m"),
    Parameter("cpu_limit", "str", "CPU limit per replica", default="2"),
    Parameter("memory_request", "str", "memory request per replica", default="1Gi"),
    Parameter("memory_limit", "str", "memory limit per replica", default="2Gi"),
    Parameter("host", "str", "public host name: adds an Ingress with TLS (empty: no Ingress)", default=""),
)

_MODEL_URI = re.compile(
    r"^(?:models:/[^\s/@]+(?:/\d+|/[A-Za-z][\w-]*|@[\w-]+)|runs:/[0-9a-f]{32}/\S+"
    r"|(?:s3|gs|wasbs|abfss|hdfs|dbfs|mlflow-artifacts)://?\S+|file:/\S+|/\S+)$"
)
_URI = re.compile(r"^(?:https?|file|databricks)(?:://\S+|$)")


def _command(values: dict[str, Any], port: int) -> list[str]:
    uri = values["model_uri"]
    if not _MODEL_URI.match(uri):
        raise InputError(
            "--set model_uri",
            f"{uri!r} is not a model URI such as models:/fraud/3, models:/fraud@champion, "
            "runs:/<32-hex run id>/model or s3://bucket/path",
        )
    if uri.startswith("models:/") and not values["tracking_uri"]:
        raise InputError("--set tracking_uri", f"{uri} is resolved by a tracking server: give tracking_uri")
    return [
        "mlflow",
        "models",
        "serve",
        "--model-uri",
        uri,
        "--host",
        "0.0.0.0",
        "--port",
        str(port),
        "--workers",
        str(values["workers"]),
        "--env-manager",
        "local",
    ]


def render(values: dict[str, Any]) -> list[GeneratedFile]:
    """The manifests, one file with one document per object."""
    name = app_name(values)
    labels = labels_for(name)
    meta = metadata(name, dns_name(values["namespace"], "namespace"), labels)
    port = values["port"]
    replicas = values["replicas"]
    autoscale = values["autoscale_max"] > replicas
    env = [{"name": "HOME", "value": "/tmp"}]
    if values["tracking_uri"]:
        if not _URI.match(values["tracking_uri"]):
            raise InputError("--set tracking_uri", f"{values['tracking_uri']!r} is not an http(s) URI")
        env.append({"name": "MLFLOW_TRACKING_URI", "value": values["tracking_uri"]})
    if values["s3_endpoint_url"]:
        env.append({"name": "MLFLOW_S3_ENDPOINT_URL", "value": values["s3_endpoint_url"]})
    mounts: list[dict[str, Any]] = [{"name": "tmp", "mountPath": "/tmp"}]
    volumes = [scratch_volume("tmp", quantity(values["scratch_size"], "scratch_size"))]
    if values["aws_credentials_secret"]:
        secret = dns_name(values["aws_credentials_secret"], "aws_credentials_secret")
        mounts.append({"name": "aws", "mountPath": f"{SECRETS_ROOT}/aws", "readOnly": True})
        volumes.append(secret_volume("aws", secret, [("credentials", "credentials")]))
        env.append({"name": "AWS_SHARED_CREDENTIALS_FILE", "value": f"{SECRETS_ROOT}/aws/credentials"})
    period = 10
    container = hardened_container(
        name,
        values["image"],
        command=_command(values, port),
        ports=[{"name": "http", "containerPort": port}],
        env=env,
        startupProbe={
            "httpGet": {"path": "/ping", "port": "http"},
            "periodSeconds": period,
            "failureThreshold": math.ceil(values["startup_seconds"] / period),
        },
        readinessProbe={
            "httpGet": {"path": "/health", "port": "http"},
            "periodSeconds": 10,
            "timeoutSeconds": 5,
        },
        livenessProbe={
            "httpGet": {"path": "/ping", "port": "http"},
            "periodSeconds": 20,
            "timeoutSeconds": 5,
            "failureThreshold": 3,
        },
        resources=resources(
            quantity(values["cpu_request"], "cpu_request"),
            quantity(values["memory_request"], "memory_request"),
            quantity(values["memory_limit"], "memory_limit"),
            quantity(values["cpu_limit"], "cpu_limit"),
        ),
        mounts=mounts,
    )
    template = pod_template(
        labels,
        [container],
        volumes,
        service_account=values["service_account"],
        terminationGracePeriodSeconds=30,
    )
    objects: list[dict[str, Any]] = [
        deployment(meta, labels, template, replicas, autoscale),
        service(meta, labels, 80 if port != 80 else port),
    ]
    if replicas > 1 or autoscale:
        objects.append(disruption_budget(meta, labels))
    objects.append(ingress_policy(meta, labels, [port]))
    if autoscale:
        objects.append(cpu_autoscaler(meta, "Deployment", name, replicas, values["autoscale_max"]))
    if values["host"]:
        objects.append(tls_ingress(meta, name, values["host"]))
    return [GeneratedFile(f"{name}.yaml", dump(objects))]


_MODEL_URI_WORDS = re.compile(
    r"((?:models|runs):/[^\s'\"`,;]+|(?:s3|gs|wasbs|abfss|hdfs|dbfs|mlflow-artifacts)://[^\s'\"`,;]+)",
    re.IGNORECASE,
)
_TRACKING = re.compile(
    r"\btracking\s*(?:server|uri|url)?\s*(?:is\s+|at\s+|=\s*|:\s*)?((?:https?://)?[a-z0-9][\w.-]*(?::\d+)?[^\s'\"`,;]*)",
    re.IGNORECASE,
)
_WORKERS = re.compile(r"\b(\d+)\s+workers?\b|\bworkers?\s+(\d+)\b", re.IGNORECASE)
_SERVICE_ACCOUNT = re.compile(r"\bservice\s*account\s+([a-z0-9][a-z0-9-]*)\b", re.IGNORECASE)


def extract(text: str) -> dict[str, Any]:
    """MLflow's own parameters from an ask: model URI, tracking server, workers, service account."""
    found: dict[str, Any] = {}
    uri = _MODEL_URI_WORDS.search(text)
    if uri:
        found["model_uri"] = uri.group(1).rstrip(".")
    tracking = _TRACKING.search(_MODEL_URI_WORDS.sub(" ", text))
    masked = mask(text, _MODEL_URI_WORDS)
    if tracking:
        address = tracking.group(1).rstrip(".")
        found["tracking_uri"] = address if "://" in address else f"http://{address}"
        masked = masked.replace(tracking.group(1), " ")
    workers = _WORKERS.search(text)
    if workers:
        found["workers"] = next(g for g in workers.groups() if g)
    account = _SERVICE_ACCOUNT.search(text)
    if account:
        found["service_account"] = account.group(1)
    # the tracking server's host and port (URLs are blanked by the shared parser; a bare
    # host:port is not) are not this server's
    found.update(shared_corrections(text, masked, {"port": "8080"}))
    return found


MLFLOW = Blueprint(
    name="k8s-mlflow",
    target="kubernetes",
    title="MLflow model server: mlflow models serve, Service, PDB, NetworkPolicy, optional HPA and Ingress",
    parameters=PARAMETERS,
    render=render,
    keywords=(
        r"\bmlflow\b",
        r"\bmlflow\b.*\bmodels?\b|\bmodels?\b.*\bmlflow\b",
        r"\bmlflow\s+(?:model\s+)?(?:serv\w*|deployment|endpoint)",
        r"(?<![\w/])(?:models|runs):/",
        r"\bmodel\s+registry\b",
    ),
    extract=extract,
    examples=(
        {
            "image": "ghcr.io/acme/fraud-serving:2.14.1",
            "name": "fraud-model",
            "model_uri": "models:/fraud@champion",
            "tracking_uri": "http://mlflow.mlops.svc.cluster.local:5000",
            "service_account": "fraud-model",
            "replicas": 3,
            "autoscale_max": 10,
            "host": "fraud.example.com",
        },
        {"image": "ghcr.io/acme/churn-model:7", "replicas": 1},
        {
            "image": "ghcr.io/acme/mlflow-serving:2.14.1",
            "model_uri": "s3://acme-models/churn/7",
            "s3_endpoint_url": "http://minio.storage.svc:9000",
            "aws_credentials_secret": "minio-reader",
        },
    ),
    example_ask="mlflow model server for models:/fraud/3, image ghcr.io/acme/fraud:2.1, tracking at http://mlflow:5000",
)

BLUEPRINTS = (MLFLOW,)
