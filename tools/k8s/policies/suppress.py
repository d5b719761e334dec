"""Which policies are switched off for one object: by the run's options, or by its annotation."""

from __future__ import annotations

import functools
import re
from typing import Any

from tools.k8s.manifests import Manifest
from tools.k8s.policies.pods import TEMPLATE_PATHS

IGNORE_ANNOTATION = "shipmate.dev/ignore"
_SEPARATORS = re.compile(r"[\s,;]+")
NONE: frozenset[str] = frozenset()  # shared: most objects suppress nothing, and set facts keep this


def suppressed_ids(manifest: Manifest) -> frozenset[str]:
    """Policy ids named in the `shipmate.dev/ignore` annotation of the object or of its pod template."""
    found = _ids(manifest.metadata)
    template: Any = manifest.obj
    path = TEMPLATE_PATHS.get(manifest.kind)
    if path:  # a Pod's template is the object itself
        for step in path:
            template = template.get(step) if isinstance(template, dict) else None
        if isinstance(template, dict) and isinstance(template.get("metadata"), dict):
            found |= _ids(template["metadata"])
    return frozenset(found) if found else NONE


def switched_off(manifest: Manifest, ignored: frozenset[str]) -> frozenset[str]:
    """The run's ignored ids (in any case) plus the object's own suppressions."""
    run = normalized(ignored)
    own = suppressed_ids(manifest)
    return run | own if own else run


@functools.lru_cache(maxsize=16)
def normalized(ignored: frozenset[str]) -> frozenset[str]:
    """Policy ids as the catalogue spells them (upper case)."""
    return frozenset(policy_id.strip().upper() for policy_id in ignored)


def _ids(metadata: dict[str, Any]) -> set[str]:
    annotations = metadata.get("annotations")
    if not isinstance(annotations, dict):
        return set()
    value = annotations.get(IGNORE_ANNOTATION)
    if not isinstance(value, str):
        return set()
    return {part.upper() for part in _SEPARATORS.split(value) if part}
