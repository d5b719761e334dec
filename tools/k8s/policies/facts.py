"""The compact facts the set-wide checks keep of each object: names, labels, selectors, ports, references.

Objects are dropped after they are checked (inputs go up to 100,000 objects), so nothing
here keeps a whole object: only small values and the lines findings will point at.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from tools.k8s.manifests import Manifest
from tools.k8s.policies.pods import Path, PodSpec, as_int, dotted, mapping, sequence


@dataclass(frozen=True, slots=True)
class Where:
    """Where a set finding points: the object, its line and field, and the policies it switched off."""

    source: str
    line: int
    resource: str
    field: str | None
    off: frozenset[str]


def where(manifest: Manifest, path: Path, off: frozenset[str]) -> Where:
    """The location of `path` in `manifest`."""
    return Where(manifest.source, manifest.line_of(path), manifest.label(), dotted(path) or None, off)


@dataclass(frozen=True, slots=True)
class Workload:
    """A Pod or workload: what Services, autoscalers and budgets are matched against."""

    kind: str
    name: str
    namespace: str
    labels: dict[str, Any]  # the pod template's labels (the object's own small mapping, not a copy)
    port_names: frozenset[str]
    port_numbers: frozenset[int]
    requests: frozenset[str]  # resources every regular container requests (or limits)
    replicas: int
    at: Where | None  # kept only for replicated workloads (the budget check reports there)


@dataclass(frozen=True, slots=True)
class ServicePort:
    """One port of a Service."""

    port: int | None
    name: str | None
    target: int | str | None  # None: it defaults to `port`
    at: Where


@dataclass(frozen=True, slots=True)
class Reference:
    """A name one object uses to point at another (a Service, a ConfigMap, a Secret, a workload)."""

    kind: str
    namespace: str
    name: str
    port: int | str | None
    at: Where


def namespace_of(manifest: Manifest) -> str:
    """The object's namespace, `default` when it names none (where kubectl's default context puts it)."""
    return manifest.namespace or "default"


def container_ports(pod: PodSpec) -> tuple[frozenset[str], frozenset[int]]:
    """Names and numbers of the ports the pod's containers declare."""
    names: set[str] = set()
    numbers: set[int] = set()
    for container in pod.runnable():
        for item in sequence(container.spec.get("ports")):
            port = mapping(item)
            number = as_int(port.get("containerPort"))
            if number is not None:
                numbers.add(number)
            name = port.get("name")
            if isinstance(name, str):
                names.add(name)
    return frozenset(names), frozenset(numbers)


def requested(pod: PodSpec) -> frozenset[str]:
    """The resources (cpu, memory) that every regular container requests, or limits (the request follows)."""
    found = {"cpu", "memory"}
    for container in pod.regular():
        resources = mapping(container.spec.get("resources"))
        requests, limits = mapping(resources.get("requests")), mapping(resources.get("limits"))
        found = {r for r in found if requests.get(r) is not None or limits.get(r) is not None}
    return frozenset(found)


def config_references(pod: PodSpec) -> Iterator[tuple[str, str, Path]]:
    """(kind, name, path) of every ConfigMap and Secret the pod needs (optional ones left out)."""
    for container in pod.containers:
        for index, item in enumerate(sequence(container.spec.get("env"))):
            source = mapping(mapping(item).get("valueFrom"))
            for key, kind in (("configMapKeyRef", "ConfigMap"), ("secretKeyRef", "Secret")):
                yield from _required(kind, source.get(key), (*container.path, "env", index, "valueFrom", key))
        for index, item in enumerate(sequence(container.spec.get("envFrom"))):
            for key, kind in (("configMapRef", "ConfigMap"), ("secretRef", "Secret")):
                yield from _required(kind, mapping(item).get(key), (*container.path, "envFrom", index, key))
    for index, item in enumerate(sequence(pod.spec.get("volumes"))):
        volume = mapping(item)
        base = (*pod.path, "volumes", index)
        yield from _required("ConfigMap", volume.get("configMap"), (*base, "configMap"))
        yield from _required("Secret", volume.get("secret"), (*base, "secret"), "secretName")
        for number, source in enumerate(sequence(mapping(volume.get("projected")).get("sources"))):
            for key, kind in (("configMap", "ConfigMap"), ("secret", "Secret")):
                yield from _required(
                    kind, mapping(source).get(key), (*base, "projected", "sources", number, key)
                )


def _required(kind: str, ref: Any, path: Path, name_key: str = "name") -> Iterator[tuple[str, str, Path]]:
    if isinstance(ref, dict) and ref.get("optional") is not True:
        name = ref.get(name_key)
        if isinstance(name, str) and name:
            yield kind, name, (*path, name_key)


def secret_made_by(manifest: Manifest) -> str | None:
    """The Secret a SealedSecret, ExternalSecret or cert-manager Certificate creates, if any."""
    spec = mapping(mapping(manifest.obj).get("spec"))
    kind = manifest.kind
    made: Any = None
    if kind == "SealedSecret":
        made = mapping(mapping(spec.get("template")).get("metadata")).get("name") or manifest.name
    elif kind == "ExternalSecret":
        made = mapping(spec.get("target")).get("name") or manifest.name
    elif kind == "Certificate" and manifest.api_version.startswith("cert-manager.io/"):
        made = spec.get("secretName")
    return made if isinstance(made, str) and made else None


def hpa_resources(manifest: Manifest) -> frozenset[str]:
    """Resources an autoscaler scales on by utilisation (so the target's containers must request them)."""
    spec = mapping(mapping(manifest.obj).get("spec"))
    if manifest.api_version == "autoscaling/v1":
        return frozenset({"cpu"})  # targetCPUUtilizationPercentage, 80% when unset
    metrics = sequence(spec.get("metrics"))
    if not metrics:
        return frozenset({"cpu"})  # the default policy: 80% average CPU utilisation
    found: set[str] = set()
    for item in metrics:
        metric = mapping(item)
        if metric.get("type") != "Resource":
            continue
        resource = mapping(metric.get("resource"))
        target = mapping(resource.get("target"))
        by_utilisation = target.get("type") == "Utilization" or "targetAverageUtilization" in resource
        name = resource.get("name")
        if by_utilisation and isinstance(name, str):
            found.add(name)
    return frozenset(found)


def ingress_backends(spec: dict[str, Any]) -> Iterator[tuple[str, int | str | None, Path]]:
    """(service name, port number or name, path) of every backend of an Ingress (v1 and v1beta1)."""
    for key in ("defaultBackend", "backend"):
        yield from _backend(spec.get(key), ("spec", key))
    for rule_index, rule in enumerate(sequence(spec.get("rules"))):
        paths = sequence(mapping(mapping(rule).get("http")).get("paths"))
        for path_index, entry in enumerate(paths):
            where = ("spec", "rules", rule_index, "http", "paths", path_index, "backend")
            yield from _backend(mapping(entry).get("backend"), where)


def _backend(backend: Any, path: Path) -> Iterator[tuple[str, int | str | None, Path]]:
    backend = mapping(backend)
    service = backend.get("service")
    if isinstance(service, dict):  # networking.k8s.io/v1
        port = mapping(service.get("port"))
        number = as_int(port.get("number"))
        name = port.get("name")
        if isinstance(service.get("name"), str):
            yield (
                service["name"],
                number if number is not None else (name if isinstance(name, str) else None),
                (*path, "service", "name"),
            )
    elif isinstance(backend.get("serviceName"), str):  # v1beta1
        port_value = backend.get("servicePort")
        value = as_int(port_value)
        shown = value if value is not None else (port_value if isinstance(port_value, str) else None)
        yield backend["serviceName"], shown, (*path, "serviceName")
