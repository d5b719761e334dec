"""The security policies: what they check, why it matters, and the fix."""

from __future__ import annotations

from tools.findings import Severity
from tools.k8s.policies.model import Policy

_SC = "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/"
_PSS = "https://kubernetes.io/docs/concepts/security/pod-security-standards/"
_RBAC_GOOD = "https://kubernetes.io/docs/concepts/security/rbac-good-practices/"
_CRIT, _HIGH, _MED, _LOW = Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW


def _p(
    pid: str, sev: Severity, title: str, why: str, fix: str, docs: str, checkov: str | None = None
) -> Policy:
    return Policy(pid, sev, "security", title, why, fix.strip("\n"), docs, checkov)


SECURITY = (
    _p(
        "K8S_PRIVILEGED",
        _CRIT,
        "Container runs privileged",
        "A privileged container has every capability and sees every host device: escaping to the node "
        "is one mount away. The Baseline Pod Security Standard forbids it.",
        "securityContext:\n  privileged: false",
        _PSS,
        "PrivilegedContainers",
    ),
    _p(
        "K8S_ALLOW_PRIVILEGE_ESCALATION",
        _MED,
        "Container may gain more privileges than its parent",
        "Unless allowPrivilegeEscalation is false, a process can gain privileges through setuid "
        "binaries or file capabilities (no_new_privs is not set). It defaults to true; the Restricted "
        "Pod Security Standard requires false.",
        "securityContext:\n  allowPrivilegeEscalation: false",
        _SC,
        "AllowPrivilegeEscalation",
    ),
    _p(
        "K8S_ADDED_CAPABILITIES",
        _MED,
        "Container adds Linux capabilities",
        "Every added capability widens what a compromised process may do to the kernel and the node. "
        "NET_BIND_SERVICE, the one the Restricted standard allows, is not reported.",
        "securityContext:\n  capabilities:\n    drop: [ALL]\n    add: [NET_BIND_SERVICE]  # only if it "
        "must bind a port below 1024",
        _SC + "#set-capabilities-for-a-container",
        "AllowedCapabilities",
    ),
    _p(
        "K8S_SYS_ADMIN",
        _HIGH,
        "Container adds CAP_SYS_ADMIN",
        "SYS_ADMIN is close to root on the node: it allows mount, namespace and BPF operations and is "
        "behind most container escapes. Adding ALL includes it.",
        "securityContext:\n  capabilities:\n    drop: [ALL]",
        _SC + "#set-capabilities-for-a-container",
        "AllowedCapabilitiesSysAdmin",
    ),
    _p(
        "K8S_DROP_ALL_CAPABILITIES",
        _LOW,
        "Container does not drop all capabilities",
        "Container runtimes grant a default set of capabilities (CHOWN, SETUID, NET_RAW, ...). Dropping "
        "ALL and adding back only what is needed is what the Restricted Pod Security Standard asks.",
        "securityContext:\n  capabilities:\n    drop: [ALL]",
        _PSS,
    ),
    _p(
        "K8S_NET_RAW",
        _MED,
        "Container keeps the NET_RAW capability",
        "NET_RAW lets a process craft raw packets: ARP and DNS spoofing of its neighbours on the node. "
        "It is in the runtimes' default set, so it stays unless dropped (explicitly or with ALL).",
        "securityContext:\n  capabilities:\n    drop: [ALL]  # or at least NET_RAW",
        _SC + "#set-capabilities-for-a-container",
        "DropCapabilities",
    ),
    _p(
        "K8S_RUN_AS_ROOT",
        _MED,
        "Container may run as root",
        "Nothing stops the container from running as UID 0 (no runAsNonRoot: true, no non-zero "
        "runAsUser), so a breakout lands as root on the node. Set it once on the pod; containers "
        "inherit it unless they override it.",
        "spec:\n  securityContext:\n    runAsNonRoot: true\n    runAsUser: 10001",
        _SC,
        "RootContainers",
    ),
    _p(
        "K8S_READONLY_ROOT_FS",
        _LOW,
        "Container root filesystem is writable",
        "A writable root filesystem lets an intruder drop tools and change binaries. Mount an emptyDir "
        "where the application must write.",
        "securityContext:\n  readOnlyRootFilesystem: true\n# plus, where it writes:\n"
        "volumeMounts:\n  - {name: tmp, mountPath: /tmp}",
        _SC,
        "ReadOnlyFilesystem",
    ),
    _p(
        "K8S_HOST_NETWORK",
        _HIGH,
        "Pod shares the node's network namespace",
        "With hostNetwork the pod sees every interface of the node, can bind its ports and reach "
        "services listening on localhost; NetworkPolicies no longer isolate it.",
        "spec:\n  hostNetwork: false",
        _PSS,
        "ShareHost",
    ),
    _p(
        "K8S_HOST_PID",
        _HIGH,
        "Pod shares the node's process namespace",
        "With hostPID the pod sees (and with enough privilege, signals or ptraces) every process on the "
        "node, including other pods' and their environment variables.",
        "spec:\n  hostPID: false",
        _PSS,
        "ShareHost",
    ),
    _p(
        "K8S_HOST_IPC",
        _HIGH,
        "Pod shares the node's IPC namespace",
        "With hostIPC the pod can read and write the shared memory of every process on the node.",
        "spec:\n  hostIPC: false",
        _PSS,
        "ShareHost",
    ),
    _p(
        "K8S_HOST_PORT",
        _MED,
        "Container binds a port on the node",
        "A hostPort exposes the pod on the node's address, bypassing Services and NetworkPolicies, and "
        "limits scheduling to one such pod per node.",
        "ports:\n  - containerPort: 8080  # no hostPort; expose it with a Service",
        _PSS,
        "HostPort",
    ),
    _p(
        "K8S_HOST_PATH",
        _MED,
        "Pod mounts a directory of the node",
        "A hostPath volume gives the pod the node's files: credentials, other pods' data, and with "
        "write access a way to take over the node. Baseline forbids it.",
        "volumes:\n  - name: data\n    emptyDir: {}  # or a persistentVolumeClaim",
        "https://kubernetes.io/docs/concepts/storage/volumes/#hostpath",
    ),
    _p(
        "K8S_DOCKER_SOCKET",
        _CRIT,
        "Pod mounts the container runtime socket",
        "Whoever talks to the Docker, containerd or CRI-O socket can start a privileged container on "
        "the node: it is root on the node.",
        "# remove the hostPath volume of /var/run/docker.sock (or containerd.sock, crio.sock);\n"
        "# build images with a daemonless builder (kaniko, buildah) instead",
        "https://kubernetes.io/docs/concepts/storage/volumes/#hostpath",
        "DockerSocketVolume",
    ),
    _p(
        "K8S_SECCOMP",
        _MED,
        "Container runs without a seccomp profile",
        "Without a seccomp profile (or with Unconfined) every system call reaches the kernel, including "
        "the rarely used ones most kernel exploits go through. RuntimeDefault blocks them; the "
        "deprecated seccomp annotations (runtime/default, docker/default) are accepted as well.",
        "spec:\n  securityContext:\n    seccompProfile:\n      type: RuntimeDefault",
        "https://kubernetes.io/docs/tutorials/security/seccomp/",
        "Seccomp",
    ),
    _p(
        "K8S_SA_TOKEN_AUTOMOUNT",
        _LOW,
        "Pod mounts a service account token it may not need",
        "Unless automountServiceAccountToken is false on the pod or its ServiceAccount (in this set), "
        "every container gets an API token; a compromised pod can then use the Kubernetes API with "
        "its rights. A pod that sets it to true explicitly is taken to need it.",
        "spec:\n  automountServiceAccountToken: false",
        "https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/"
        "#opt-out-of-api-credential-automounting",
    ),
    _p(
        "K8S_SECRET_ENV_VALUE",
        _HIGH,
        "Secret written in plain text in an environment variable",
        "The variable's name says it holds a credential and its value is written in the manifest: "
        "it ends up in Git, in `kubectl describe` and in every copy of the YAML.",
        "env:\n  - name: DB_PASSWORD\n    valueFrom:\n      secretKeyRef: {name: db, key: password}",
        "https://kubernetes.io/docs/concepts/security/secrets-good-practices/",
    ),
    _p(
        "K8S_SECRET_ENV_REF",
        _LOW,
        "Secret passed as an environment variable",
        "Environment variables leak: crash reports, debug endpoints and child processes see them, and "
        "they do not change when the Secret is rotated. Mounted files avoid both.",
        "volumes:\n  - name: creds\n    secret: {secretName: db}\ncontainers:\n  - name: app\n"
        "    volumeMounts:\n      - {name: creds, mountPath: /etc/creds, readOnly: true}",
        "https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-files-from-a-pod",
        "Secrets",
    ),
    _p(
        "K8S_DEFAULT_NAMESPACE",
        _LOW,
        "Object goes to the default namespace",
        "Without a namespace (or with `default`), objects of unrelated teams share one namespace: "
        "RBAC, quotas and NetworkPolicies cannot tell them apart. The objects Kubernetes itself keeps "
        "there (the `default` ServiceAccount, the `kubernetes` Service) are not reported.",
        "metadata:\n  name: web\n  namespace: shop",
        "https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/",
        "DefaultNamespace",
    ),
    _p(
        "K8S_WILDCARD_RBAC",
        _HIGH,
        "Role grants a wildcard",
        "`*` in apiGroups, resources or verbs grants everything that exists now and every resource "
        "or verb added later (including escalate, bind and impersonate).",
        "rules:\n  - apiGroups: [apps]\n    resources: [deployments]\n    verbs: [get, list, watch]",
        _RBAC_GOOD,
        "WildcardRoles",
    ),
    _p(
        "K8S_CLUSTER_ADMIN_BINDING",
        _HIGH,
        "Binding grants cluster-admin",
        "cluster-admin is full control of the cluster. A workload or user bound to it turns any "
        "compromise into a cluster compromise.",
        "roleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role  # a role with only what is needed\n"
        "  name: web-reader",
        "https://kubernetes.io/docs/reference/access-authn-authz/rbac/#user-facing-roles",
    ),
)
