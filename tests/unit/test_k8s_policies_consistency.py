"""Consistency inside the set: Services, Ingresses, autoscalers and ConfigMap/Secret references."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.test_k8s_policies_walker import broken, ids, manifests, run
from tools.findings import Finding
from tools.k8s.policies import PolicyOptions, SetChecks

POD_LEVEL = "      automountServiceAccountToken: false\n"
WITH_REFERENCES = broken(
    POD_LEVEL,
    POD_LEVEL
    + "      volumes: [{name: creds, secret: {secretName: db}}, {name: conf, configMap: {name: settings}}]\n",
)
SERVICE = """---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports:
    - {name: http, port: 80, targetPort: http}
"""
INGRESS = """---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service: {name: web, port: {number: 80}}
"""
HPA = """---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: shop}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 10
  metrics:
    - type: Resource
      resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
"""
CONFIG = """---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: shop}
data: {LOG_LEVEL: info}
---
apiVersion: v1
kind: Secret
metadata: {name: db, namespace: shop}
stringData: {password: from-a-vault}
"""
COMPLETE = WITH_REFERENCES + SERVICE + INGRESS + HPA + CONFIG
SET_POLICIES = {
    "K8S_SERVICE_NO_MATCH",
    "K8S_SERVICE_TARGET_PORT",
    "K8S_INGRESS_BACKEND",
    "K8S_HPA_TARGET",
    "K8S_HPA_NO_REQUESTS",
    "K8S_MISSING_CONFIGMAP",
    "K8S_MISSING_SECRET",
}


def test_a_consistent_set_passes(tmp_path: Path) -> None:
    assert run(tmp_path, COMPLETE) == []


FAILING: dict[str, tuple[str, str]] = {
    "K8S_SERVICE_NO_MATCH": ("  selector: {app: web}\n  ports", "  selector: {app: wbe}\n  ports"),
    "K8S_SERVICE_TARGET_PORT": ("targetPort: http", "targetPort: metrics"),
    "K8S_INGRESS_BACKEND": (
        "service: {name: web, port: {number: 80}}",
        "service: {name: webb, port: {number: 80}}",
    ),
    "K8S_HPA_TARGET": ("kind: Deployment, name: web}", "kind: Deployment, name: api}"),
    "K8S_HPA_NO_REQUESTS": ("requests: {cpu: 100m, memory: 128Mi}", "requests: {memory: 128Mi}"),
    "K8S_MISSING_CONFIGMAP": ("configMap: {name: settings}", "configMap: {name: setings}"),
    "K8S_MISSING_SECRET": ("secret: {secretName: db}", "secret: {secretName: database}"),
}


@pytest.mark.parametrize("policy_id", sorted(FAILING))
def test_each_broken_reference_is_reported_alone(tmp_path: Path, policy_id: str) -> None:
    old, new = FAILING[policy_id]
    text = broken(old, new, COMPLETE)
    if policy_id == "K8S_HPA_NO_REQUESTS":  # keep the limit from standing in for the request
        text = broken("limits: {cpu: 500m, memory: 256Mi}", "limits: {memory: 256Mi}", text)
    assert ids(run(tmp_path, text)) & SET_POLICIES == {policy_id}


def test_set_findings_point_at_the_referring_line(tmp_path: Path) -> None:
    text = broken("targetPort: http", "targetPort: metrics", COMPLETE)
    [finding] = [f for f in run(tmp_path, text) if f.id == "K8S_SERVICE_TARGET_PORT"]
    assert (
        finding.evidence[0].line
        == text.splitlines().index("    - {name: http, port: 80, targetPort: metrics}") + 1
    )
    assert finding.resource == "Service/web"
    assert finding.field_path == "spec.ports[0].targetPort"


@pytest.mark.parametrize(
    ("port", "fails"),
    [("8080", False), ("9090", True), ("'8080'", False)],
)
def test_numeric_target_ports_must_be_declared_when_pods_declare_ports(
    tmp_path: Path, port: str, fails: bool
) -> None:
    text = broken("targetPort: http", f"targetPort: {port}", COMPLETE)
    assert ("K8S_SERVICE_TARGET_PORT" in ids(run(tmp_path, text))) is fails


def test_a_target_port_defaults_to_the_service_port(tmp_path: Path) -> None:
    text = broken("{name: http, port: 80, targetPort: http}", "{name: http, port: 80}", COMPLETE)
    assert "K8S_SERVICE_TARGET_PORT" in ids(run(tmp_path, text))
    assert "K8S_SERVICE_TARGET_PORT" not in ids(run(tmp_path, broken("port: 80}", "port: 8080}", text)))


def test_ingress_ports_by_name_and_v1beta1_backends(tmp_path: Path) -> None:
    by_name = broken("port: {number: 80}", "port: {name: http}", COMPLETE)
    assert "K8S_INGRESS_BACKEND" not in ids(run(tmp_path, by_name))
    wrong_name = broken("port: {number: 80}", "port: {name: grpc}", COMPLETE)
    assert "K8S_INGRESS_BACKEND" in ids(run(tmp_path, wrong_name))
    beta = """---
apiVersion: networking.k8s.io/v1beta1
kind: Ingress
metadata: {name: old, namespace: shop}
spec:
  backend: {serviceName: web, servicePort: 81}
"""
    found = [f for f in run(tmp_path, COMPLETE + beta) if f.id == "K8S_INGRESS_BACKEND"]
    assert [(f.evidence[0].text, f.field_path) for f in found] == [
        ("Service web has no port 81", "spec.backend.serviceName")
    ]


def test_incomplete_sets_are_not_judged(tmp_path: Path) -> None:
    # A lone Service or Ingress, Deployments whose ConfigMaps and Secrets live elsewhere: nothing to say.
    assert not ids(run(tmp_path, SERVICE)) & SET_POLICIES
    assert not ids(run(tmp_path, INGRESS)) & SET_POLICIES
    assert not ids(run(tmp_path, WITH_REFERENCES + SERVICE)) & SET_POLICIES
    assert not ids(run(tmp_path, HPA)) & SET_POLICIES


def test_optional_references_and_always_present_configmaps_are_not_reported(tmp_path: Path) -> None:
    text = broken("configMap: {name: settings}", "configMap: {name: gone, optional: true}", COMPLETE)
    text = broken(
        "secret: {secretName: db}", "projected: {sources: [{configMap: {name: kube-root-ca.crt}}]}", text
    )
    assert not ids(run(tmp_path, text)) & SET_POLICIES


def test_env_and_env_from_references_are_followed(tmp_path: Path) -> None:
    env = "          env: [{name: MODE, valueFrom: {configMapKeyRef: {name: modes, key: a}}}]\n"
    text = broken(
        "          imagePullPolicy: Always\n", "          imagePullPolicy: Always\n" + env, COMPLETE
    )
    assert "K8S_MISSING_CONFIGMAP" in ids(run(tmp_path, text))
    env_from = "          envFrom: [{secretRef: {name: api-keys}}]\n"
    text = broken(
        "          imagePullPolicy: Always\n", "          imagePullPolicy: Always\n" + env_from, COMPLETE
    )
    assert "K8S_MISSING_SECRET" in ids(run(tmp_path, text))


def test_secrets_made_by_other_objects_count_as_present(tmp_path: Path) -> None:
    text = broken("secret: {secretName: db}", "secret: {secretName: web-tls}", COMPLETE)
    assert "K8S_MISSING_SECRET" in ids(run(tmp_path, text))
    certificate = """---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {name: web, namespace: shop}
spec: {secretName: web-tls, dnsNames: [shop.example.com], issuerRef: {name: letsencrypt, kind: ClusterIssuer}}
"""
    assert "K8S_MISSING_SECRET" not in ids(run(tmp_path, text + certificate))


def test_references_are_matched_within_their_namespace(tmp_path: Path) -> None:
    text = COMPLETE.replace(
        "metadata: {name: settings, namespace: shop}", "metadata: {name: settings, namespace: other}"
    )
    text += "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: unrelated, namespace: shop}\n"
    assert "K8S_MISSING_CONFIGMAP" in ids(run(tmp_path, text))


def test_autoscaler_v1_and_default_metrics_need_cpu_requests(tmp_path: Path) -> None:
    no_cpu = broken("requests: {cpu: 100m, memory: 128Mi}", "requests: {memory: 128Mi}", COMPLETE)
    no_cpu = broken("limits: {cpu: 500m, memory: 256Mi}", "limits: {memory: 256Mi}", no_cpu)
    v1 = no_cpu.replace(HPA, HPA[: HPA.index("  metrics:")].replace("autoscaling/v2", "autoscaling/v1"))
    assert "K8S_HPA_NO_REQUESTS" in ids(run(tmp_path, v1))
    memory_value = no_cpu.replace(
        "resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}",
        "resource: {name: memory, target: {type: AverageValue, averageValue: 100Mi}}",
    )
    assert "K8S_HPA_NO_REQUESTS" not in ids(run(tmp_path, memory_value))


def test_set_facts_are_compact(tmp_path: Path) -> None:
    checks = SetChecks()
    for manifest in manifests(tmp_path, COMPLETE):
        checks.add(manifest)
    kept = [w for workloads in checks.workloads.values() for w in workloads]
    assert len(kept) == 1
    assert kept[0].labels == {"app": "web"}
    assert not any(isinstance(value, dict) and "spec" in value for value in vars(checks).values())


def test_many_services_each_find_their_own_workload(tmp_path: Path) -> None:
    # 3,000 Services and 3,000 Deployments in one namespace: the label index must still pair each one up.
    parts = []
    for n in range(3000):
        parts.append(
            f"apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: d{n}, namespace: a}}\nspec:\n  replicas: 1\n  selector: {{matchLabels: {{app: d{n}}}}}\n  template:\n    metadata: {{labels: {{app: d{n}, tier: web}}}}\n    spec: {{containers: [{{name: c, image: 'x:1', ports: [{{containerPort: 80}}]}}]}}\n"
        )
        parts.append(
            f"apiVersion: v1\nkind: Service\nmetadata: {{name: s{n}, namespace: a}}\nspec: {{selector: {{app: d{n}, tier: web}}, ports: [{{port: 80}}]}}\n"
        )
    checks = SetChecks()
    for manifest in manifests(tmp_path, "---\n".join(parts)):
        checks.add(manifest)
    found: list[Finding] = checks.findings(PolicyOptions(kubernetes_version="1.30"))
    assert not ids(found) & SET_POLICIES
    broken_service = "apiVersion: v1\nkind: Service\nmetadata: {name: lost, namespace: a}\nspec: {selector: {app: d1, tier: db}}\n"
    checks.add(manifests(tmp_path, broken_service)[0])
    again = checks.findings(PolicyOptions(kubernetes_version="1.30"))
    assert [f.resource for f in again if f.id in SET_POLICIES] == ["Service/lost"]
