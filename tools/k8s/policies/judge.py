"""The judging half of the set checks: from the remembered facts to findings."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any

from tools.findings import Finding
from tools.k8s.policies.emit import make_finding
from tools.k8s.policies.facts import Reference, Where, Workload
from tools.k8s.policies.selectors import map_matches, selector_matches

if TYPE_CHECKING:
    from tools.k8s.policies.consistency import SetChecks

SCALABLE_KINDS = frozenset(
    {"Deployment", "StatefulSet", "ReplicaSet", "ReplicationController", "DeploymentConfig"}
)
CONFIDENCE = 0.9  # the set may still miss objects applied from elsewhere


def judge(facts: SetChecks, ignored: frozenset[str]) -> list[Finding]:
    """Every set-wide finding, leaving out ignored policies and the ones an object suppressed."""
    found: list[Finding] = []

    def report(policy_id: str, at: Where, text: str) -> None:
        if policy_id not in ignored and policy_id not in at.off:
            found.append(make_finding(policy_id, at.source, at.line, at.resource, at.field, text, CONFIDENCE))

    _services(facts, report)
    for reference in facts.references:
        _reference(facts, reference, report)
    _autoscaled(facts, report)
    _budgets_and_tokens(facts, report)
    return found


Reporter = Callable[[str, Where, str], None]


def _services(facts: SetChecks, report: Reporter) -> None:
    index = LabelIndex(facts.workloads)
    for namespace, selector, at in facts.selectors:
        if facts.workloads.get(namespace) and not index.matching(namespace, selector):
            shown = ", ".join(f"{k}={v}" for k, v in selector.items())
            report("K8S_SERVICE_NO_MATCH", at, f"no pod template in namespace {namespace} has labels {shown}")
    for namespace, selector, port in facts.service_ports:
        selected = index.matching(namespace, selector)
        if not selected:
            continue
        target = port.target if port.target is not None else port.port
        if isinstance(target, str):
            if not any(target in w.port_names for w in selected):
                report(
                    "K8S_SERVICE_TARGET_PORT",
                    port.at,
                    f"targetPort {target}: no selected pod names a port so",
                )
        elif isinstance(target, int):
            declared = [w for w in selected if w.port_numbers]
            if declared and not any(target in w.port_numbers for w in declared):
                report(
                    "K8S_SERVICE_TARGET_PORT",
                    port.at,
                    f"targetPort {target}: not a containerPort of the selected pods",
                )


class LabelIndex:
    """Workloads by (namespace, label key, value): a selector is checked against a few candidates, not all."""

    def __init__(self, workloads: dict[str, list[Workload]]) -> None:
        self.by_label: dict[tuple[str, str, Any], list[Workload]] = defaultdict(list)
        for namespace, items in workloads.items():
            for workload in items:
                for key, value in workload.labels.items():
                    if isinstance(value, Hashable):
                        self.by_label[(namespace, key, value)].append(workload)

    def matching(self, namespace: str, selector: dict[str, Any]) -> list[Workload]:
        """The workloads of the namespace whose pod labels include every pair of a plain selector."""
        candidates: list[Workload] | None = None
        for key, value in selector.items():
            found = self.by_label.get((namespace, key, value), []) if isinstance(value, Hashable) else []
            if candidates is None or len(found) < len(candidates):
                candidates = found
        return [w for w in candidates or [] if map_matches(selector, w.labels)]


def _reference(facts: SetChecks, reference: Reference, report: Reporter) -> None:
    kind, namespace, name = reference.kind, reference.namespace, reference.name
    if kind == "Service":
        if ("Service", namespace) not in facts.kinds_in:
            return
        ports = facts.services.get((namespace, name))
        if ports is None:
            report("K8S_INGRESS_BACKEND", reference.at, f"no Service {name} in namespace {namespace}")
        elif isinstance(reference.port, int) and reference.port not in ports[0]:
            report("K8S_INGRESS_BACKEND", reference.at, f"Service {name} has no port {reference.port}")
        elif isinstance(reference.port, str) and reference.port not in ports[1]:
            report("K8S_INGRESS_BACKEND", reference.at, f"Service {name} has no port named {reference.port}")
    elif kind in ("ConfigMap", "Secret"):
        if (kind, namespace) in facts.kinds_in and (namespace, name) not in facts.present[kind]:
            policy_id = "K8S_MISSING_CONFIGMAP" if kind == "ConfigMap" else "K8S_MISSING_SECRET"
            report(policy_id, reference.at, f"no {kind} {name} in namespace {namespace}")
    elif (
        kind in SCALABLE_KINDS
        and ("workload", namespace) in facts.kinds_in
        and (namespace, name) not in facts.present[kind]
    ):
        report("K8S_HPA_TARGET", reference.at, f"no {kind} {name} in namespace {namespace}")


def _autoscaled(facts: SetChecks, report: Reporter) -> None:
    wanted = {(r.namespace, r.kind, r.name) for r, resources in facts.autoscaled if resources}
    targets = {
        (w.namespace, w.kind, w.name): w
        for items in facts.workloads.values()
        for w in items
        if (w.namespace, w.kind, w.name) in wanted
    }
    for reference, resources in facts.autoscaled:
        workload = targets.get((reference.namespace, reference.kind, reference.name))
        missing = sorted(resources - workload.requests) if workload is not None else []
        if workload is not None and missing:
            report(
                "K8S_HPA_NO_REQUESTS",
                reference.at,
                f"{workload.kind} {workload.name}: a container has no {' or '.join(missing)} request",
            )


def _budgets_and_tokens(facts: SetChecks, report: Reporter) -> None:
    for namespace, workloads in facts.workloads.items():
        budgets = BudgetIndex(facts.budgets.get(namespace, []))
        for workload in workloads:
            if workload.at is not None and not budgets.selects(workload.labels):
                report(
                    "K8S_NO_PDB",
                    workload.at,
                    f"{workload.replicas} replicas and no PodDisruptionBudget selects them",
                )
    for namespace, account, at in facts.tokens:
        if (namespace, account) not in facts.no_token_accounts:
            report(
                "K8S_SA_TOKEN_AUTOMOUNT",
                at,
                f"automountServiceAccountToken not set (service account {account})",
            )


class BudgetIndex:
    """A namespace's PodDisruptionBudget selectors, by one of their matchLabels pairs."""

    def __init__(self, selectors: list[dict[str, Any]]) -> None:
        self.by_label: dict[tuple[str, Any], list[dict[str, Any]]] = defaultdict(list)
        self.others: list[dict[str, Any]] = []  # no usable matchLabels: checked against every workload
        for selector in selectors:
            labels = selector.get("matchLabels")
            pair = next(iter(labels.items()), None) if isinstance(labels, dict) else None
            if pair is not None and isinstance(pair[1], Hashable):
                self.by_label[pair].append(selector)
            else:
                self.others.append(selector)

    def selects(self, labels: dict[str, Any]) -> bool:
        """True when one of the budgets selects pods with these labels."""
        for pair in labels.items():
            candidates = self.by_label.get(pair, []) if isinstance(pair[1], Hashable) else []
            if any(selector_matches(s, labels) for s in candidates):
                return True
        return any(selector_matches(s, labels) for s in self.others)
