"""The inference, KServe, OpenShift and Compose-stack blueprints: content, intents, and the bundled CRDs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tools.blueprints.intent import parse_intent
from tools.blueprints.model import GeneratedFile
from tools.blueprints.registry import bundled_crds, generate_blueprint, validate_files, validate_k8s_files
from tools.k8s.validate import validate_k8s


def objects(name: str, parameters: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The rendered objects by kind, after checking the whole set validates with no findings."""
    generated = generate_blueprint(name, parameters)
    report = generated.validation
    assert (report.counts.invalid, report.counts.errors) == (0, 0), report.results
    assert [(f.id, f.field_path) for f in report.findings] == []
    found: dict[str, dict[str, Any]] = {}
    for generated_file in generated.files:
        for document in yaml.safe_load_all(generated_file.text):
            found[document.get("kind", "compose")] = document
    return found


def container_of(workload: dict[str, Any]) -> dict[str, Any]:
    containers: list[dict[str, Any]] = workload["spec"]["template"]["spec"]["containers"]
    assert len(containers) == 1
    return containers[0]


def env_of(container: dict[str, Any]) -> dict[str, Any]:
    return {item["name"]: item.get("value") for item in container.get("env", [])}


# --- k8s-llm-inference


def test_vllm_serves_the_model_on_gpus_with_a_cache_volume_and_probes() -> None:
    found = objects(
        "k8s-llm-inference",
        {
            "model": "Qwen/Qwen2.5-7B-Instruct",
            "gpus": 2,
            "replicas": 2,
            "autoscale_max": 5,
            "storage_class": "fast",
        },
    )
    workload = found["StatefulSet"]
    container = container_of(workload)
    assert container["image"] == "vllm/vllm-openai:v0.11.0"
    assert container["command"] == ["python3", "-m", "vllm.entrypoints.openai.api_server"]
    assert container["args"][:2] == ["--model", "Qwen/Qwen2.5-7B-Instruct"]
    assert container["args"][container["args"].index("--tensor-parallel-size") + 1] == "2"
    assert container["ports"] == [{"name": "http", "containerPort": 8000}]
    assert container["resources"]["requests"]["nvidia.com/gpu"] == 2
    assert container["resources"]["limits"]["nvidia.com/gpu"] == 2
    pod = workload["spec"]["template"]["spec"]
    assert pod["nodeSelector"] == {"nvidia.com/gpu.present": "true"}
    assert {"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"} in pod["tolerations"]
    volumes = {v["name"]: v for v in pod["volumes"]}
    assert volumes["dshm"]["emptyDir"]["medium"] == "Memory"
    assert volumes["hf-token"]["secret"]["secretName"] == "hf-token"
    assert volumes["hf-token"]["secret"]["optional"] is True
    claim = workload["spec"]["volumeClaimTemplates"][0]
    assert claim["spec"]["storageClassName"] == "fast"
    assert claim["spec"]["resources"]["requests"]["storage"] == "100Gi"
    env = env_of(container)
    assert env["HF_HOME"] == "/models"
    assert env["HF_TOKEN_PATH"] == "/var/run/secrets/huggingface/token"
    assert {"name": "model-cache", "mountPath": "/models"} in container["volumeMounts"]
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"] == {"path": "/health", "port": "http"}
    assert container["startupProbe"]["failureThreshold"] * container["startupProbe"]["periodSeconds"] >= 1800
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert "replicas" not in workload["spec"]  # the HPA owns it
    hpa = found["HorizontalPodAutoscaler"]["spec"]
    assert (hpa["minReplicas"], hpa["maxReplicas"], hpa["scaleTargetRef"]["kind"]) == (2, 5, "StatefulSet")
    assert found["Service"]["spec"]["ports"][0]["port"] == 8000
    assert "PodDisruptionBudget" in found
    assert found["NetworkPolicy"]["spec"]["ingress"][0]["ports"] == [{"protocol": "TCP", "port": 8000}]


def test_tgi_shards_over_its_gpus_and_runs_without_a_token_when_told() -> None:
    found = objects(
        "k8s-llm-inference",
        {
            "runtime": "tgi",
            "model": "mistralai/Mistral-7B-Instruct-v0.3",
            "gpus": 4,
            "hf_token_secret": "none",
            "gpu_node_selector": "node.kubernetes.io/instance-type=g6.12xlarge",
        },
    )
    workload = found["StatefulSet"]
    container = container_of(workload)
    assert container["image"] == "ghcr.io/huggingface/text-generation-inference:3.3.4"
    assert "command" not in container
    assert container["args"][:2] == ["--model-id", "mistralai/Mistral-7B-Instruct-v0.3"]
    assert container["args"][container["args"].index("--num-shard") + 1] == "4"
    assert container["ports"][0]["containerPort"] == 8080
    assert env_of(container)["HUGGINGFACE_HUB_CACHE"] == "/models/hub"
    assert "HF_TOKEN_PATH" not in env_of(container)
    pod = workload["spec"]["template"]["spec"]
    assert pod["nodeSelector"] == {"node.kubernetes.io/instance-type": "g6.12xlarge"}
    assert "hf-token" not in {v["name"] for v in pod["volumes"]}
    assert workload["spec"]["replicas"] == 1
    assert "HorizontalPodAutoscaler" not in found
    assert "PodDisruptionBudget" not in found  # one replica: a budget would block drains


def test_the_image_can_be_pinned_by_hand() -> None:
    found = objects(
        "k8s-llm-inference", {"image": "registry.local/vllm-openai:v0.10.2", "gpu_node_selector": "none"}
    )
    assert container_of(found["StatefulSet"])["image"] == "registry.local/vllm-openai:v0.10.2"
    assert "nodeSelector" not in found["StatefulSet"]["spec"]["template"]["spec"]


# --- k8s-kserve


def test_inferenceservice_raw_mode_scales_on_cpu() -> None:
    found = objects(
        "k8s-kserve",
        {
            "storage_uri": "s3://acme-models/fraud/v7",
            "model_format": "xgboost",
            "replicas": 2,
            "autoscale_max": 6,
        },
    )
    service = found["InferenceService"]
    assert service["apiVersion"] == "serving.kserve.io/v1beta1"
    assert service["metadata"]["name"] == "v7"
    assert service["metadata"]["annotations"]["serving.kserve.io/deploymentMode"] == "RawDeployment"
    predictor = service["spec"]["predictor"]
    assert predictor["model"]["modelFormat"] == {"name": "xgboost"}
    assert predictor["model"]["storageUri"] == "s3://acme-models/fraud/v7"
    assert (predictor["minReplicas"], predictor["maxReplicas"]) == (2, 6)
    assert (predictor["scaleMetric"], predictor["scaleTarget"]) == ("cpu", 70)
    assert "nvidia.com/gpu" not in predictor["model"]["resources"]["limits"]
    assert predictor["model"]["securityContext"]["allowPrivilegeEscalation"] is False
    assert predictor["securityContext"]["runAsNonRoot"] is True
    assert "tolerations" not in predictor


def test_inferenceservice_serverless_on_a_gpu_can_scale_to_zero() -> None:
    found = objects(
        "k8s-kserve",
        {
            "storage_uri": "hf://meta-llama/Llama-3.1-8B-Instruct",
            "model_format": "huggingface",
            "deployment_mode": "serverless",
            "replicas": 0,
            "gpus": 1,
            "runtime": "kserve-huggingfaceserver",
            "protocol_version": "v2",
        },
    )
    predictor = found["InferenceService"]["spec"]["predictor"]
    assert predictor["minReplicas"] == 0
    assert (predictor["scaleMetric"], predictor["scaleTarget"]) == ("concurrency", 10)
    assert predictor["model"]["resources"]["limits"]["nvidia.com/gpu"] == 1
    assert predictor["model"]["runtime"] == "kserve-huggingfaceserver"
    assert predictor["model"]["protocolVersion"] == "v2"
    assert predictor["nodeSelector"] == {"nvidia.com/gpu.present": "true"}
    assert predictor["tolerations"][0]["key"] == "nvidia.com/gpu"


INFERENCE_SERVICE = """\
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: {name: iris, namespace: models}
spec:
  predictor:
    minReplicas: 1
    scaleMetric: gpu
    model:
      modelFormat: {version: "1"}
      storageUri: 5
"""


def test_the_inferenceservice_crd_catches_wrong_fields() -> None:
    report = validate_k8s_files([GeneratedFile("isvc.yaml", INFERENCE_SERVICE)])
    assert report.counts.invalid == 1
    messages = " | ".join(report.results[0].messages)
    assert "spec.predictor.scaleMetric" in messages
    assert "spec.predictor.model.modelFormat" in messages  # name is required
    assert "spec.predictor.model.storageUri" in messages


# --- k8s-openshift


def test_openshift_deployment_with_an_edge_route_and_no_fixed_uid() -> None:
    found = objects("k8s-openshift", {"image": "quay.io/acme/shop:2.3.0", "host": "shop.apps.example.com"})
    assert found["Deployment"]["apiVersion"] == "apps/v1"
    pod = found["Deployment"]["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert "runAsUser" not in pod["securityContext"]
    assert "runAsUser" not in container_of(found["Deployment"])["securityContext"]
    route = found["Route"]
    assert route["apiVersion"] == "route.openshift.io/v1"
    assert route["spec"]["host"] == "shop.apps.example.com"
    assert route["spec"]["tls"] == {"termination": "edge", "insecureEdgeTerminationPolicy": "Redirect"}
    assert route["spec"]["to"] == {"kind": "Service", "name": "shop", "weight": 100}
    assert route["spec"]["port"] == {"targetPort": "http"}
    ingress = found["NetworkPolicy"]["spec"]["ingress"][0]
    assert {
        "namespaceSelector": {"matchLabels": {"policy-group.network.openshift.io/ingress": ""}}
    } in ingress["from"]
    assert "PodDisruptionBudget" in found


def test_openshift_deploymentconfig_rolls_on_config_change() -> None:
    found = objects(
        "k8s-openshift",
        {
            "image": "quay.io/acme/legacy:1.0.4",
            "workload": "deploymentconfig",
            "replicas": 2,
            "autoscale_max": 4,
        },
    )
    config = found["DeploymentConfig"]
    assert config["apiVersion"] == "apps.openshift.io/v1"
    assert config["spec"]["triggers"] == [{"type": "ConfigChange"}]
    assert config["spec"]["strategy"]["type"] == "Rolling"
    assert config["spec"]["selector"] == {"app.kubernetes.io/name": "legacy"}
    assert "host" not in found["Route"]["spec"]  # the router makes one up
    target = found["HorizontalPodAutoscaler"]["spec"]["scaleTargetRef"]
    assert target == {"apiVersion": "apps.openshift.io/v1", "kind": "DeploymentConfig", "name": "legacy"}


def test_the_pod_policies_look_inside_a_deploymentconfig() -> None:
    generated = generate_blueprint(
        "k8s-openshift", {"image": "quay.io/acme/x:1.0.0", "workload": "deploymentconfig"}
    )
    text = generated.files[0].text.replace("readOnlyRootFilesystem: true", "privileged: true", 1)
    report = validate_k8s_files([GeneratedFile("dc.yaml", text)])
    assert {"K8S_PRIVILEGED", "K8S_READONLY_ROOT_FS"} <= {f.id for f in report.findings}
    assert report.counts.invalid == 0


def test_the_route_crd_catches_a_wrong_termination() -> None:
    generated = generate_blueprint("k8s-openshift", {"image": "quay.io/acme/x:1.0.0"})
    text = generated.files[0].text.replace("termination: edge", "termination: tls")
    report = validate_k8s_files([GeneratedFile("route.yaml", text)])
    assert report.counts.invalid == 1
    assert report.results[0].resource == "Route/x"


# --- the CRD files


@pytest.mark.parametrize("path", [Path(p) for p in bundled_crds()], ids=lambda p: p.name)
def test_bundled_crds_are_valid_structural_definitions(path: Path) -> None:
    report = validate_k8s([path], strict=True)
    assert (report.counts.valid, report.findings) == (1, [])
    crd = yaml.safe_load(path.read_text(encoding="utf-8"))
    schema = crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]
    _assert_structural(schema, "openAPIV3Schema")


def _assert_structural(node: dict[str, Any], where: str) -> None:
    """Every node says its type (unless int-or-string or free-form); no properties beside additionalProperties."""
    assert "type" in node or node.get("x-kubernetes-int-or-string"), where
    assert not ("properties" in node and "additionalProperties" in node), where
    for name, child in node.get("properties", {}).items():
        _assert_structural(child, f"{where}.{name}")
    if isinstance(node.get("items"), dict):
        _assert_structural(node["items"], f"{where}[]")
    if isinstance(node.get("additionalProperties"), dict):
        _assert_structural(node["additionalProperties"], f"{where}{{}}")


# --- compose-stack


def test_compose_stack_with_postgres_keeps_the_password_in_a_secret() -> None:
    generated = generate_blueprint(
        "compose-stack",
        {"image": "ghcr.io/acme/web:1.4.2", "replicas": 3, "port": 8000, "sidecar": "postgres"},
    )
    assert [f.path for f in generated.files] == ["compose.yaml"]
    assert generated.validation.findings == []
    assert generated.validation.counts.valid == 2
    compose = yaml.safe_load(generated.files[0].text)
    web = compose["services"]["web"]
    assert web["image"] == "ghcr.io/acme/web:1.4.2"
    assert web["deploy"]["replicas"] == 3
    assert web["ports"][0]["target"] == 8000
    assert web["healthcheck"]["test"][-1] == "http://127.0.0.1:8000/healthz"
    assert web["deploy"]["update_config"]["failure_action"] == "rollback"
    assert web["deploy"]["rollback_config"]["order"] == "stop-first"
    assert web["deploy"]["resources"]["limits"] == {"cpus": "0.50", "memory": "256M"}
    for service in compose["services"].values():
        assert service["read_only"] is True
        assert service["cap_drop"] == ["ALL"]
        assert service["security_opt"] == ["no-new-privileges:true"]
        assert not str(service["user"]).startswith(("0", "root"))
    db = compose["services"]["db"]
    assert db["environment"]["POSTGRES_PASSWORD_FILE"] == "/run/secrets/db_password"
    assert "POSTGRES_PASSWORD" not in db["environment"]
    assert db["networks"] == ["backend"]
    assert "ports" not in db
    assert compose["secrets"] == {"db_password": {"file": "./secrets/db_password.txt"}}
    assert compose["networks"]["backend"] == {"internal": True}
    assert compose["volumes"] == {"db-data": {}}


def test_compose_stack_with_redis_and_external_secrets() -> None:
    generated = generate_blueprint(
        "compose-stack",
        {
            "image": "ghcr.io/acme/api:2.0.1",
            "sidecar": "redis",
            "secrets_from": "external",
            "health_command": "true",
        },
    )
    assert generated.validation.findings == []
    compose = yaml.safe_load(generated.files[0].text)
    assert compose["secrets"] == {"redis_password": {"external": True}}
    assert compose["services"]["api"]["healthcheck"]["test"] == ["CMD-SHELL", "true"]
    assert compose["services"]["redis"]["volumes"][0]["source"] == "redis-data"
    assert "/run/secrets/redis_password" in compose["services"]["redis"]["command"][-1]


def test_compose_stack_alone_has_no_secrets_or_volumes() -> None:
    generated = generate_blueprint("compose-stack", {"image": "ghcr.io/acme/api:2.0.1"})
    compose = yaml.safe_load(generated.files[0].text)
    assert list(compose["services"]) == ["api"]
    assert "secrets" not in compose
    assert "volumes" not in compose
    report = validate_files("compose", generated.files)
    assert (report.counts.resources, report.findings) == (1, [])


# --- intents

INTENTS: list[tuple[str, str, str, dict[str, Any]]] = [
    (
        "k8s",
        "vllm inference server for meta-llama/Llama-3.1-8B-Instruct on 2 gpus, autoscale to 4",
        "k8s-llm-inference",
        {"runtime": "vllm", "model": "meta-llama/Llama-3.1-8B-Instruct", "gpus": "2", "autoscale_max": "4"},
    ),
    (
        "k8s",
        "deploy TGI serving mistralai/Mistral-7B-Instruct-v0.3 with 2 replicas in the ml namespace",
        "k8s-llm-inference",
        {"runtime": "tgi", "model": "mistralai/Mistral-7B-Instruct-v0.3", "replicas": "2", "namespace": "ml"},
    ),
    (
        "k8s",
        "text-generation-inference for Qwen/Qwen2.5-7B-Instruct on 4 GPUs",
        "k8s-llm-inference",
        {"runtime": "tgi", "model": "Qwen/Qwen2.5-7B-Instruct", "gpus": "4"},
    ),
    (
        "k8s",
        "gpu inference for google/gemma-2-9b-it with vllm/vllm-openai:v0.10.2",
        "k8s-llm-inference",
        {"runtime": "vllm", "model": "google/gemma-2-9b-it", "image": "vllm/vllm-openai:v0.10.2"},
    ),
    (
        "k8s",
        "llm serving of microsoft/Phi-3-mini-4k-instruct with 2 replicas",
        "k8s-llm-inference",
        {"model": "microsoft/Phi-3-mini-4k-instruct", "replicas": "2"},
    ),
    (
        "k8s",
        "kserve inferenceservice for an sklearn model at gs://acme-models/churn/v3, autoscale to 5",
        "k8s-kserve",
        {"storage_uri": "gs://acme-models/churn/v3", "model_format": "sklearn", "autoscale_max": "5"},
    ),
    (
        "k8s",
        "create an InferenceService serving xgboost from s3://models/fraud/2024-10 in namespace risk",
        "k8s-kserve",
        {"storage_uri": "s3://models/fraud/2024-10", "model_format": "xgboost", "namespace": "risk"},
    ),
    (
        "k8s",
        "kserve huggingface model hf://meta-llama/Llama-3.1-8B-Instruct on 1 gpu, serverless, scale to zero",
        "k8s-kserve",
        {
            "storage_uri": "hf://meta-llama/Llama-3.1-8B-Instruct",
            "model_format": "huggingface",
            "gpus": "1",
            "deployment_mode": "serverless",
            "replicas": 0,
        },
    ),
    (
        "k8s",
        "isvc for onnx model pvc://model-store/resnet with 2 replicas scale up to 6",
        "k8s-kserve",
        {
            "storage_uri": "pvc://model-store/resnet",
            "model_format": "onnx",
            "replicas": "2",
            "autoscale_max": "6",
        },
    ),
    (
        "k8s",
        "deploy quay.io/acme/shop:2.3.0 on openshift with 3 replicas, route at shop.apps.example.com",
        "k8s-openshift",
        {"image": "quay.io/acme/shop:2.3.0", "replicas": "3", "host": "shop.apps.example.com"},
    ),
    (
        "k8s",
        "openshift deploymentconfig for quay.io/acme/legacy:1.0.4 on port 8443",
        "k8s-openshift",
        {"image": "quay.io/acme/legacy:1.0.4", "port": "8443", "workload": "deploymentconfig"},
    ),
    (
        "k8s",
        "expose quay.io/acme/api:1.2.0 with an openshift route on host api.apps.ocp.example.com",
        "k8s-openshift",
        {"image": "quay.io/acme/api:1.2.0", "host": "api.apps.ocp.example.com"},
    ),
    (
        "k8s",
        "OCP app quay.io/acme/tool:0.9.1 as a DeploymentConfig in namespace tools, autoscale to 3",
        "k8s-openshift",
        {
            "image": "quay.io/acme/tool:0.9.1",
            "workload": "deploymentconfig",
            "namespace": "tools",
            "autoscale_max": "3",
        },
    ),
    (
        "compose",
        "swarm stack for ghcr.io/acme/web:1.4.2 with 3 replicas on port 8000 and a postgres database",
        "compose-stack",
        {"image": "ghcr.io/acme/web:1.4.2", "replicas": "3", "port": "8000", "sidecar": "postgres"},
    ),
    (
        "compose",
        "docker compose file for ghcr.io/acme/api:2.0.1 with redis and external secrets",
        "compose-stack",
        {"image": "ghcr.io/acme/api:2.0.1", "sidecar": "redis", "secrets_from": "external"},
    ),
    (
        "compose",
        "compose stack running nginxinc/nginx-unprivileged:1.27 with 1 replica, health check /ready",
        "compose-stack",
        {"image": "nginxinc/nginx-unprivileged:1.27", "replicas": "1", "health_path": "/ready"},
    ),
    (
        "compose",
        "stack for ghcr.io/acme/shop:3.1.0 listening on 9000 with a postgresql db",
        "compose-stack",
        {"image": "ghcr.io/acme/shop:3.1.0", "port": "9000", "sidecar": "postgres"},
    ),
    (
        "swarm",
        "run ghcr.io/acme/web:1.0.0 with 2 replicas, no database",
        "compose-stack",
        {"image": "ghcr.io/acme/web:1.0.0", "replicas": "2", "sidecar": "none"},
    ),
]


@pytest.mark.parametrize(
    ("target", "ask", "blueprint", "expected"), INTENTS, ids=[i[1][:48] for i in INTENTS]
)
def test_asks_map_to_the_blueprint_and_parameters(
    target: str, ask: str, blueprint: str, expected: dict[str, Any]
) -> None:
    intent = parse_intent(target, ask)
    assert intent.blueprint == blueprint
    assert intent.parameters == expected
    generated = generate_blueprint(intent.blueprint, intent.parameters)
    assert (generated.validation.counts.invalid, generated.validation.counts.errors) == (0, 0)
    assert generated.validation.findings == []


def test_the_pod_policies_do_not_look_inside_an_inferenceservice() -> None:
    """Why k8s-kserve hardens the predictor itself: only the CRD schema checks an InferenceService."""
    text = generate_blueprint("k8s-kserve", {"storage_uri": "s3://a/b"}).files[0].text
    text = text.replace("allowPrivilegeEscalation: false", "privileged: true")
    report = validate_k8s_files([GeneratedFile("isvc.yaml", text)])
    assert (report.counts.valid, report.findings) == (1, [])
