"""Consistency inside the set: Services, Ingresses, autoscalers, budgets and references that point nowhere.

A reference is judged only when the set looks complete enough for its target: when it
holds objects of the referenced kind in the same namespace. A lone Service file, or
Deployments whose Secrets are managed elsewhere, are not reported.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, TypeVar

from tools.findings import Finding
from tools.k8s.manifests import Manifest
from tools.k8s.policies.facts import (
    Reference,
    ServicePort,
    Where,
    Workload,
    config_references,
    container_ports,
    hpa_resources,
    ingress_backends,
    namespace_of,
    requested,
    secret_made_by,
    where,
)
from tools.k8s.policies.judge import SCALABLE_KINDS, judge
from tools.k8s.policies.options import PolicyOptions
from tools.k8s.policies.pods import PodSpec, as_int, mapping, pod_spec, sequence
from tools.k8s.policies.reliability import replica_count
from tools.k8s.policies.suppress import normalized, suppressed_ids

ALWAYS_PRESENT = frozenset({("ConfigMap", "kube-root-ca.crt")})  # published into every namespace
T = TypeVar("T")
REFERABLE_KINDS = SCALABLE_KINDS | {"ConfigMap", "Secret"}  # kinds whose names other objects point at


class SetChecks:
    """Consistency across all objects of one run: `add` each object, then ask for `findings`."""

    def __init__(self) -> None:
        self.workloads: dict[str, list[Workload]] = defaultdict(list)  # by namespace
        self.services: dict[tuple[str, str], tuple[frozenset[int], frozenset[str]]] = {}
        self.selectors: list[tuple[str, dict[str, Any], Where]] = []  # Services: namespace, selector
        self.service_ports: list[tuple[str, dict[str, Any], ServicePort]] = []
        self.references: list[Reference] = []  # Ingress backends, HPA targets, ConfigMaps, Secrets
        self.autoscaled: list[tuple[Reference, frozenset[str]]] = []
        self.budgets: dict[str, list[dict[str, Any]]] = defaultdict(list)  # PDB selectors by namespace
        self.present: dict[str, set[tuple[str, str]]] = defaultdict(set)  # kind -> {(namespace, name)}
        self.kinds_in: set[tuple[str, str]] = set()  # (kind, namespace) the set holds
        self.tokens: list[tuple[str, str, Where]] = []  # pods that mount a token by default
        self.no_token_accounts: set[tuple[str, str]] = set()
        self.interned: dict[frozenset[Any], frozenset[Any]] = {}  # equal small sets shared, not repeated

    def add(self, manifest: Manifest) -> None:
        """Remember what the set checks need of this object."""
        kind, name, namespace = manifest.kind, manifest.name, namespace_of(manifest)
        obj = mapping(manifest.obj)
        spec = mapping(obj.get("spec"))
        off = suppressed_ids(manifest)
        if kind in REFERABLE_KINDS:
            self.present[kind].add((namespace, name))
        self.kinds_in.add((kind, namespace))
        made = secret_made_by(manifest)
        if made:
            self.present["Secret"].add((namespace, made))
            self.kinds_in.add(("Secret", namespace))
        pod = pod_spec(manifest)
        if pod is not None and kind != "PodTemplate":
            self._pod(manifest, pod, namespace, off)
        elif kind == "Service":
            self._service(manifest, spec, namespace, off)
        elif kind == "Ingress":
            for service, port, path in ingress_backends(spec):
                self.references.append(
                    Reference("Service", namespace, service, port, where(manifest, path, off))
                )
        elif kind == "HorizontalPodAutoscaler":
            target = mapping(spec.get("scaleTargetRef"))
            target_kind, target_name = target.get("kind"), target.get("name")
            if isinstance(target_kind, str) and isinstance(target_name, str):
                at = where(manifest, ("spec", "scaleTargetRef", "name"), off)
                reference = Reference(target_kind, namespace, target_name, None, at)
                self.references.append(reference)
                self.autoscaled.append((reference, hpa_resources(manifest)))
        elif kind == "PodDisruptionBudget" and isinstance(spec.get("selector"), dict):
            self.budgets[namespace].append(spec["selector"])
        elif kind == "ServiceAccount" and obj.get("automountServiceAccountToken") is False:
            self.no_token_accounts.add((namespace, name))

    def _pod(self, manifest: Manifest, pod: PodSpec, namespace: str, off: frozenset[str]) -> None:
        names, numbers = container_ports(pod)
        spec = mapping(mapping(manifest.obj).get("spec"))
        replicas = replica_count(manifest.kind, spec)
        at = where(manifest, ("spec", "replicas"), off) if replicas > 1 else None  # only K8S_NO_PDB needs it
        self.workloads[namespace].append(
            Workload(
                manifest.kind,
                manifest.name,
                namespace,
                pod.labels,
                self.intern(names),
                self.intern(numbers),
                self.intern(requested(pod)),
                replicas,
                at,
            )
        )
        self.kinds_in.add(("workload", namespace))
        seen: set[tuple[str, str]] = set()
        for kind, name, path in config_references(pod):
            if (kind, name) not in seen and (kind, name) not in ALWAYS_PRESENT:
                seen.add((kind, name))
                self.references.append(Reference(kind, namespace, name, None, where(manifest, path, off)))
        if "automountServiceAccountToken" not in pod.spec:
            account = pod.spec.get("serviceAccountName") or pod.spec.get("serviceAccount") or "default"
            self.tokens.append((namespace, str(account), where(manifest, pod.path, off)))

    def _service(self, manifest: Manifest, spec: dict[str, Any], namespace: str, off: frozenset[str]) -> None:
        numbers: set[int] = set()
        names: set[str] = set()
        ports: list[ServicePort] = []
        for index, item in enumerate(sequence(spec.get("ports"))):
            port = mapping(item)
            number, name, target = as_int(port.get("port")), port.get("name"), port.get("targetPort")
            if number is not None:
                numbers.add(number)
            if isinstance(name, str):
                names.add(name)
            if isinstance(target, str) and target.isdigit():
                target = int(target)
            shown_target = target if isinstance(target, (int, str)) and not isinstance(target, bool) else None
            path = ("spec", "ports", index, "targetPort" if "targetPort" in port else "port")
            ports.append(
                ServicePort(
                    number, name if isinstance(name, str) else None, shown_target, where(manifest, path, off)
                )
            )
        self.services[(namespace, manifest.name)] = (
            self.intern(frozenset(numbers)),
            self.intern(frozenset(names)),
        )
        selector = spec.get("selector")
        if isinstance(selector, dict) and selector and spec.get("type") != "ExternalName":
            self.selectors.append((namespace, selector, where(manifest, ("spec", "selector"), off)))
            self.service_ports.extend((namespace, selector, port) for port in ports)

    def intern(self, value: frozenset[T]) -> frozenset[T]:
        """One shared copy of each distinct small set (most workloads declare the same few ports)."""
        return self.interned.setdefault(value, value)

    def findings(self, options: PolicyOptions) -> list[Finding]:
        """Problems that only show across objects."""
        return judge(self, normalized(options.ignored))
