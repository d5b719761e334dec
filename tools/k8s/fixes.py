"""Mechanical fixes for Kubernetes findings, as proposals that keep comments and formatting.

A fix edits the YAML through ruamel.yaml's round-trip mode, document by document:
only the documents a fix touches are written out again, every other byte of the file
stays as it was, and the file's indentation style is kept. Fixes are limited to what
needs no judgement: add resource requests and limits, turn on runAsNonRoot, turn off
privilege escalation and privileged mode, drop all capabilities, set the runtime's
default seccomp profile, stop automounting the service-account token, pin an image
tag (as a placeholder a human must fill in), and add a TCP probe on the container's
first port.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from tools.findings import Finding
from tools.proposals import Proposal, file_edit_proposal

PIN_PLACEHOLDER = "REPLACE-WITH-A-PINNED-TAG"
_SEPARATOR = re.compile(r"^---", re.MULTILINE)
_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")

Fixer = Callable[[Any, Any], bool]  # (the document, the container or pod spec) -> changed


def _set(mapping: Any, key: str, value: Any) -> bool:
    if mapping.get(key) == value:
        return False
    mapping[key] = value
    return True


def _child(mapping: Any, key: str) -> Any:
    from ruamel.yaml.comments import CommentedMap

    if not isinstance(mapping.get(key), dict):
        mapping[key] = CommentedMap()
    return mapping[key]


def _resources(container: Any) -> bool:
    from ruamel.yaml.comments import CommentedMap

    resources = _child(container, "resources")
    changed = False
    requests = resources.get("requests") if isinstance(resources.get("requests"), dict) else None
    if requests is None:
        resources["requests"] = requests = CommentedMap()
    for key, value in (("cpu", "100m"), ("memory", "128Mi")):
        if key not in requests:
            requests[key] = value
            changed = True
    limits = resources.get("limits") if isinstance(resources.get("limits"), dict) else None
    if limits is None:
        resources["limits"] = limits = CommentedMap()
    if "memory" not in limits:
        limits["memory"] = "256Mi"
        changed = True
    return changed


def _pin_tag(container: Any) -> bool:
    image = container.get("image")
    if not isinstance(image, str) or "@" in image:
        return False
    name, _, tag = image.rpartition(":") if ":" in image.rsplit("/", 1)[-1] else (image, "", "")
    if tag and tag != "latest":
        return False
    container["image"] = f"{name}:{PIN_PLACEHOLDER}"
    return True


def _probe(kind: str) -> Callable[[Any], bool]:
    def add(container: Any) -> bool:
        from ruamel.yaml.comments import CommentedMap

        ports = container.get("ports")
        if kind in container or not isinstance(ports, list) or not ports or not isinstance(ports[0], dict):
            return False
        port = ports[0].get("name") or ports[0].get("containerPort")
        if port is None:
            return False
        probe = CommentedMap()
        probe["tcpSocket"] = CommentedMap(port=port)
        probe["initialDelaySeconds"] = 5
        probe["periodSeconds"] = 10
        container[kind] = probe
        return True

    return add


def _container_security(key: str, value: Any) -> Callable[[Any], bool]:
    return lambda container: _set(_child(container, "securityContext"), key, value)


def _drop_all(container: Any) -> bool:
    capabilities = _child(_child(container, "securityContext"), "capabilities")
    drop = capabilities.get("drop")
    if isinstance(drop, list) and any(str(item).upper() == "ALL" for item in drop):
        return False
    capabilities["drop"] = ["ALL"]
    return True


def _seccomp(pod_spec: Any) -> bool:
    profile = _child(_child(pod_spec, "securityContext"), "seccompProfile")
    return _set(profile, "type", "RuntimeDefault")


def _no_token(pod_spec: Any) -> bool:
    return _set(pod_spec, "automountServiceAccountToken", False)


def _non_root(node: Any) -> bool:
    return _set(_child(node, "securityContext"), "runAsNonRoot", True)


# policy id -> the edit; container fixes need a containers[i] in the finding's field path,
# pod fixes edit the pod spec, and fixes in both tables go where the finding points
CONTAINER_FIXES: dict[str, Callable[[Any], bool]] = {
    "K8S_CPU_REQUEST": _resources,
    "K8S_MEMORY_REQUEST": _resources,
    "K8S_MEMORY_LIMIT": _resources,
    "K8S_RUN_AS_ROOT": _non_root,
    "K8S_ALLOW_PRIVILEGE_ESCALATION": _container_security("allowPrivilegeEscalation", False),
    "K8S_PRIVILEGED": _container_security("privileged", False),
    "K8S_DROP_ALL_CAPABILITIES": _drop_all,
    "K8S_NET_RAW": _drop_all,
    "K8S_LATEST_TAG": _pin_tag,
    "K8S_READINESS_PROBE": _probe("readinessProbe"),
    "K8S_LIVENESS_PROBE": _probe("livenessProbe"),
}
POD_FIXES: dict[str, Callable[[Any], bool]] = {
    "K8S_RUN_AS_ROOT": _non_root,
    "K8S_SECCOMP": _seccomp,
    "K8S_SA_TOKEN_AUTOMOUNT": _no_token,
}


def field_steps(field_path: str) -> list[str | int]:
    """`spec.containers[0].image` -> ['spec', 'containers', 0, 'image']."""
    return [int(index) if index else name for name, index in _STEP.findall(field_path)]


def fixable(finding: Finding) -> bool:
    """True when a mechanical fix exists for this finding."""
    return finding.id in CONTAINER_FIXES or finding.id in POD_FIXES


def propose_fixes(root: Path, findings: Sequence[Finding]) -> list[Proposal]:
    """One proposal per file with every mechanical fix for its findings (files outside `root` are left)."""
    by_file: dict[str, list[Finding]] = {}
    for finding in findings:
        if fixable(finding) and finding.evidence and finding.evidence[0].source not in ("stdin", "-"):
            by_file.setdefault(finding.evidence[0].source, []).append(finding)
    proposals = []
    for source, file_findings in sorted(by_file.items()):
        path = Path(source)
        text = path.read_text(encoding="utf-8")
        new_text, applied = fix_text(text, file_findings)
        if applied:
            title = f"{path.name}: " + ", ".join(sorted(set(applied)))
            rationale = f"Mechanical fixes for {len(applied)} findings; review placeholders before applying."
            proposals.append(
                file_edit_proposal(root, path, new_text, title, rationale, origin="shipmate validate --fix")
            )
    return proposals


def fix_text(text: str, findings: Sequence[Finding]) -> tuple[str, list[str]]:
    """The text with the fixes applied to the documents the findings point into; and the ids fixed."""
    starts = [0] + [m.start() for m in _SEPARATOR.finditer(text) if m.start() > 0]
    chunks = [text[a:b] for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]
    first_lines = [text.count("\n", 0, start) + 1 for start in starts]
    applied: list[str] = []
    for index, chunk in enumerate(chunks):
        end = first_lines[index + 1] if index + 1 < len(first_lines) else text.count("\n") + 2
        mine = [f for f in findings if first_lines[index] <= f.evidence[0].line < end]
        if mine:
            fixed, ids = _fix_chunk(chunk, mine)
            if ids:
                chunks[index] = fixed
                applied.extend(ids)
    return "".join(chunks), applied


def _fix_chunk(chunk: str, findings: Sequence[Finding]) -> tuple[str, list[str]]:
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    mapping, sequence, offset = _indentation(chunk)
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    document = yaml.load(chunk)
    if not isinstance(document, dict):
        return chunk, []
    ids = []
    for finding in findings:
        found = _target(document, finding)
        if found is None:
            continue
        scope, target = found
        fixer = CONTAINER_FIXES[finding.id] if scope == "container" else POD_FIXES[finding.id]
        if fixer(target):
            ids.append(finding.id)
    if not ids:
        return chunk, []
    out = io.StringIO()
    if chunk.startswith("---"):
        yaml.explicit_start = True
    yaml.dump(document, out)
    return out.getvalue(), ids


def _target(document: Any, finding: Finding) -> tuple[str, Any] | None:
    """('container' or 'pod', the node) the finding's field path points into."""
    steps = field_steps(finding.field_path or "")
    for cut in range(len(steps) - 1, -1, -1):
        if isinstance(steps[cut], int) and cut > 0 and steps[cut - 1] in ("containers", "initContainers"):
            node = _walk(document, steps[: cut + 1])
            if finding.id in CONTAINER_FIXES:
                return ("container", node) if isinstance(node, dict) else None
            pod = _walk(document, steps[: cut - 1])
            return ("pod", pod) if isinstance(pod, dict) else None
    if finding.id in POD_FIXES:
        for prefix in (
            ["spec", "jobTemplate", "spec", "template", "spec"],
            ["spec", "template", "spec"],
            ["spec"],
        ):
            node = _walk(document, prefix)
            if isinstance(node, dict) and "containers" in node:
                return ("pod", node)
    return None


def _walk(node: Any, steps: Sequence[str | int]) -> Any:
    for step in steps:
        in_list = isinstance(step, int) and isinstance(node, list) and step < len(node)
        in_map = isinstance(step, str) and isinstance(node, dict) and step in node
        if not (in_list or in_map):
            return None
        node = node[step]
    return node


def _indentation(chunk: str) -> tuple[int, int, int]:
    """(mapping indent, sequence indent, dash offset) as the document already uses them."""
    mapping = 2
    for line in chunk.splitlines():
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        if indent and stripped and not stripped.startswith(("#", "- ")):
            mapping = indent
            break
    for previous, line in zip(chunk.splitlines(), chunk.splitlines()[1:], strict=False):
        stripped = line.lstrip(" ")
        if stripped.startswith("- ") and previous.rstrip().endswith(":"):
            offset = (len(line) - len(stripped)) - (len(previous) - len(previous.lstrip(" ")))
            return mapping, offset + 2, offset
    return mapping, mapping, 0
