"""Broken-cluster scenarios: what `kubectl get -o yaml` shows for realistic failures, with logs.

Each file in tests/data/cluster/scenarios/ holds one scenario:

    name: crashloop-missing-env
    description: ...
    namespace: shop              # or `all_namespaces: true`
    label_selector: ""           # optional, applied to pods and workloads (see LABEL_FILTERED_KINDS)
    forbidden: [events, nodes]   # kinds the identity may not list ("pods@shop": one namespace only)
    objects: [full API objects, with kind and apiVersion]
    logs: {"shop/api-7d9f8c6b5-x2k4p/api": {"current": "...", "previous": "..."}}
    expected:
      - category: container.config.missing_env       # a taxonomy `kubernetes:` id
        resource: Pod/shop/api-7d9f8c6b5-*            # exact, prefix ending in '*', or a list of either
        role: cause                                   # optional
        evidence: [DATABASE_URL]                      # optional: substrings of the evidence texts
        without_logs: container.crash.app_error       # optional: the category before log causes are known
    not_expected: [container.oom]
    no_findings: false            # true: the analysis must find nothing at all

`snapshot_from_scenario` builds a ClusterSnapshot directly (no server) so analyzers can be
tested on every scenario; `check_findings` says what a list of findings gets wrong.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import yaml

from tests.support.label_selector import matches, parse_selector
from tools.kube.read import LABEL_SELECTABLE, api_group
from tools.kube.snapshot import CLUSTER_KINDS, KIND_NAMES, NAMESPACED_KINDS, ClusterSnapshot, LogKey

SCENARIOS = Path(__file__).resolve().parent.parent / "data" / "cluster" / "scenarios"
TAXONOMY = Path(__file__).resolve().parent.parent.parent / "knowledge" / "taxonomy.yaml"

# Kind -> plural key ("Pod" -> "pods"); Namespace objects are served, not kept in snapshots.
PLURALS = {kind: plural for plural, kind in KIND_NAMES.items()}
METADATA_ONLY = ("configmaps", "secrets")
# As the reader: a label selector narrows LABEL_SELECTABLE; events, quotas, nodes, volumes,
# ConfigMaps and Secrets are read whole (references to them can then be checked).
LABEL_FILTERED_KINDS = LABEL_SELECTABLE


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser reads the big files 10x faster


@dataclass
class Scenario:
    """One broken (or healthy) cluster state and what an analysis must find in it."""

    name: str
    description: str
    namespace: str | None
    all_namespaces: bool
    label_selector: str
    objects: list[dict[str, Any]]
    logs: dict[str, dict[str, str]]
    forbidden: list[str]
    expected: list[dict[str, Any]]
    not_expected: list[str]
    no_findings: bool = False
    path: Path = field(default=Path())

    def namespaces(self) -> list[str] | None:
        """The namespaces read (None: all)."""
        return None if self.all_namespaces or not self.namespace else [self.namespace]


def kubernetes_categories() -> set[str]:
    """The taxonomy's `kubernetes:` category ids."""
    data = yaml.safe_load(TAXONOMY.read_text(encoding="utf-8"))
    return set(data["kubernetes"])


def load_scenario(path: Path) -> Scenario:
    """Read and check one scenario file."""
    raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    scenario = Scenario(
        name=raw["name"],
        description=raw.get("description", ""),
        namespace=raw.get("namespace"),
        all_namespaces=bool(raw.get("all_namespaces", False)),
        label_selector=raw.get("label_selector") or "",
        objects=raw.get("objects") or [],
        logs=raw.get("logs") or {},
        forbidden=list(raw.get("forbidden") or []),
        expected=list(raw.get("expected") or []),
        not_expected=list(raw.get("not_expected") or []),
        no_findings=bool(raw.get("no_findings", False)),
        path=path,
    )
    _check(scenario)
    return scenario


def load_scenarios(names: Iterable[str] = ()) -> list[Scenario]:
    """Every scenario (or those named), sorted by file name."""
    wanted = set(names)
    found = [load_scenario(p) for p in sorted(SCENARIOS.glob("*.yaml"))]
    return [s for s in found if not wanted or s.name in wanted]


def _check(s: Scenario) -> None:
    known = kubernetes_categories()
    for entry in s.expected:
        for key in ("category", "without_logs"):
            if key in entry and entry[key] not in known:
                raise ValueError(f"{s.path.name}: {entry[key]!r} is not a kubernetes taxonomy category")
        if "resource" not in entry:
            raise ValueError(f"{s.path.name}: expected entry without resource: {entry}")
    for category in s.not_expected:
        if category not in known:
            raise ValueError(f"{s.path.name}: not_expected {category!r} is not a taxonomy category")
    for obj in s.objects:
        if obj.get("kind") != "Namespace" and obj.get("kind") not in PLURALS:
            raise ValueError(f"{s.path.name}: unknown kind {obj.get('kind')!r}")


def plural(obj: dict[str, Any]) -> str:
    """The kind key an object is stored under ("pods" for a Pod)."""
    return PLURALS.get(str(obj.get("kind")), str(obj.get("kind", "")).lower() + "s")


def metadata_only(obj: dict[str, Any]) -> dict[str, Any]:
    """What the reader keeps of a ConfigMap or Secret: its metadata, nothing else."""
    return {"metadata": copy.deepcopy(obj.get("metadata") or {})}


def forbidden_kinds(entries: Iterable[str], namespaces: list[str] | None) -> dict[str, str]:
    """Kind key -> missing permission, worded as tools/kube/read.py records a 403."""
    result: dict[str, str] = {}
    for entry in entries:
        kind, _, only_in = entry.partition("@")
        if kind not in KIND_NAMES:
            continue  # e.g. "pods/log": a log permission, not a listed kind
        group = f" ({api_group(kind)})" if api_group(kind) else ""
        if kind in CLUSTER_KINDS or namespaces is None:
            result[kind] = f"list {kind}{group} at the cluster scope (all namespaces)"
        elif not only_in or only_in in namespaces:
            result[kind] = f"list {kind}{group} in namespace {only_in or namespaces[0]}"
    return result


def snapshot_from_scenario(s: Scenario, context: str = "scenario") -> ClusterSnapshot:
    """The snapshot a reader would build from the scenario's cluster (no server involved)."""
    namespaces = s.namespaces()
    requirements = parse_selector(s.label_selector)
    forbidden = forbidden_kinds(s.forbidden, namespaces)
    objects: dict[str, list[dict[str, Any]]] = {
        kind: [] for kind in (*NAMESPACED_KINDS, *CLUSTER_KINDS) if kind not in forbidden
    }
    for obj in s.objects:
        kind = plural(obj)
        if kind not in objects:
            continue
        meta = obj.get("metadata") or {}
        if kind in NAMESPACED_KINDS and namespaces is not None and meta.get("namespace") not in namespaces:
            continue
        if kind in LABEL_FILTERED_KINDS and not matches(requirements, meta.get("labels") or {}):
            continue
        item = metadata_only(obj) if kind in METADATA_ONLY else copy.deepcopy(obj)
        # list items come without kind and apiVersion, as the API sends them
        item.pop("kind", None)
        item.pop("apiVersion", None)
        objects[kind].append(item)
    logs: dict[LogKey, str] = {}
    for key, texts in s.logs.items():
        namespace, pod, container = key.split("/")
        for which, text in texts.items():
            logs[LogKey(namespace, pod, container, previous=which == "previous")] = text
    return ClusterSnapshot(
        context=context, namespaces=namespaces, objects=objects, logs=logs, forbidden=forbidden
    )


class FindingLike(Protocol):
    """What check_findings reads of a Finding."""

    category: str
    resource: str | None
    role: str

    @property
    def evidence(self) -> Sequence[Any]: ...


def resource_matches(pattern: str | list[str], resource: str | None) -> bool:
    """True when `resource` is the pattern (or one of them); a pattern ending in '*' is a prefix."""
    if resource is None:
        return False
    patterns = [pattern] if isinstance(pattern, str) else pattern
    return any(resource.startswith(p[:-1]) if p.endswith("*") else resource == p for p in patterns)


def check_findings(s: Scenario, findings: Sequence[FindingLike], *, with_logs: bool = True) -> list[str]:
    """What the findings get wrong for this scenario (empty when right).

    With `with_logs=False` (analyzers alone, before log causes), an expected entry with
    `without_logs` is met by either that category or the final one.
    """
    problems: list[str] = []
    if s.no_findings and findings:
        problems.append(f"{s.name}: expected no findings, got {[(f.category, f.resource) for f in findings]}")
    for entry in s.expected:
        categories = {entry["category"]}
        if not with_logs and entry.get("without_logs"):
            categories.add(entry["without_logs"])
        candidates = [
            f
            for f in findings
            if f.category in categories and resource_matches(entry["resource"], f.resource)
        ]
        if entry.get("role"):
            candidates = [f for f in candidates if f.role == entry["role"]]
        wanted = entry.get("evidence") or []
        if wanted:
            candidates = [f for f in candidates if all(any(w in e.text for e in f.evidence) for w in wanted)]
        if not candidates:
            got = [(f.category, f.resource, f.role) for f in findings]
            problems.append(f"{s.name}: missing {entry}; got {got}")
    for category in s.not_expected:
        hits = [f.resource for f in findings if f.category == category]
        if hits:
            problems.append(f"{s.name}: unexpected {category} on {hits}")
    return problems
