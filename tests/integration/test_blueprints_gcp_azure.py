"""The Google Cloud and Azure Terraform blueprints: what they render, and the asks that pick them.

Rendering is offline (fixed module text plus a terraform.tfvars); the generic checks that
every example validates clean, and the golden files, are in test_blueprints.py.
"""

from __future__ import annotations

from typing import Any

import pytest

from tools.blueprints.intent import parse_intent
from tools.blueprints.model import GeneratedFile
from tools.blueprints.registry import all_blueprints, generate_blueprint
from tools.errors import InputError

NAMES = [
    "tf-gcp-gke",
    "tf-gcp-cloud-run",
    "tf-gcp-cloud-function",
    "tf-gcp-vertex-endpoint",
    "tf-gcp-gcs",
    "tf-azure-aks",
    "tf-azure-container-apps",
    "tf-azure-functions",
    "tf-azure-ml-endpoint",
    "tf-azure-storage",
]


def render(blueprint_name: str, /, **parameters: Any) -> dict[str, str]:
    blueprint = all_blueprints()[blueprint_name]
    files: list[GeneratedFile] = blueprint.render(blueprint.resolve(parameters))
    return {f.path: f.text for f in files}


def tfvars(files: dict[str, str]) -> dict[str, str]:
    """terraform.tfvars as name -> value text."""
    pairs = (line.split("=", 1) for line in files["terraform.tfvars"].splitlines() if "=" in line)
    return {name.strip(): value.strip() for name, value in pairs}


@pytest.mark.parametrize("name", NAMES)
def test_module_layout_and_fixed_text(name: str) -> None:
    blueprint = all_blueprints()[name]
    renders = [render(name, **example) for example in blueprint.examples]
    for files in renders:
        assert sorted(files) == ["main.tf", "outputs.tf", "terraform.tfvars", "variables.tf", "versions.tf"]
        assert "required_version" in files["versions.tf"]
        assert '"~> ' in files["versions.tf"]
    # Only the values change between renderings: the .tf text is the same for every example.
    for path in ("main.tf", "variables.tf", "outputs.tf", "versions.tf"):
        assert len({files[path] for files in renders}) == 1, path
    # Every tfvars entry is a declared variable.
    for files in renders:
        for variable in tfvars(files):
            assert f'variable "{variable}"' in files["variables.tf"], variable


@pytest.mark.parametrize("name", NAMES)
def test_examples_validate_with_no_findings(name: str) -> None:
    for example in all_blueprints()[name].examples:
        report = generate_blueprint(name, example).validation
        assert (report.counts.invalid, report.counts.errors) == (0, 0), report.results
        assert [(f.id, f.evidence[:1]) for f in report.findings] == []
        assert not [note for note in report.notes if "skipped" in note], report.notes


def test_gke_private_workload_identity_and_gpu_pool() -> None:
    files = render(
        "tf-gcp-gke",
        project="acme-prod",
        gpu=True,
        gpu_type="nvidia-tesla-t4",
        gpu_machine_type="n1-standard-8",
        min_nodes=2,
        max_nodes=7,
        authorized_networks="203.0.113.0/24",
    )
    main, values = files["main.tf"], tfvars(files)
    for expected in (
        "enable_private_nodes    = true",
        'workload_pool = "${var.project}.svc.id.goog"',
        'datapath_provider     = "ADVANCED_DATAPATH"',
        "enable_shielded_nodes = true",
        'mode = "GKE_METADATA"',
        'key    = "nvidia.com/gpu"',
        'effect = "NO_SCHEDULE"',
        "guest_accelerator {",
        "count = var.gpu_enabled ? 1 : 0",
        "total_max_node_count = var.max_nodes",
    ):
        assert expected in main, expected
    assert values["gpu_enabled"] == "true"
    assert values["gpu_type"] == '"nvidia-tesla-t4"'
    assert (values["min_nodes"], values["max_nodes"]) == ("2", "7")
    assert values["authorized_networks"] == '["203.0.113.0/24"]'
    assert values["release_channel"] == '"REGULAR"'
    assert tfvars(render("tf-gcp-gke", project="acme-dev"))["gpu_enabled"] == "false"


def test_cloud_run_image_scaling_and_private_by_default() -> None:
    files = render(
        "tf-gcp-cloud-run",
        project="acme",
        image="europe-docker.pkg.dev/acme/apps/api:1.4.2",
        max_instances=25,
    )
    values = tfvars(files)
    assert values["image"] == '"europe-docker.pkg.dev/acme/apps/api:1.4.2"'
    assert values["max_instances"] == "25"
    assert values["public"] == "false"
    assert values["ingress"] == '"INGRESS_TRAFFIC_ALL"'
    assert 'member   = "allUsers"' in files["main.tf"]
    assert "count = var.public ? 1 : 0" in files["main.tf"]
    assert "service_account                  = google_service_account.run.email" in files["main.tf"]
    public = tfvars(
        render("tf-gcp-cloud-run", project="acme", image="a/b:1", public=True, ingress="internal")
    )
    assert (public["public"], public["ingress"]) == ("true", '"INGRESS_TRAFFIC_INTERNAL_ONLY"')


def test_cloud_function_runtime_source_and_internal_ingress() -> None:
    files = render(
        "tf-gcp-cloud-function",
        project="acme",
        runtime="nodejs22",
        entry_point="onRequest",
        source_bucket="acme-src",
        source_object="fn/v1.zip",
    )
    values = tfvars(files)
    assert values["runtime"] == '"nodejs22"'
    assert values["entry_point"] == '"onRequest"'
    assert (values["source_bucket"], values["source_object"]) == ('"acme-src"', '"fn/v1.zip"')
    assert values["ingress"] == '"ALLOW_INTERNAL_ONLY"'
    assert "service_account_email          = google_service_account.runtime.email" in files["main.tf"]
    assert 'public_access_prevention    = "enforced"' in files["main.tf"]


def test_vertex_endpoint_and_deploy_command() -> None:
    files = render(
        "tf-gcp-vertex-endpoint",
        project="acme-ml",
        model_id="42",
        accelerator_type="nvidia-l4",
        max_replicas=3,
    )
    values = tfvars(files)
    assert (values["model_id"], values["accelerator_type"], values["max_replicas"]) == (
        '"42"',
        '"nvidia-l4"',
        "3",
    )
    assert 'resource "google_vertex_ai_endpoint" "this"' in files["main.tf"]
    assert "gcloud ai endpoints deploy-model" in files["outputs.tf"]
    assert "--accelerator=type=${var.accelerator_type}" in files["main.tf"]


def test_gcs_bucket_is_private_versioned_and_optionally_cmek() -> None:
    key = "projects/acme/locations/europe-west1/keyRings/r/cryptoKeys/k"
    files = render("tf-gcp-gcs", project="acme", kms_key=key, retention_days=7)
    main, values = files["main.tf"], tfvars(files)
    assert "uniform_bucket_level_access = true" in main
    assert 'public_access_prevention    = "enforced"' in main
    assert 'dynamic "encryption"' in main
    assert 'dynamic "retention_policy"' in main
    assert (values["kms_key"], values["retention_days"], values["versioning"]) == (f'"{key}"', "7", "true")


def test_aks_entra_rbac_private_and_gpu_taint() -> None:
    files = render("tf-azure-aks", gpu=True, gpu_vm_size="Standard_NC24ads_A100_v4", region="northeurope")
    main, values = files["main.tf"], tfvars(files)
    for expected in (
        "role_based_access_control_enabled = true",
        "local_account_disabled            = true",
        "azure_rbac_enabled     = true",
        "private_cluster_enabled   = var.private_cluster",
        'network_plugin      = "azure"',
        'node_taints = ["nvidia.com/gpu=present:NoSchedule"]',
        'type         = "UserAssigned"',
        'dynamic "oms_agent"',
    ):
        assert expected in main, expected
    assert values["gpu_vm_size"] == '"Standard_NC24ads_A100_v4"'
    assert values["location"] == '"northeurope"'
    assert values["private_cluster"] == "true"
    assert values["resource_group_name"] == '"rg-aks-main"'
    public = tfvars(render("tf-azure-aks", private_cluster=False, authorized_ip_ranges="198.51.100.0/24"))
    assert public["authorized_ip_ranges"] == '["198.51.100.0/24"]'


def test_container_app_secrets_are_never_literals() -> None:
    uri = "https://kv-acme.vault.azure.net/secrets/db-password"
    files = render(
        "tf-azure-container-apps",
        image="acme.azurecr.io/api:1.2.3",
        external=True,
        min_replicas=2,
        max_replicas=8,
        cpu="1",
        key_vault_secret_uri=uri,
        key_vault_id="/subscriptions/x/resourceGroups/y/providers/Microsoft.KeyVault/vaults/kv-acme",
        secret_env="DB_PASSWORD",
    )
    values, variables = tfvars(files), files["variables.tf"]
    assert values["image"] == '"acme.azurecr.io/api:1.2.3"'
    assert (values["external"], values["min_replicas"], values["max_replicas"]) == ("true", "2", "8")
    assert (values["cpu"], values["memory"]) == ("1", '"2Gi"')
    assert values["key_vault_secrets"] == f'{{ app-secret = "{uri}" }}'
    assert values["secret_environment"] == '{ DB_PASSWORD = "app-secret" }'
    assert "secrets" not in values
    assert 'variable "secrets"' in variables
    assert "sensitive   = true" in variables
    assert "key_vault_secret_id = secret.value" in files["main.tf"]
    assert tfvars(render("tf-azure-container-apps", image="a/b:1"))["external"] == "false"


def test_functions_runtime_tls_and_identity() -> None:
    files = render("tf-azure-functions", runtime="node", sku="p1v3")
    main, values = files["main.tf"], tfvars(files)
    assert (values["runtime"], values["runtime_version"], values["sku_name"]) == ('"node"', '"20"', '"P1v3"')
    for expected in (
        "https_only                    = true",
        'minimum_tls_version                    = "1.2"',
        'min_tls_version                   = "TLS1_2"',
        "allow_nested_items_to_be_public   = false",
        'type = "SystemAssigned"',
        "azurerm_application_insights",
    ):
        assert expected in main, expected


def test_ml_endpoint_workspace_dependencies_and_deployment() -> None:
    model = "azureml://registries/azureml/models/bert/versions/3"
    files = render("tf-azure-ml-endpoint", model_id=model, instance_count=3)
    main, values = files["main.tf"], tfvars(files)
    for resource in (
        "azurerm_machine_learning_workspace",
        "azurerm_key_vault",
        "azurerm_storage_account",
        "azurerm_application_insights",
        "workspaces/onlineEndpoints@",
        "onlineEndpoints/deployments@",
    ):
        assert resource in main, resource
    assert 'source  = "Azure/azapi"' in files["versions.tf"]
    assert (values["model_id"], values["instance_count"], values["endpoint_auth_mode"]) == (
        f'"{model}"',
        "3",
        '"AADToken"',
    )


def test_storage_account_secure_defaults_and_firewall() -> None:
    files = render("tf-azure-storage", allowed_ips="203.0.113.4, 198.51.100.0/24", containers="raw,curated")
    main, values = files["main.tf"], tfvars(files)
    for expected in (
        "https_traffic_only_enabled        = true",
        'min_tls_version                   = "TLS1_2"',
        "allow_nested_items_to_be_public   = false",
        "infrastructure_encryption_enabled = true",
        'default_action             = "Deny"',
        'container_access_type = "private"',
    ):
        assert expected in main, expected
    assert values["allowed_ips"] == '["203.0.113.4", "198.51.100.0/24"]'
    assert values["containers"] == '["raw", "curated"]'
    assert (values["shared_access_key_enabled"], values["versioning"]) == ("false", "true")


INTENTS = [
    # GKE
    (
        "gke cluster in project acme-prod, europe-west4, 3-9 nodes of n2-standard-8 with an L4 gpu pool",
        "tf-gcp-gke",
        {"project": "acme-prod", "region": "europe-west4", "min_nodes": 3, "max_nodes": 9, "gpu": True},
    ),
    ("kubernetes cluster on gcp for project acme-dev with 5 nodes", "tf-gcp-gke", {"min_nodes": 5}),
    (
        "google kubernetes engine cluster called ml in project acme-ml with up to 4 gpu nodes of a100",
        "tf-gcp-gke",
        {"name": "ml", "gpu_type": "nvidia-tesla-a100", "gpu_max_nodes": 4},
    ),
    (
        "GKE with a private endpoint, project acme-prod, stable channel, authorized from 10.0.0.0/8",
        "tf-gcp-gke",
        {"private_endpoint": True, "release_channel": "stable", "authorized_networks": "10.0.0.0/8"},
    ),
    (
        "gke in project acme-ml with 2 nvidia l4 gpus per node",
        "tf-gcp-gke",
        {"gpu_count": 2, "gpu_machine_type": "g2-standard-24"},
    ),
    # Cloud Run
    (
        "cloud run service for europe-docker.pkg.dev/acme/apps/api:1.4.2 in project acme-prod, max 20 instances",
        "tf-gcp-cloud-run",
        {"image": "europe-docker.pkg.dev/acme/apps/api:1.4.2", "max_instances": 20},
    ),
    (
        "deploy ghcr.io/acme/web:2.0 to cloud run, public, 2 vcpu 1Gi, min 1 instance, project acme-web",
        "tf-gcp-cloud-run",
        {"public": True, "cpu": "2", "memory": "1Gi", "min_instances": 1},
    ),
    (
        "internal-only Cloud Run service called billing in project acme-prod on port 9000, image gcr.io/acme/b:1",
        "tf-gcp-cloud-run",
        {"ingress": "internal", "name": "billing", "port": 9000},
    ),
    (
        "run the container gcr.io/acme/worker:3 on google cloud, project acme-dev, scale to zero, up to 5 instances",
        "tf-gcp-cloud-run",
        {"min_instances": 0, "max_instances": 5},
    ),
    # Cloud Functions
    (
        "python cloud function called resize-images in project acme-prod, entry point resize",
        "tf-gcp-cloud-function",
        {"runtime": "python312", "entry_point": "resize", "name": "resize-images"},
    ),
    (
        "gcf in node with source gs://acme-src/fn/webhook.zip, project acme-dev, 512MB memory",
        "tf-gcp-cloud-function",
        {
            "runtime": "nodejs22",
            "source_bucket": "acme-src",
            "source_object": "fn/webhook.zip",
            "memory": "512M",
        },
    ),
    (
        "serverless function on gcp, go runtime, public, project acme-web, max 3 instances",
        "tf-gcp-cloud-function",
        {"runtime": "go123", "ingress": "all", "max_instances": 3},
    ),
    (
        "google cloud function java21 behind a load balancer for project acme-prod",
        "tf-gcp-cloud-function",
        {"runtime": "java21", "ingress": "internal-and-gclb"},
    ),
    # Vertex AI
    (
        "vertex ai endpoint called fraud-scoring in project acme-ml, europe-west4, t4 gpu, up to 4 replicas",
        "tf-gcp-vertex-endpoint",
        {"accelerator_type": "nvidia-tesla-t4", "max_replicas": 4, "region": "europe-west4"},
    ),
    (
        "model endpoint on google cloud for model 1234567890 in project acme-ml with 2 a100 gpus",
        "tf-gcp-vertex-endpoint",
        {"model_id": "1234567890", "accelerator_count": 2, "machine_type": "a2-highgpu-2g"},
    ),
    (
        "vertex endpoint for project acme-dev, cpu only, n1-standard-4, min 2 replicas max 6 replicas",
        "tf-gcp-vertex-endpoint",
        {"min_replicas": 2, "max_replicas": 6, "accelerator_type": ""},
    ),
    (
        "vertex ai endpoint peered with projects/123456789012/global/networks/ml-vpc, project acme-ml",
        "tf-gcp-vertex-endpoint",
        {"network": "projects/123456789012/global/networks/ml-vpc"},
    ),
    # GCS
    (
        "a gcs bucket called ml-datasets in project acme-prod, europe-west1, nearline after 90 days",
        "tf-gcp-gcs",
        {"name": "ml-datasets", "nearline_after_days": 90},
    ),
    ("bucket on gcp for project acme-dev with retention of 30 days", "tf-gcp-gcs", {"retention_days": 30}),
    (
        "google cloud storage bucket without versioning, delete objects after 7 days, project acme-dev",
        "tf-gcp-gcs",
        {"versioning": False, "expire_after_days": 7},
    ),
    ("coldline gcs bucket for backups in project acme-ops", "tf-gcp-gcs", {"storage_class": "coldline"}),
    # AKS
    (
        "aks cluster called aks-ml in westeurope with a t4 gpu pool, 2-6 nodes",
        "tf-azure-aks",
        {"gpu": True, "gpu_vm_size": "Standard_NC4as_T4_v3", "min_nodes": 2, "max_nodes": 6},
    ),
    (
        "kubernetes cluster on azure in eastus with 3 nodes of Standard_D8ds_v5, calico",
        "tf-azure-aks",
        {"region": "eastus", "vm_size": "Standard_D8ds_v5", "network_policy": "calico"},
    ),
    (
        "azure kubernetes service with a public api from 203.0.113.0/24, free tier, no monitoring",
        "tf-azure-aks",
        {
            "private_cluster": False,
            "authorized_ip_ranges": "203.0.113.0/24",
            "sku_tier": "free",
            "monitoring": False,
        },
    ),
    (
        "private AKS in existing resource group rg-platform, kubernetes 1.31",
        "tf-azure-aks",
        {"resource_group": "rg-platform", "create_resource_group": False, "kubernetes_version": "1.31"},
    ),
    # Container Apps
    (
        "azure container app for acme.azurecr.io/api:1.4.2, external ingress, 2 to 20 replicas",
        "tf-azure-container-apps",
        {"external": True, "min_replicas": 2, "max_replicas": 20, "registry_server": "acme.azurecr.io"},
    ),
    (
        "deploy ghcr.io/acme/web:3.1 on azure container apps, public, 1 vcpu, scale to zero",
        "tf-azure-container-apps",
        {"image": "ghcr.io/acme/web:3.1", "cpu": "1", "min_replicas": 0},
    ),
    (
        "container apps in westeurope running acme.azurecr.io/worker:7 internal only with secret "
        "https://kv-acme.vault.azure.net/secrets/db-pass as DB_PASSWORD",
        "tf-azure-container-apps",
        {
            "external": False,
            "key_vault_secret_uri": "https://kv-acme.vault.azure.net/secrets/db-pass",
            "secret_env": "DB_PASSWORD",
        },
    ),
    (
        "run the container ghcr.io/acme/api:2 on azure in northeurope, port 9000",
        "tf-azure-container-apps",
        {"region": "northeurope", "port": 9000},
    ),
    # Functions
    (
        "azure function app called orders-fn in westeurope, python 3.12, p1v3 plan",
        "tf-azure-functions",
        {"runtime": "python", "runtime_version": "3.12", "sku": "p1v3"},
    ),
    (
        "serverless function on azure in node 22",
        "tf-azure-functions",
        {"runtime": "node", "runtime_version": "22"},
    ),
    (
        "azure functions in c# on the elastic premium plan, private endpoints only",
        "tf-azure-functions",
        {"runtime": "dotnet", "sku": "ep1", "public_network_access": False},
    ),
    (
        "function app for java 21 in existing resource group rg-integration, consumption plan",
        "tf-azure-functions",
        {"runtime": "java", "sku": "y1", "create_resource_group": False},
    ),
    # Azure ML
    (
        "azure ml endpoint called fraud-ml in westeurope with 2 instances of Standard_DS3_v2",
        "tf-azure-ml-endpoint",
        {"name": "fraud-ml", "instance_count": 2, "instance_type": "Standard_DS3_v2"},
    ),
    (
        "machine learning endpoint on azure for azureml://registries/azureml/models/bert/versions/3",
        "tf-azure-ml-endpoint",
        {"model_id": "azureml://registries/azureml/models/bert/versions/3"},
    ),
    (
        "private azure machine learning workspace with an online endpoint, key auth",
        "tf-azure-ml-endpoint",
        {"public_network_access": False, "auth_mode": "key"},
    ),
    (
        "model inference endpoint on azure with a gpu in swedencentral",
        "tf-azure-ml-endpoint",
        {"region": "swedencentral", "instance_type": "Standard_NC6s_v3"},
    ),
    # Storage
    (
        "azure storage account called datalake in westeurope, gzrs, containers raw and curated",
        "tf-azure-storage",
        {"replication": "gzrs", "containers": "raw,curated"},
    ),
    (
        "blob storage on azure with access from 198.51.100.7 and 14 days soft delete",
        "tf-azure-storage",
        {"allowed_ips": "198.51.100.7", "soft_delete_days": 14},
    ),
    (
        "storage account in existing resource group rg-shared, eastus, cool tier, lrs",
        "tf-azure-storage",
        {"resource_group": "rg-shared", "access_tier": "cool", "replication": "lrs"},
    ),
    ("bucket on azure for backups with SAS keys enabled", "tf-azure-storage", {"shared_access_key": True}),
]


@pytest.mark.parametrize(
    ("ask", "name", "expected"), INTENTS, ids=[f"{n}-{i}" for i, (_, n, _) in enumerate(INTENTS)]
)
def test_intent(ask: str, name: str, expected: dict[str, Any]) -> None:
    intent = parse_intent("terraform", ask)
    assert intent.blueprint == name
    parameters = all_blueprints()[name].resolve(intent.parameters)
    for key, value in expected.items():
        assert parameters[key] == value, key


@pytest.mark.parametrize(
    ("ask", "name"),
    [
        ("kubernetes cluster on azure", "tf-azure-aks"),
        ("kubernetes cluster on gcp", "tf-gcp-gke"),
        ("bucket on gcp", "tf-gcp-gcs"),
        ("serverless function on azure", "tf-azure-functions"),
        ("serverless function on google cloud", "tf-gcp-cloud-function"),
        ("object storage on azure", "tf-azure-storage"),
        ("containers on google cloud", "tf-gcp-cloud-run"),
        ("inference endpoint on azure", "tf-azure-ml-endpoint"),
        ("inference endpoint on gcp", "tf-gcp-vertex-endpoint"),
    ],
)
def test_cloud_words_pick_the_cloud(ask: str, name: str) -> None:
    assert parse_intent("terraform", ask).blueprint == name


@pytest.mark.parametrize(
    "ask",
    [
        "s3 bucket with versioning and lifecycle rules",
        "bucket with lifecycle rules on aws",
        "eks cluster with gpu nodes",
        "lambda function in python",
        "sagemaker endpoint for my model",
    ],
)
def test_aws_asks_are_not_taken_by_gcp_or_azure(ask: str) -> None:
    try:
        chosen = parse_intent("terraform", ask).blueprint
    except InputError:
        return  # no blueprint for it (yet): not ours either
    assert not chosen.startswith(("tf-gcp-", "tf-azure-")), chosen
