"""The workload blueprints: worker, CronJob, PostgreSQL, Redis, LLM agent API, MLflow server, kustomize.

What their output holds for representative parameters, that they validate clean, that
asks in plain words reach them with the right parameters, and that the kustomize
overlays build with `kubectl kustomize` into manifests that validate clean.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tools.blueprints.intent import parse_intent
from tools.blueprints.k8s_cronjob import check_schedule, schedule_from_words
from tools.blueprints.registry import generate_blueprint
from tools.errors import InputError
from tools.findings import Severity

MINE = (
    "k8s-worker",
    "k8s-cronjob",
    "k8s-postgres",
    "k8s-redis",
    "k8s-llm-agent-api",
    "k8s-mlflow",
    "k8s-kustomize",
)


def render(name: str, parameters: dict[str, Any]) -> tuple[list[dict[str, Any]], str]:
    """The objects of every file (validated clean: no errors, no high findings) and the whole text."""
    generated = generate_blueprint(name, parameters)
    report = generated.validation
    assert (report.counts.invalid, report.counts.errors) == (0, 0), report.results
    assert [f.id for f in report.findings if f.severity.at_least(Severity.HIGH)] == []
    text = "".join(f.text for f in generated.files)
    objects = [o for f in generated.files for o in yaml.safe_load_all(f.text) if o]
    return objects, text


def one(objects: list[dict[str, Any]], kind: str, name: str | None = None) -> dict[str, Any]:
    found = [o for o in objects if o["kind"] == kind and (name is None or o["metadata"]["name"] == name)]
    assert len(found) == 1, [(o["kind"], o["metadata"].get("name")) for o in objects]
    return found[0]


def kinds(objects: list[dict[str, Any]]) -> list[str]:
    return [o["kind"] for o in objects]


def pod_of(workload: dict[str, Any]) -> dict[str, Any]:
    spec = workload["spec"]
    template = spec["jobTemplate"]["spec"]["template"] if workload["kind"] == "CronJob" else spec["template"]
    return template  # type: ignore[no-any-return]


def finding_ids(name: str, parameters: dict[str, Any]) -> list[str]:
    return [f.id for f in generate_blueprint(name, parameters).validation.findings]


# --- worker ---------------------------------------------------------------------------------------


def test_worker_has_no_service_and_admits_no_ingress() -> None:
    objects, _ = render(
        "k8s-worker",
        {
            "image": "ghcr.io/acme/mailer:2.4.1",
            "replicas": 3,
            "autoscale_max": 9,
            "command": "celery -A mailer worker --loglevel=info",
            "args": "--queues 'high priority',default",
            "config_map": "mailer-settings",
            "secret": "broker",
        },
    )
    assert kinds(objects) == ["Deployment", "PodDisruptionBudget", "NetworkPolicy", "HorizontalPodAutoscaler"]
    deployment = one(objects, "Deployment")
    container = pod_of(deployment)["spec"]["containers"][0]
    assert "replicas" not in deployment["spec"]  # the autoscaler owns the count
    assert "ports" not in container
    assert container["image"] == "ghcr.io/acme/mailer:2.4.1"
    assert container["command"] == ["celery", "-A", "mailer", "worker", "--loglevel=info"]
    assert container["args"] == ["--queues", "high priority,default"]
    assert container["envFrom"] == [{"configMapRef": {"name": "mailer-settings"}}]
    assert {"name": "secret", "mountPath": "/var/run/secrets/broker", "readOnly": True} in container[
        "volumeMounts"
    ]
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    assert pod_of(deployment)["spec"]["terminationGracePeriodSeconds"] == 60
    policy = one(objects, "NetworkPolicy")["spec"]
    assert (policy["policyTypes"], policy["ingress"]) == (["Ingress"], [])
    hpa = one(objects, "HorizontalPodAutoscaler")["spec"]
    assert (hpa["minReplicas"], hpa["maxReplicas"]) == (3, 9)


def test_worker_health_command_becomes_exec_probes() -> None:
    objects, text = render(
        "k8s-worker", {"image": "ghcr.io/acme/w:1.0", "health_command": "celery -A app inspect ping"}
    )
    container = pod_of(one(objects, "Deployment"))["spec"]["containers"][0]
    expected = ["celery", "-A", "app", "inspect", "ping"]
    assert container["livenessProbe"]["exec"]["command"] == expected
    assert container["readinessProbe"]["exec"]["command"] == expected
    assert "shipmate.dev/ignore" not in text
    assert finding_ids("k8s-worker", {"image": "ghcr.io/acme/w:1.0", "health_command": "true"}) == []


def test_worker_without_health_command_says_why_it_has_no_probes() -> None:
    objects, text = render("k8s-worker", {"image": "ghcr.io/acme/w:1.0", "replicas": 1})
    template = pod_of(one(objects, "Deployment"))
    container = template["spec"]["containers"][0]
    assert "livenessProbe" not in container
    assert "readinessProbe" not in container
    assert template["metadata"]["annotations"] == {
        "shipmate.dev/ignore": "K8S_LIVENESS_PROBE,K8S_READINESS_PROBE"
    }
    assert text.startswith("# No probes: the worker serves no port")
    assert kinds(objects) == ["Deployment", "NetworkPolicy"]  # one replica: no budget to keep
    assert finding_ids("k8s-worker", {"image": "ghcr.io/acme/w:1.0"}) == []


def test_worker_refuses_a_command_it_cannot_split() -> None:
    with pytest.raises(InputError, match="cannot be split"):
        generate_blueprint("k8s-worker", {"image": "w:1", "command": "sh -c 'unterminated"})


# --- CronJob --------------------------------------------------------------------------------------


def test_cronjob_spec_and_hardened_pod() -> None:
    objects, _ = render(
        "k8s-cronjob",
        {
            "image": "ghcr.io/acme/report:1.2.0",
            "schedule": "30  2 * * *",
            "time_zone": "Europe/Paris",
            "command": "python -m report --since yesterday",
            "restart_policy": "never",
        },
    )
    assert kinds(objects) == ["CronJob"]
    cron = objects[0]
    spec = cron["spec"]
    assert spec["schedule"] == "30 2 * * *"
    assert spec["timeZone"] == "Europe/Paris"
    assert spec["concurrencyPolicy"] == "Forbid"
    assert (spec["startingDeadlineSeconds"], spec["successfulJobsHistoryLimit"]) == (300, 3)
    job = spec["jobTemplate"]["spec"]
    assert (job["backoffLimit"], job["activeDeadlineSeconds"], job["ttlSecondsAfterFinished"]) == (
        2,
        3600,
        86400,
    )
    pod = pod_of(cron)["spec"]
    assert pod["restartPolicy"] == "Never"
    assert pod["automountServiceAccountToken"] is False
    assert pod["securityContext"]["runAsNonRoot"] is True
    container = pod["containers"][0]
    assert container["command"] == ["python", "-m", "report", "--since", "yesterday"]
    assert container["securityContext"]["capabilities"] == {"drop": ["ALL"]}
    assert finding_ids("k8s-cronjob", {"image": "a/b:1", "schedule": "@daily"}) == []


def test_cronjob_concurrency_and_restart_choices() -> None:
    objects, _ = render(
        "k8s-cronjob", {"image": "a/b:1", "schedule": "*/5 * * * *", "concurrency_policy": "replace"}
    )
    spec = objects[0]["spec"]
    assert spec["concurrencyPolicy"] == "Replace"
    assert "timeZone" not in spec
    assert pod_of(objects[0])["spec"]["restartPolicy"] == "OnFailure"


@pytest.mark.parametrize(
    "schedule",
    [
        "*/15 * * * *",
        "0 9 * * 1-5",
        "30 2 1,15 * *",
        "0 0 * JAN,jul SUN",
        "@hourly",
        "0 12 ? * MON-FRI",
        "5 4 * * 0",
    ],
)
def test_schedules_the_controller_accepts(schedule: str) -> None:
    assert check_schedule(schedule) == (schedule.lower() if schedule.startswith("@") else schedule)


@pytest.mark.parametrize(
    ("schedule", "problem"),
    [
        ("* * * *", "has 4 fields"),
        ("60 * * * *", "minute '60' is outside 0-59"),
        ("0 24 * * *", "hour '24' is outside 0-23"),
        ("0 0 0 * *", "day of month '0' is outside 1-31"),
        ("0 0 * 13 *", "month '13' is outside 1-12"),
        ("0 0 * * 7", "day of week '7' is outside 0-6"),
        ("*/0 * * * *", "step below 1"),
        ("0 5-2 * * *", "ends before it starts"),
        ("? * * * *", "only allowed"),
        ("every day", "has 2 fields"),
        ("CRON_TZ=UTC 0 * * * *", "time_zone"),
        ("0 0 * * fun", "outside 0-6"),
    ],
)
def test_schedules_the_controller_refuses(schedule: str, problem: str) -> None:
    with pytest.raises(InputError, match=problem):
        generate_blueprint("k8s-cronjob", {"image": "a/b:1", "schedule": schedule})


def test_cronjob_refuses_a_made_up_time_zone() -> None:
    with pytest.raises(InputError, match="IANA time zone"):
        generate_blueprint("k8s-cronjob", {"image": "a/b:1", "schedule": "@daily", "time_zone": "paris time"})


@pytest.mark.parametrize(
    ("words", "schedule"),
    [
        ("every 5 minutes", "*/5 * * * *"),
        ("every minute", "* * * * *"),
        ("every 2 hours", "0 */2 * * *"),
        ("hourly", "0 * * * *"),
        ("daily at 02:30", "30 2 * * *"),
        ("daily", "0 0 * * *"),
        ("nightly", "0 2 * * *"),
        ("every night at 11pm", "0 23 * * *"),
        ("every monday", "0 0 * * 1"),
        ("every friday at 5:45 pm", "45 17 * * 5"),
        ("on weekdays at 7am", "0 7 * * 1-5"),
        ("weekly", "0 0 * * 0"),
        ("monthly at midnight", "0 0 1 * *"),
        ("cron '*/15 * * * *'", "*/15 * * * *"),
        ('schedule "0 6 * * 1"', "0 6 * * 1"),
        ("runs at 0 3 * * * every day", "0 3 * * *"),
        ('cron "0 9 * * MON-FRI"', "0 9 * * MON-FRI"),
        ("cronjob 'python report.py' hourly", "0 * * * *"),  # a quoted command is not a schedule
    ],
)
def test_schedule_words(words: str, schedule: str) -> None:
    assert schedule_from_words(words) == schedule
    check_schedule(schedule)


@pytest.mark.parametrize(
    "words", ["every 90 minutes", "every 36 hours", "now and then", "whenever someone asks"]
)
def test_schedule_words_that_have_no_cron_schedule(words: str) -> None:
    assert schedule_from_words(words) is None


# --- PostgreSQL and Redis -------------------------------------------------------------------------


def test_postgres_statefulset_volume_services_and_client_policy() -> None:
    objects, text = render(
        "k8s-postgres",
        {
            "name": "orders-db",
            "namespace": "shop",
            "database": "orders",
            "user": "orders_app",
            "storage": "50Gi",
            "storage_class": "gp3",
            "client_label": "app.kubernetes.io/name=orders-api",
        },
    )
    assert kinds(objects) == ["StatefulSet", "Service", "Service", "PodDisruptionBudget", "NetworkPolicy"]
    stateful_set = one(objects, "StatefulSet")
    assert stateful_set["spec"]["replicas"] == 1
    assert stateful_set["spec"]["serviceName"] == "orders-db-headless"
    claim = stateful_set["spec"]["volumeClaimTemplates"][0]
    assert claim["spec"]["resources"]["requests"]["storage"] == "50Gi"
    assert claim["spec"]["storageClassName"] == "gp3"
    pod = pod_of(stateful_set)["spec"]
    assert pod["securityContext"]["runAsUser"] == 999
    assert pod["securityContext"]["fsGroup"] == 999
    container = pod["containers"][0]
    assert container["image"] == "postgres:17.2"
    env = {e["name"]: e.get("value") for e in container["env"]}
    assert env["POSTGRES_PASSWORD_FILE"] == "/var/run/secrets/postgres/password"
    assert env["PGDATA"] == "/var/lib/postgresql/data/pgdata"
    assert (env["POSTGRES_DB"], env["POSTGRES_USER"]) == ("orders", "orders_app")
    assert "POSTGRES_PASSWORD" not in env
    assert container["readinessProbe"]["exec"]["command"][0] == "pg_isready"
    assert "--username=orders_app" in container["livenessProbe"]["exec"]["command"]
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    mounts = {m["mountPath"] for m in container["volumeMounts"]}
    assert {"/var/run/postgresql", "/tmp", "/dev/shm", "/var/lib/postgresql/data"} <= mounts
    secret = next(v for v in pod["volumes"] if "secret" in v)["secret"]
    assert secret["secretName"] == "orders-db-auth"
    headless = one(objects, "Service", "orders-db-headless")["spec"]
    assert headless["clusterIP"] == "None"
    assert one(objects, "Service", "orders-db")["spec"]["ports"][0]["port"] == 5432
    rule = one(objects, "NetworkPolicy")["spec"]["ingress"]
    assert rule == [
        {
            "from": [{"podSelector": {"matchLabels": {"app.kubernetes.io/name": "orders-api"}}}],
            "ports": [{"protocol": "TCP", "port": 5432}],
        }
    ]
    assert "kubectl -n shop create secret generic orders-db-auth" in text
    assert finding_ids("k8s-postgres", {}) == []


def test_postgres_defaults_and_client_namespace() -> None:
    objects, _ = render("k8s-postgres", {"client_namespace": "web"})
    peer = one(objects, "NetworkPolicy")["spec"]["ingress"][0]["from"][0]
    assert peer == {
        "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "web"}},
        "podSelector": {"matchLabels": {"postgres-client": "true"}},
    }
    claim = one(objects, "StatefulSet")["spec"]["volumeClaimTemplates"][0]["spec"]
    assert "storageClassName" not in claim


@pytest.mark.parametrize(
    ("parameters", "problem"),
    [
        ({"storage": "lots"}, "not a quantity"),
        ({"client_label": "web"}, "key=value"),
        ({"database": "Orders-DB"}, "plain PostgreSQL name"),
        ({"name": "Orders_DB"}, "not a valid name"),
        ({"password_key": "pass word"}, "not a Secret key"),
    ],
)
def test_postgres_refuses_bad_values(parameters: dict[str, Any], problem: str) -> None:
    with pytest.raises(InputError, match=problem):
        generate_blueprint("k8s-postgres", parameters)


def test_redis_password_from_a_file_never_in_arguments() -> None:
    objects, text = render(
        "k8s-redis",
        {
            "name": "sessions",
            "memory_limit": "2Gi",
            "maxmemory_policy": "allkeys-lru",
            "password_secret": "s-pass",
        },
    )
    assert kinds(objects) == ["StatefulSet", "Service", "Service", "PodDisruptionBudget", "NetworkPolicy"]
    pod = pod_of(one(objects, "StatefulSet"))["spec"]
    container = pod["containers"][0]
    start = container["command"][2]
    assert container["command"][:2] == ["sh", "-c"]
    assert 'printf "requirepass %s\\n" "$(cat /var/run/secrets/redis/password)"' in start
    assert "exec redis-server /run/redis/auth.conf --port 6379 --dir /data --appendonly yes" in start
    assert "--maxmemory 1536mb --maxmemory-policy allkeys-lru" in start
    assert "redis-cli" in container["readinessProbe"]["exec"]["command"][2]
    assert pod["securityContext"]["runAsUser"] == 999
    config = next(v for v in pod["volumes"] if v["name"] == "config")
    assert config["emptyDir"]["medium"] == "Memory"
    assert next(v for v in pod["volumes"] if "secret" in v)["secret"]["secretName"] == "s-pass"
    assert one(objects, "Service", "sessions")["spec"]["ports"][0]["port"] == 6379
    assert "requirepass" not in text.replace("requirepass %s", "")
    assert finding_ids("k8s-redis", {}) == []


def test_redis_snapshots_only() -> None:
    objects, _ = render("k8s-redis", {"append_only": False})
    assert "--appendonly no" in pod_of(one(objects, "StatefulSet"))["spec"]["containers"][0]["command"][2]


def test_no_password_is_ever_written() -> None:
    for name in ("k8s-postgres", "k8s-redis"):
        _, text = render(name, {})
        assert "POSTGRES_PASSWORD:" not in text
        assert "requirepass " not in text.replace("requirepass %s", "")
        assert "kind: Secret" not in text


# --- LLM agent API --------------------------------------------------------------------------------


def test_agent_api_config_secret_and_egress() -> None:
    objects, _ = render(
        "k8s-llm-agent-api",
        {
            "image": "ghcr.io/acme/support-agent:0.3.1",
            "model": "gpt-4o",
            "settings": "LLM_TEMPERATURE=0.2, AGENT_MAX_STEPS=8",
            "replicas": 3,
            "autoscale_max": 6,
            "host": "agent.example.com",
            "port": 8000,
        },
    )
    assert kinds(objects) == [
        "ConfigMap",
        "Deployment",
        "Service",
        "PodDisruptionBudget",
        "NetworkPolicy",
        "NetworkPolicy",
        "HorizontalPodAutoscaler",
        "Ingress",
    ]
    config = one(objects, "ConfigMap")
    assert config["data"] == {
        "LLM_PROVIDER": "openai",
        "LLM_MODEL": "gpt-4o",
        "LLM_BASE_URL": "https://api.openai.com/v1",
        "LLM_TEMPERATURE": "0.2",
        "AGENT_MAX_STEPS": "8",
    }
    template = pod_of(one(objects, "Deployment"))
    assert template["metadata"]["annotations"]["checksum/config"]
    container = template["spec"]["containers"][0]
    assert container["envFrom"] == [{"configMapRef": {"name": "support-agent-config"}}]
    assert container["env"] == [
        {
            "name": "OPENAI_API_KEY",
            "valueFrom": {"secretKeyRef": {"name": "support-agent-llm", "key": "api-key"}},
        }
    ]
    assert container["ports"] == [{"name": "http", "containerPort": 8000}]
    egress = one(objects, "NetworkPolicy", "support-agent-egress")["spec"]
    assert egress["policyTypes"] == ["Egress"]
    dns, https = egress["egress"]
    assert {p["port"] for p in dns["ports"]} == {53}
    assert https["ports"] == [{"protocol": "TCP", "port": 443}]
    block = https["to"][0]["ipBlock"]
    assert block["cidr"] == "0.0.0.0/0"
    assert {"10.0.0.0/8", "169.254.0.0/16"} <= set(block["except"])
    ingress_rule = one(objects, "NetworkPolicy", "support-agent")["spec"]["ingress"]
    assert ingress_rule == [{"ports": [{"protocol": "TCP", "port": 8000}]}]
    tls = one(objects, "Ingress")["spec"]["tls"]
    assert tls == [{"hosts": ["agent.example.com"], "secretName": "support-agent-tls"}]


def test_agent_api_key_as_a_file_and_a_given_cidr_leave_no_finding() -> None:
    parameters = {
        "image": "ghcr.io/acme/bot:1.0.0",
        "provider": "anthropic",
        "api_key_mount": "file",
        "egress_cidr": "203.0.113.7/32",
    }
    objects, _ = render("k8s-llm-agent-api", parameters)
    data = one(objects, "ConfigMap")["data"]
    assert data["LLM_BASE_URL"] == "https://api.anthropic.com"
    assert data["LLM_API_KEY_FILE"] == "/var/run/secrets/llm/api-key"
    container = pod_of(one(objects, "Deployment"))["spec"]["containers"][0]
    assert "env" not in container
    block = one(objects, "NetworkPolicy", "bot-egress")["spec"]["egress"][1]["to"][0]["ipBlock"]
    assert block == {"cidr": "203.0.113.7/32"}
    assert finding_ids("k8s-llm-agent-api", parameters) == []
    # the default (the key in the variable SDKs read) leaves exactly the low finding that says so
    assert finding_ids("k8s-llm-agent-api", {"image": "ghcr.io/acme/bot:1.0.0"}) == ["K8S_SECRET_ENV_REF"]


@pytest.mark.parametrize(
    ("parameters", "problem"),
    [
        ({"base_url": "http://api.example.com/v1"}, "not an https URL"),
        ({"base_url": "https://api.example.com:8443/v1"}, "only port 443"),
        ({"provider": "other"}, "needs both base_url and model"),
        ({"settings": "OPENAI_API_KEY=sk-123"}, "looks like a credential"),
        ({"settings": "LLM_MODEL=x"}, "set by its own parameter"),
        ({"settings": "just words"}, "is not NAME=value"),
        ({"egress_cidr": "the internet"}, "not a CIDR"),
    ],
)
def test_agent_api_refuses_bad_values(parameters: dict[str, Any], problem: str) -> None:
    with pytest.raises(InputError, match=problem):
        generate_blueprint("k8s-llm-agent-api", {"image": "a/b:1", **parameters})


# --- MLflow ---------------------------------------------------------------------------------------


def test_mlflow_serves_the_model_uri_with_probes_on_health_and_ping() -> None:
    objects, _ = render(
        "k8s-mlflow",
        {
            "image": "ghcr.io/acme/fraud-serving:2.14.1",
            "model_uri": "models:/fraud/3",
            "tracking_uri": "http://mlflow.mlops.svc:5000",
            "replicas": 2,
            "autoscale_max": 6,
            "workers": 4,
        },
    )
    assert kinds(objects) == [
        "Deployment",
        "Service",
        "PodDisruptionBudget",
        "NetworkPolicy",
        "HorizontalPodAutoscaler",
    ]
    container = pod_of(one(objects, "Deployment"))["spec"]["containers"][0]
    assert container["command"] == [
        "mlflow",
        "models",
        "serve",
        "--model-uri",
        "models:/fraud/3",
        "--host",
        "0.0.0.0",
        "--port",
        "8080",
        "--workers",
        "4",
        "--env-manager",
        "local",
    ]
    assert container["readinessProbe"]["httpGet"] == {"path": "/health", "port": "http"}
    assert container["livenessProbe"]["httpGet"] == {"path": "/ping", "port": "http"}
    assert container["startupProbe"]["failureThreshold"] == 60
    env = {e["name"]: e["value"] for e in container["env"]}
    assert env == {"HOME": "/tmp", "MLFLOW_TRACKING_URI": "http://mlflow.mlops.svc:5000"}
    assert one(objects, "Service")["spec"]["ports"] == [{"name": "http", "port": 80, "targetPort": "http"}]


def test_mlflow_build_docker_image_and_s3_credentials_file() -> None:
    objects, _ = render(
        "k8s-mlflow",
        {"image": "ghcr.io/acme/churn:7", "aws_credentials_secret": "s3-reader", "replicas": 1, "port": 9000},
    )
    pod = pod_of(one(objects, "Deployment"))["spec"]
    container = pod["containers"][0]
    assert container["command"][3:5] == ["--model-uri", "/opt/ml/model"]
    assert container["ports"] == [{"name": "http", "containerPort": 9000}]
    env = {e["name"]: e["value"] for e in container["env"]}
    assert env["AWS_SHARED_CREDENTIALS_FILE"] == "/var/run/secrets/aws/credentials"
    assert pod["automountServiceAccountToken"] is False
    assert kinds(objects) == ["Deployment", "Service", "NetworkPolicy"]


def test_mlflow_workload_identity_mounts_the_token() -> None:
    objects, _ = render("k8s-mlflow", {"image": "a/b:1", "service_account": "fraud-model"})
    pod = pod_of(one(objects, "Deployment"))["spec"]
    assert (pod["serviceAccountName"], pod["automountServiceAccountToken"]) == ("fraud-model", True)


@pytest.mark.parametrize(
    ("parameters", "problem"),
    [
        ({"model_uri": "fraud v3"}, "is not a model URI"),
        ({"model_uri": "models:/fraud/3"}, "give tracking_uri"),
        ({"model_uri": "s3://b/m", "tracking_uri": "mlflow:5000"}, "not an http"),
    ],
)
def test_mlflow_refuses_bad_values(parameters: dict[str, Any], problem: str) -> None:
    with pytest.raises(InputError, match=problem):
        generate_blueprint("k8s-mlflow", {"image": "a/b:1", **parameters})


# --- kustomize ------------------------------------------------------------------------------------


def test_kustomize_files_and_inline_patches() -> None:
    generated = generate_blueprint(
        "k8s-kustomize",
        {"image": "ghcr.io/acme/shop:3.2.0", "replicas": 3, "autoscale_max": 12, "host": "shop.io"},
    )
    paths = sorted(f.path for f in generated.files)
    assert paths == [
        "base/kustomization.yaml",
        "base/shop.yaml",
        "overlays/dev/kustomization.yaml",
        "overlays/prod/hpa.yaml",
        "overlays/prod/ingress.yaml",
        "overlays/prod/kustomization.yaml",
    ]
    files = {f.path: yaml.safe_load(f.text) for f in generated.files if f.path.endswith("kustomization.yaml")}
    assert files["base/kustomization.yaml"]["resources"] == ["shop.yaml"]
    dev = files["overlays/dev/kustomization.yaml"]
    assert (dev["namespace"], dev["replicas"]) == ("shop-dev", [{"name": "shop", "count": 1}])
    assert "resources" in yaml.safe_load(dev["patches"][0]["patch"])[0]["path"]
    prod = files["overlays/prod/kustomization.yaml"]
    assert prod["namespace"] == "shop-prod"
    assert prod["resources"] == ["../../base", "hpa.yaml", "ingress.yaml"]
    assert yaml.safe_load(prod["patches"][0]["patch"]) == [{"op": "remove", "path": "/spec/replicas"}]
    assert generated.validation.findings == []


def _build(folder: Path) -> str:
    kubectl = shutil.which("kubectl")
    assert kubectl
    done = subprocess.run(
        [kubectl, "kustomize", str(folder)], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.skipif(
    shutil.which("kubectl") is None, reason="kubectl (with kustomize built in) is not on PATH"
)
@pytest.mark.parametrize(
    ("parameters", "prod_replicas", "autoscaled"),
    [
        (
            {
                "image": "ghcr.io/acme/shop:3.2.0",
                "replicas": 3,
                "autoscale_max": 12,
                "host": "shop.example.com",
            },
            None,
            True,
        ),
        (
            {
                "image": "ghcr.io/acme/admin:1.0.4",
                "replicas": 4,
                "autoscale_max": 0,
                "namespace": "backoffice",
            },
            4,
            False,
        ),
    ],
)
def test_kustomize_overlays_build_and_validate_clean(
    tmp_path: Path, parameters: dict[str, Any], prod_replicas: int | None, autoscaled: bool
) -> None:
    from tools.k8s.validate import validate_k8s_text

    generated = generate_blueprint("k8s-kustomize", parameters)
    for generated_file in generated.files:
        path = tmp_path / generated_file.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(generated_file.text, encoding="utf-8")
    name = generated.parameters["name"] or parameters["image"].rsplit("/", 1)[-1].split(":")[0]
    namespace = parameters.get("namespace") or name
    built: dict[str, list[dict[str, Any]]] = {}
    for environment in ("dev", "prod"):
        text = _build(tmp_path / "overlays" / environment)
        report = validate_k8s_text(text, label=f"{environment}.yaml")
        assert (report.counts.invalid, report.counts.errors) == (0, 0), report.results
        assert [f.id for f in report.findings if f.severity.at_least(Severity.HIGH)] == []
        assert report.findings == [], [(f.id, f.title) for f in report.findings]
        built[environment] = [o for o in yaml.safe_load_all(text) if o]
        assert {o["metadata"]["namespace"] for o in built[environment]} == {f"{namespace}-{environment}"}
        deployment = one(built[environment], "Deployment")
        assert deployment["metadata"]["labels"]["environment"] == environment
        assert deployment["spec"]["selector"]["matchLabels"] == {"app.kubernetes.io/name": name}
    dev = one(built["dev"], "Deployment")
    assert dev["spec"]["replicas"] == 1
    assert dev["spec"]["template"]["spec"]["containers"][0]["resources"]["requests"] == {
        "cpu": "50m",
        "memory": "64Mi",
    }
    assert "HorizontalPodAutoscaler" not in kinds(built["dev"])
    prod = one(built["prod"], "Deployment")
    assert prod["spec"]["template"]["spec"]["containers"][0]["resources"]["requests"]["cpu"] == "100m"
    if autoscaled:
        assert "replicas" not in prod["spec"]
        hpa = one(built["prod"], "HorizontalPodAutoscaler")["spec"]
        assert (hpa["minReplicas"], hpa["maxReplicas"]) == (3, 12)
        assert one(built["prod"], "Ingress")["spec"]["rules"][0]["host"] == "shop.example.com"
    else:
        assert prod["spec"]["replicas"] == prod_replicas
        assert "HorizontalPodAutoscaler" not in kinds(built["prod"])


# --- asks in words --------------------------------------------------------------------------------

IMAGE = "ghcr.io/acme/app:1.0"
INTENT_CASES: list[tuple[str, str, dict[str, Any]]] = [
    # worker
    (
        "queue worker ghcr.io/acme/mailer:2.4.1 with 4 replicas, autoscale to 12",
        "k8s-worker",
        {"image": "ghcr.io/acme/mailer:2.4.1", "replicas": "4", "autoscale_max": "12"},
    ),
    (
        "celery worker from ghcr.io/acme/app:2.0 command 'celery -A app worker -l info' in namespace jobs",
        "k8s-worker",
        {"image": "ghcr.io/acme/app:2.0", "namespace": "jobs", "command": "celery -A app worker -l info"},
    ),
    (
        "background worker called mailer, env from configmap mailer-settings",
        "k8s-worker",
        {"name": "mailer", "config_map": "mailer-settings"},
    ),
    (
        'kafka consumer acme/consumer:0.3 health command "test -f /tmp/healthy" and secret Kafka-Creds',
        "k8s-worker",
        {"image": "acme/consumer:0.3", "health_command": "test -f /tmp/healthy", "secret": "kafka-creds"},
    ),
    (
        "sidekiq background jobs from ghcr.io/acme/rails:7.1 args '-q default -c 5'",
        "k8s-worker",
        {"image": "ghcr.io/acme/rails:7.1", "args": "-q default -c 5"},
    ),
    (
        "run 4 workers of ghcr.io/acme/indexer:0.9",
        "k8s-worker",
        {"image": "ghcr.io/acme/indexer:0.9", "replicas": "4"},
    ),
    # CronJob
    (
        "cronjob ghcr.io/acme/report:1.0 every 5 minutes",
        "k8s-cronjob",
        {"image": "ghcr.io/acme/report:1.0", "schedule": "*/5 * * * *"},
    ),
    (
        "hourly cron job for ghcr.io/acme/sync:2.1",
        "k8s-cronjob",
        {"image": "ghcr.io/acme/sync:2.1", "schedule": "0 * * * *"},
    ),
    (
        "daily at 02:30 run ghcr.io/acme/backup:1.2 with 3 retries and a timeout of 20 minutes",
        "k8s-cronjob",
        {
            "image": "ghcr.io/acme/backup:1.2",
            "schedule": "30 2 * * *",
            "backoff_limit": "3",
            "active_deadline_seconds": 1200,
        },
    ),
    (
        "nightly cleanup job acme/cleanup:0.4",
        "k8s-cronjob",
        {"image": "acme/cleanup:0.4", "schedule": "0 2 * * *"},
    ),
    (
        "scheduled job every monday at 9am in Europe/Berlin time, image acme/digest:1.0",
        "k8s-cronjob",
        {"image": "acme/digest:1.0", "schedule": "0 9 * * 1", "time_zone": "Europe/Berlin"},
    ),
    (
        "cron '*/15 * * * *' running acme/poller:3.0 with command 'python poll.py --once'",
        "k8s-cronjob",
        {"image": "acme/poller:3.0", "schedule": "*/15 * * * *", "command": "python poll.py --once"},
    ),
    # PostgreSQL
    (
        "postgres database orders with 50Gi storage in the shop namespace",
        "k8s-postgres",
        {"namespace": "shop", "storage": "50Gi", "database": "orders"},
    ),
    (
        "deploy postgres:16.4 with 20 GB of storage",
        "k8s-postgres",
        {"image": "postgres:16.4", "storage": "20Gi"},
    ),
    (
        "a database for the billing app, user billing, storage class gp3",
        "k8s-postgres",
        {"user": "billing", "storage_class": "gp3"},
    ),
    (
        "PostgreSQL called ledger-db, password from secret ledger-pg, clients labelled app=ledger",
        "k8s-postgres",
        {"name": "ledger-db", "password_secret": "ledger-pg", "client_label": "app=ledger"},
    ),
    (
        "postgresql statefulset for apps in the web namespace",
        "k8s-postgres",
        {"namespace": "web", "client_namespace": "web"},
    ),
    # Redis
    (
        "redis cache with 10Gi storage in the shop namespace",
        "k8s-redis",
        {"namespace": "shop", "storage": "10Gi", "maxmemory_policy": "allkeys-lru"},
    ),
    (
        "redis for sessions, clients labelled role=web, password from secret sessions-pass",
        "k8s-redis",
        {"client_label": "role=web", "password_secret": "sessions-pass"},
    ),
    (
        "in-memory store for rate limits with volatile-ttl eviction, snapshots only",
        "k8s-redis",
        {"maxmemory_policy": "volatile-ttl", "append_only": False},
    ),
    (
        "valkey server named queue-store using image valkey/valkey:8.0 and storage class fast-ssd",
        "k8s-redis",
        {"name": "queue-store", "image": "valkey/valkey:8.0", "storage_class": "fast-ssd"},
    ),
    # LLM agent API
    (
        "LLM agent API ghcr.io/acme/support-agent:0.3.1 that calls OpenAI gpt-4o, 3 replicas",
        "k8s-llm-agent-api",
        {
            "image": "ghcr.io/acme/support-agent:0.3.1",
            "replicas": "3",
            "provider": "openai",
            "model": "gpt-4o",
        },
    ),
    ("agent service that calls OpenAI", "k8s-llm-agent-api", {"provider": "openai"}),
    (
        "deploy a langgraph agent ghcr.io/acme/agent:1.0 using claude-3-5-sonnet-latest at agent.example.com",
        "k8s-llm-agent-api",
        {
            "image": "ghcr.io/acme/agent:1.0",
            "host": "agent.example.com",
            "provider": "anthropic",
            "model": "claude-3-5-sonnet-latest",
        },
    ),
    (
        "agent api ghcr.io/acme/rag:2.0 with base url https://llm.corp.example.com:443/v1 model llama-3.1-70b, "
        "egress only to 10.20.0.0/16",
        "k8s-llm-agent-api",
        {
            "image": "ghcr.io/acme/rag:2.0",
            "base_url": "https://llm.corp.example.com:443/v1",
            "provider": "other",
            "model": "llama-3.1-70b",
            "egress_cidr": "10.20.0.0/16",
        },
    ),
    (
        "chatbot backend on mistral ghcr.io/acme/chat:0.9 with temperature 0.3, key mounted as a file",
        "k8s-llm-agent-api",
        {
            "image": "ghcr.io/acme/chat:0.9",
            "provider": "mistral",
            "settings": "LLM_TEMPERATURE=0.3",
            "api_key_mount": "file",
        },
    ),
    # MLflow
    ("mlflow model server for models:/fraud/3", "k8s-mlflow", {"model_uri": "models:/fraud/3"}),
    (
        "serve mlflow model models:/fraud/3 from ghcr.io/acme/fraud-serving:2.14.1, 3 replicas, "
        "tracking server https://mlflow.example.com",
        "k8s-mlflow",
        {
            "image": "ghcr.io/acme/fraud-serving:2.14.1",
            "model_uri": "models:/fraud/3",
            "replicas": "3",
            "tracking_uri": "https://mlflow.example.com",
        },
    ),
    (
        "mlflow serving of s3://acme-models/churn/7 with ghcr.io/acme/churn:7 and 4 workers",
        "k8s-mlflow",
        {"image": "ghcr.io/acme/churn:7", "model_uri": "s3://acme-models/churn/7", "workers": "4"},
    ),
    (
        "deploy the churn model from the model registry with image acme/churn:7, tracking at mlflow.mlops.svc:5000",
        "k8s-mlflow",
        # the tracking server's host and port, read by the shared parser, are put back to the defaults
        {"image": "acme/churn:7", "tracking_uri": "http://mlflow.mlops.svc:5000", "host": "", "port": "8080"},
    ),
    (
        "MLflow server for runs:/0123456789abcdef0123456789abcdef/model with service account fraud-sa on port 9000",
        "k8s-mlflow",
        {
            "model_uri": "runs:/0123456789abcdef0123456789abcdef/model",
            "service_account": "fraud-sa",
            "port": "9000",
        },
    ),
    (
        "mlflow server for ghcr.io/acme/churn:7 with 4 workers",
        "k8s-mlflow",
        {"image": "ghcr.io/acme/churn:7", "workers": "4"},
    ),
    # kustomize
    (
        "kustomize base with dev and prod overlays for ghcr.io/acme/shop:3.2.0, prod autoscale to 12",
        "k8s-kustomize",
        {"image": "ghcr.io/acme/shop:3.2.0", "autoscale_max": "12"},
    ),
    (
        "kustomize overlays for the web service ghcr.io/acme/web:1.0",
        "k8s-kustomize",
        {"image": "ghcr.io/acme/web:1.0"},
    ),
    (
        "dev and prod environments for ghcr.io/acme/api:2.0 with 5 replicas on port 8000",
        "k8s-kustomize",
        {"image": "ghcr.io/acme/api:2.0", "replicas": "5", "port": "8000"},
    ),
    (
        "kustomization for ghcr.io/acme/admin:1.0.4 named admin at admin.example.com health check /healthz",
        "k8s-kustomize",
        {
            "image": "ghcr.io/acme/admin:1.0.4",
            "name": "admin",
            "host": "admin.example.com",
            "health_path": "/healthz",
        },
    ),
]


@pytest.mark.parametrize(
    ("ask", "blueprint", "expected"), INTENT_CASES, ids=[c[0][:50] for c in INTENT_CASES]
)
def test_asks_reach_the_blueprint_with_their_parameters(
    ask: str, blueprint: str, expected: dict[str, Any]
) -> None:
    intent = parse_intent("k8s", ask)
    assert intent.blueprint == blueprint
    assert intent.parameters == expected
    if "image" in expected or blueprint in ("k8s-postgres", "k8s-redis"):
        generated = generate_blueprint(intent.blueprint, intent.parameters)
        assert [f.id for f in generated.validation.findings if f.severity.at_least(Severity.HIGH)] == []


@pytest.mark.parametrize(
    "ask",
    [
        "run 5 instances of ghcr.io/acme/worker:0.9",  # "worker" only inside the image's name
        "deploy nginx:1.27 with 3 replicas on port 80",
    ],
)
def test_an_image_name_alone_does_not_pick_these_blueprints(ask: str) -> None:
    assert parse_intent("k8s", ask).blueprint == "k8s-web-service"


def test_a_clock_time_is_not_taken_for_the_image() -> None:
    intent = parse_intent("k8s", "backup job daily at 02:30")
    assert intent.parameters == {"schedule": "30 2 * * *"}
    with pytest.raises(InputError, match="image"):
        generate_blueprint(intent.blueprint, intent.parameters)


def test_every_blueprint_here_is_registered_with_examples() -> None:
    from tools.blueprints.registry import all_blueprints

    known = all_blueprints()
    for name in MINE:
        assert name in known
        assert len(known[name].examples) >= 2
        assert parse_intent("k8s", known[name].example_ask).blueprint == name
