"""Where each workload kind keeps its pod spec, and the containers inside it, found in one walk.

Every pod-level policy works on a `PodSpec`: the spec mapping, the pod template's metadata
(annotations and labels live there) and every container of every group, each with the
path that leads to it, so findings can name the field and its line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tools.k8s.manifests import Manifest

Path = tuple[str | int, ...]

_TEMPLATE = ("spec", "template")
# Where the pod template (metadata + spec) sits in each kind; a Pod is its own template.
TEMPLATE_PATHS: dict[str, Path] = {
    "Pod": (),
    "Deployment": _TEMPLATE,
    "StatefulSet": _TEMPLATE,
    "DaemonSet": _TEMPLATE,
    "ReplicaSet": _TEMPLATE,
    "ReplicationController": _TEMPLATE,
    "Job": _TEMPLATE,
    "DeploymentConfig": _TEMPLATE,  # OpenShift
    "PodTemplate": ("template",),
    "CronJob": ("spec", "jobTemplate", "spec", "template"),
}
RUN_TO_COMPLETION_KINDS = frozenset({"Job", "CronJob"})
CONTAINER_GROUPS = ("initContainers", "containers", "ephemeralContainers")
EMPTY: dict[str, Any] = {}  # shared read-only default: never written to


@dataclass(frozen=True, slots=True)
class Container:
    """One container of a pod spec."""

    path: Path  # e.g. ("spec", "template", "spec", "containers", 0)
    spec: dict[str, Any]
    group: str  # "containers", "initContainers" or "ephemeralContainers"
    name: str

    @property
    def security_context(self) -> dict[str, Any]:
        """The container's securityContext (empty when missing or malformed)."""
        return mapping(self.spec.get("securityContext"))

    def describe(self) -> str:
        """How evidence names the container: `init container 'setup'`."""
        prefix = {"initContainers": "init container", "ephemeralContainers": "ephemeral container"}
        return f"{prefix.get(self.group, 'container')} '{self.name}'"


@dataclass(frozen=True, slots=True)
class PodSpec:
    """The pod spec of a workload, where it sits, and its containers."""

    path: Path  # path of the spec mapping itself
    spec: dict[str, Any]
    metadata: dict[str, Any]  # the pod template's metadata (the object's own for a Pod)
    containers: tuple[Container, ...]

    @property
    def security_context(self) -> dict[str, Any]:
        """The pod-level securityContext (empty when missing or malformed)."""
        return mapping(self.spec.get("securityContext"))

    @property
    def annotations(self) -> dict[str, Any]:
        """The pod template's annotations."""
        return mapping(self.metadata.get("annotations"))

    @property
    def labels(self) -> dict[str, Any]:
        """The pod template's labels."""
        return mapping(self.metadata.get("labels"))

    def regular(self) -> tuple[Container, ...]:
        """The long-running containers (not init or ephemeral ones)."""
        return tuple(c for c in self.containers if c.group == "containers")

    def runnable(self) -> tuple[Container, ...]:
        """Init and regular containers: the ones that take resources and ports."""
        return tuple(c for c in self.containers if c.group != "ephemeralContainers")


def mapping(value: Any) -> dict[str, Any]:
    """`value` when it is a mapping, else an empty one (malformed input is judged as missing)."""
    return value if isinstance(value, dict) else EMPTY


def sequence(value: Any) -> list[Any]:
    """`value` when it is a list, else an empty one."""
    return value if isinstance(value, list) else []


def pod_spec(manifest: Manifest) -> PodSpec | None:
    """The pod spec of a Pod or workload object; None for other kinds or a malformed template."""
    template_path = TEMPLATE_PATHS.get(manifest.kind)
    if template_path is None or manifest.obj is None:
        return None
    template: Any = manifest.obj
    for step in template_path:
        template = template.get(step) if isinstance(template, dict) else None
    if not isinstance(template, dict):
        return None
    spec = template.get("spec")
    if not isinstance(spec, dict):
        return None
    spec_path = (*template_path, "spec")
    containers: list[Container] = []
    for group in CONTAINER_GROUPS:
        items = spec.get(group)
        if not isinstance(items, list):
            continue
        for index, item in enumerate(items):
            if isinstance(item, dict):
                name = item.get("name")
                label = name if isinstance(name, str) and name else f"#{index}"
                containers.append(Container((*spec_path, group, index), item, group, label))
    return PodSpec(spec_path, spec, mapping(template.get("metadata")), tuple(containers))


def dotted(path: Path) -> str:
    """`spec.containers[0].image` for ("spec", "containers", 0, "image")."""
    parts: list[str] = []
    for step in path:
        if isinstance(step, int):
            parts.append(f"[{step}]")
        elif parts:
            parts.append(f".{step}")
        else:
            parts.append(step)
    return "".join(parts)


def as_int(value: Any) -> int | None:
    """An integer field's value, or None when it is missing or not an integer (booleans are not)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return None
