"""Security policies: each one fails on a manifest that breaks it and passes on the hardened baseline."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.test_k8s_policies_walker import HARDENED, broken, ids, run

POD_LEVEL = "      automountServiceAccountToken: false\n"
CONTAINER_SC = "            allowPrivilegeEscalation: false\n"

# policy id -> (what to replace in the baseline, what to put instead)
FAILING: dict[str, tuple[str, str]] = {
    "K8S_PRIVILEGED": (CONTAINER_SC, CONTAINER_SC + "            privileged: true\n"),
    "K8S_ALLOW_PRIVILEGE_ESCALATION": (CONTAINER_SC, "            allowPrivilegeEscalation: true\n"),
    "K8S_ADDED_CAPABILITIES": ("{drop: [ALL]}", "{drop: [ALL], add: [NET_ADMIN]}"),
    "K8S_SYS_ADMIN": ("{drop: [ALL]}", "{drop: [ALL], add: [CAP_SYS_ADMIN]}"),
    "K8S_DROP_ALL_CAPABILITIES": ("{drop: [ALL]}", "{drop: [NET_RAW]}"),
    "K8S_NET_RAW": ("{drop: [ALL]}", "{drop: [CHOWN]}"),
    "K8S_RUN_AS_ROOT": ("        runAsNonRoot: true\n", "        runAsUser: 0\n"),
    "K8S_READONLY_ROOT_FS": ("readOnlyRootFilesystem: true", "readOnlyRootFilesystem: false"),
    "K8S_HOST_NETWORK": (POD_LEVEL, POD_LEVEL + "      hostNetwork: true\n"),
    "K8S_HOST_PID": (POD_LEVEL, POD_LEVEL + "      hostPID: true\n"),
    "K8S_HOST_IPC": (POD_LEVEL, POD_LEVEL + "      hostIPC: true\n"),
    "K8S_HOST_PORT": ("{name: http, containerPort: 8080}", "{name: http, containerPort: 8080, hostPort: 80}"),
    "K8S_HOST_PATH": (POD_LEVEL, POD_LEVEL + "      volumes: [{name: logs, hostPath: {path: /var/log}}]\n"),
    "K8S_DOCKER_SOCKET": (
        POD_LEVEL,
        POD_LEVEL + "      volumes: [{name: d, hostPath: {path: /var/run/docker.sock}}]\n",
    ),
    "K8S_SECCOMP": (
        "        seccompProfile: {type: RuntimeDefault}\n",
        "        seccompProfile: {type: Unconfined}\n",
    ),
    "K8S_SA_TOKEN_AUTOMOUNT": (POD_LEVEL, ""),
    "K8S_SECRET_ENV_VALUE": (
        "          imagePullPolicy: Always\n",
        "          imagePullPolicy: Always\n          env: [{name: DB_PASSWORD, value: hunter2}]\n",
    ),
    "K8S_SECRET_ENV_REF": (
        "          imagePullPolicy: Always\n",
        "          imagePullPolicy: Always\n          envFrom: [{secretRef: {name: db}}]\n",
    ),
    "K8S_DEFAULT_NAMESPACE": ("  name: web\n  namespace: shop\n", "  name: web\n"),
}


@pytest.mark.parametrize("policy_id", sorted(FAILING))
def test_policy_fails_on_the_broken_manifest_and_passes_on_the_baseline(
    tmp_path: Path, policy_id: str
) -> None:
    old, new = FAILING[policy_id]
    assert policy_id in ids(run(tmp_path, broken(old, new)))
    assert policy_id not in ids(run(tmp_path, HARDENED))


def role(rules: str, kind: str = "Role") -> str:
    return f"apiVersion: rbac.authorization.k8s.io/v1\nkind: {kind}\nmetadata: {{name: r, namespace: shop}}\nrules:\n{rules}"


@pytest.mark.parametrize("field", ["apiGroups", "resources", "verbs"])
def test_wildcards_in_any_part_of_a_rule_fail(tmp_path: Path, field: str) -> None:
    rule = {"apiGroups": '[""]', "resources": "[pods]", "verbs": "[get]"}
    rule[field] = '["*"]'
    text = role("  - {" + ", ".join(f"{k}: {v}" for k, v in rule.items()) + "}\n", kind="ClusterRole")
    [finding] = [f for f in run(tmp_path, text) if f.id == "K8S_WILDCARD_RBAC"]
    assert finding.field_path == f"rules[0].{field}[0]"


def test_specific_rules_and_empty_roles_pass(tmp_path: Path) -> None:
    assert "K8S_WILDCARD_RBAC" not in ids(
        run(tmp_path, role("  - {apiGroups: [apps], resources: [deployments], verbs: [get]}\n"))
    )
    assert "K8S_WILDCARD_RBAC" not in ids(run(tmp_path, role("")))


def test_binding_to_cluster_admin_fails_and_to_a_narrow_role_passes(tmp_path: Path) -> None:
    binding = """\
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: b}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: %s}
subjects: [{kind: ServiceAccount, name: ci, namespace: tools}]
"""
    assert "K8S_CLUSTER_ADMIN_BINDING" in ids(run(tmp_path, binding % "cluster-admin"))
    assert "K8S_CLUSTER_ADMIN_BINDING" not in ids(run(tmp_path, binding % "view"))


def test_builtin_objects_of_the_default_namespace_and_cluster_scoped_kinds_pass(tmp_path: Path) -> None:
    text = """\
apiVersion: v1
kind: ServiceAccount
metadata: {name: default, namespace: default}
---
apiVersion: v1
kind: Service
metadata: {name: kubernetes}
spec: {ports: [{port: 443}]}
---
apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: reader}
rules: []
"""
    assert "K8S_DEFAULT_NAMESPACE" not in ids(run(tmp_path, text))
    explicit = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: default}\n"
    assert "K8S_DEFAULT_NAMESPACE" in ids(run(tmp_path, explicit))


def test_net_bind_service_is_the_one_capability_that_may_be_added(tmp_path: Path) -> None:
    text = broken("{drop: [ALL]}", "{drop: [ALL], add: [NET_BIND_SERVICE]}")
    assert not ids(run(tmp_path, text)) & {"K8S_ADDED_CAPABILITIES", "K8S_SYS_ADMIN"}


def test_dropping_net_raw_alone_satisfies_net_raw_but_not_drop_all(tmp_path: Path) -> None:
    found = ids(run(tmp_path, broken("{drop: [ALL]}", "{drop: [net_raw]}")))
    assert "K8S_NET_RAW" not in found
    assert "K8S_DROP_ALL_CAPABILITIES" in found


@pytest.mark.parametrize(
    ("pod_context", "container_context", "fails"),
    [
        ("{runAsNonRoot: true}", "{}", False),
        ("{runAsUser: 1000}", "{}", False),
        ("{}", "{runAsNonRoot: true}", False),
        ("{runAsNonRoot: false}", "{runAsNonRoot: true}", False),
        ("{}", "{}", True),
        ("{runAsNonRoot: true}", "{runAsNonRoot: false}", True),
        ("{runAsUser: 1000}", "{runAsUser: 0}", True),
        ("{runAsUser: username}", "{}", True),
    ],
)
def test_root_is_judged_from_pod_and_container_contexts_together(
    tmp_path: Path, pod_context: str, container_context: str, fails: bool
) -> None:
    text = f"""\
apiVersion: v1
kind: Pod
metadata: {{name: p, namespace: shop}}
spec:
  securityContext: {pod_context}
  containers:
    - name: main
      image: alpine:3.20
      securityContext: {container_context}
"""
    assert ("K8S_RUN_AS_ROOT" in ids(run(tmp_path, text))) is fails


ANNOTATED = "{seccomp.security.alpha.kubernetes.io/pod: runtime/default}"


@pytest.mark.parametrize(
    ("annotations", "pod_context", "containers", "fails"),
    [
        (ANNOTATED, "{}", "[{name: a}]", False),
        ("{}", "{}", "[{name: a, securityContext: {seccompProfile: {type: Localhost}}}]", False),
        (
            "{}",
            "{}",
            "[{name: a, securityContext: {seccompProfile: {type: RuntimeDefault}}}, {name: b}]",
            True,
        ),
        (
            "{}",
            "{seccompProfile: {type: RuntimeDefault}}",
            "[{name: a, securityContext: {seccompProfile: {type: Unconfined}}}]",
            True,
        ),
        ("{}", "{}", "[{name: a}]", True),
    ],
)
def test_seccomp_profile_from_the_pod_its_containers_or_annotations(
    tmp_path: Path, annotations: str, pod_context: str, containers: str, fails: bool
) -> None:
    text = f"""\
apiVersion: v1
kind: Pod
metadata: {{name: p, namespace: shop, annotations: {annotations}}}
spec:
  securityContext: {pod_context}
  containers: {containers}
"""
    assert ("K8S_SECCOMP" in ids(run(tmp_path, text))) is fails


def test_service_account_that_disables_tokens_covers_its_pods(tmp_path: Path) -> None:
    pod = broken(POD_LEVEL, "      serviceAccountName: web\n")
    assert "K8S_SA_TOKEN_AUTOMOUNT" in ids(run(tmp_path, pod))
    account = "---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: web, namespace: shop}\nautomountServiceAccountToken: false\n"
    assert "K8S_SA_TOKEN_AUTOMOUNT" not in ids(run(tmp_path, pod + account))
    explicit = broken(POD_LEVEL, "      automountServiceAccountToken: true\n")
    assert "K8S_SA_TOKEN_AUTOMOUNT" not in ids(run(tmp_path, explicit))


@pytest.mark.parametrize(
    ("name", "value", "fails"),
    [
        ("API_KEY", "abc123", True),
        ("GITHUB_TOKEN", "ghp_x", True),
        ("DB_PASSWORD_FILE", "/run/secrets/db", False),
        ("TOKEN_TTL", "3600", False),
        ("USE_TOKEN", "true", False),
        ("DB_PASSWORD", "", False),
        ("DB_PASSWORD", "$(FROM_OTHER_VAR)", False),
        ("LOG_LEVEL", "debug", False),
    ],
)
def test_plain_secret_values_are_recognised_by_name_and_value(
    tmp_path: Path, name: str, value: str, fails: bool
) -> None:
    text = broken(
        "          imagePullPolicy: Always\n",
        f"          imagePullPolicy: Always\n          env: [{{name: {name}, value: '{value}'}}]\n",
    )
    findings = [f for f in run(tmp_path, text) if f.id == "K8S_SECRET_ENV_VALUE"]
    assert bool(findings) is fails
    for finding in findings:
        assert value not in finding.evidence[0].text  # the secret itself is never quoted


def test_windows_pods_are_not_judged_on_linux_only_settings(tmp_path: Path) -> None:
    text = "apiVersion: v1\nkind: Pod\nmetadata: {name: w, namespace: shop}\nspec:\n  os: {name: windows}\n  containers: [{name: a, image: mcr.microsoft.com/windows/nanoserver:ltsc2022}]\n"
    found = ids(run(tmp_path, text))
    assert not found & {"K8S_SECCOMP", "K8S_RUN_AS_ROOT", "K8S_NET_RAW", "K8S_ALLOW_PRIVILEGE_ESCALATION"}


def test_findings_point_at_the_line_and_field_of_the_problem(tmp_path: Path) -> None:
    text = broken(CONTAINER_SC, CONTAINER_SC + "            privileged: true\n")
    [finding] = [f for f in run(tmp_path, text) if f.id == "K8S_PRIVILEGED"]
    line = text.splitlines().index("            privileged: true") + 1
    assert finding.evidence[0].line == line
    assert finding.evidence[0].source.endswith(".yaml")
    assert finding.field_path == "spec.template.spec.containers[0].securityContext.privileged"
    assert finding.resource == "Deployment/web"
    assert finding.engine == "policy"
    assert finding.category == "K8S_PRIVILEGED"
    assert finding.references[0].path.startswith("https://kubernetes.io/")


def test_a_missing_field_points_at_its_deepest_existing_parent(tmp_path: Path) -> None:
    text = broken(CONTAINER_SC, "")
    [finding] = [f for f in run(tmp_path, text) if f.id == "K8S_ALLOW_PRIVILEGE_ESCALATION"]
    assert finding.evidence[0].line == text.splitlines().index("          securityContext:") + 1
