"""Deprecated and removed API versions, by the target Kubernetes version.

From the Kubernetes deprecation guide
(https://kubernetes.io/docs/reference/using-api/deprecation-guide/): for each
apiVersion and kind, the minor version that deprecated it, the one that removed it
(None while it is still served) and what replaces it.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

from tools.k8s.manifests import Manifest
from tools.k8s.policies.emit import Report

ANY_KIND = "*"


class ApiChange(NamedTuple):
    """When an apiVersion of a kind was deprecated and removed, and its replacement."""

    deprecated: tuple[int, int]
    removed: tuple[int, int] | None
    replacement: str


def _table() -> dict[tuple[str, str], ApiChange]:
    rows: list[tuple[str, str, str, str | None, str]] = [
        # apiVersion, kinds (space-separated, * for all), deprecated, removed, replacement
        ("extensions/v1beta1", "Deployment DaemonSet ReplicaSet", "1.9", "1.16", "apps/v1"),
        ("extensions/v1beta1", "NetworkPolicy", "1.9", "1.16", "networking.k8s.io/v1"),
        ("extensions/v1beta1", "PodSecurityPolicy", "1.11", "1.16", "Pod Security Admission (PSP is gone)"),
        ("extensions/v1beta1", "Ingress", "1.14", "1.22", "networking.k8s.io/v1"),
        ("apps/v1beta1", "*", "1.9", "1.16", "apps/v1"),
        ("apps/v1beta2", "*", "1.9", "1.16", "apps/v1"),
        ("batch/v2alpha1", "CronJob", "1.8", "1.21", "batch/v1"),
        ("networking.k8s.io/v1beta1", "Ingress IngressClass", "1.19", "1.22", "networking.k8s.io/v1"),
        (
            "admissionregistration.k8s.io/v1beta1",
            "MutatingWebhookConfiguration ValidatingWebhookConfiguration",
            "1.16",
            "1.22",
            "admissionregistration.k8s.io/v1",
        ),
        (
            "apiextensions.k8s.io/v1beta1",
            "CustomResourceDefinition",
            "1.16",
            "1.22",
            "apiextensions.k8s.io/v1",
        ),
        ("apiregistration.k8s.io/v1beta1", "APIService", "1.19", "1.22", "apiregistration.k8s.io/v1"),
        ("authentication.k8s.io/v1beta1", "TokenReview", "1.19", "1.22", "authentication.k8s.io/v1"),
        ("authorization.k8s.io/v1beta1", "*", "1.19", "1.22", "authorization.k8s.io/v1"),
        (
            "certificates.k8s.io/v1beta1",
            "CertificateSigningRequest",
            "1.19",
            "1.22",
            "certificates.k8s.io/v1",
        ),
        ("coordination.k8s.io/v1beta1", "Lease", "1.19", "1.22", "coordination.k8s.io/v1"),
        ("rbac.authorization.k8s.io/v1beta1", "*", "1.17", "1.22", "rbac.authorization.k8s.io/v1"),
        ("rbac.authorization.k8s.io/v1alpha1", "*", "1.17", "1.22", "rbac.authorization.k8s.io/v1"),
        ("scheduling.k8s.io/v1beta1", "PriorityClass", "1.14", "1.22", "scheduling.k8s.io/v1"),
        (
            "storage.k8s.io/v1beta1",
            "CSIDriver CSINode StorageClass VolumeAttachment",
            "1.19",
            "1.22",
            "storage.k8s.io/v1",
        ),
        ("batch/v1beta1", "CronJob", "1.21", "1.25", "batch/v1"),
        ("discovery.k8s.io/v1beta1", "EndpointSlice", "1.21", "1.25", "discovery.k8s.io/v1"),
        ("events.k8s.io/v1beta1", "Event", "1.19", "1.25", "events.k8s.io/v1"),
        ("autoscaling/v2beta1", "HorizontalPodAutoscaler", "1.22", "1.25", "autoscaling/v2"),
        ("policy/v1beta1", "PodDisruptionBudget", "1.21", "1.25", "policy/v1"),
        ("policy/v1beta1", "PodSecurityPolicy", "1.21", "1.25", "Pod Security Admission (PSP is gone)"),
        ("node.k8s.io/v1beta1", "RuntimeClass", "1.20", "1.25", "node.k8s.io/v1"),
        ("flowcontrol.apiserver.k8s.io/v1beta1", "*", "1.23", "1.26", "flowcontrol.apiserver.k8s.io/v1"),
        ("autoscaling/v2beta2", "HorizontalPodAutoscaler", "1.23", "1.26", "autoscaling/v2"),
        ("storage.k8s.io/v1beta1", "CSIStorageCapacity", "1.24", "1.27", "storage.k8s.io/v1"),
        ("flowcontrol.apiserver.k8s.io/v1beta2", "*", "1.26", "1.29", "flowcontrol.apiserver.k8s.io/v1"),
        ("flowcontrol.apiserver.k8s.io/v1beta3", "*", "1.29", "1.32", "flowcontrol.apiserver.k8s.io/v1"),
        ("v1", "ComponentStatus", "1.19", None, "a probe of each component's health endpoint"),
        ("v1", "Endpoints", "1.33", None, "discovery.k8s.io/v1 EndpointSlice"),
    ]
    table: dict[tuple[str, str], ApiChange] = {}
    for api_version, kinds, deprecated, removed, replacement in rows:
        change = ApiChange(minor(deprecated), minor(removed) if removed else None, replacement)
        for kind in kinds.split():
            table[(api_version, kind)] = change
    return table


def minor(version: str) -> tuple[int, int]:
    """(1, 29) for "1.29", "v1.29.3" or "1.29+"; (1, 999) (newer than any) when it cannot be read."""
    found = re.match(r"v?(\d+)\.(\d+)", version.strip())
    return (int(found.group(1)), int(found.group(2))) if found else (1, 999)


API_CHANGES = _table()
_target = functools.lru_cache(maxsize=16)(minor)


def api_change(api_version: str, kind: str) -> ApiChange | None:
    """What the deprecation guide says of this apiVersion and kind (None: nothing)."""
    return API_CHANGES.get((api_version, kind)) or API_CHANGES.get((api_version, ANY_KIND))


def check_api(manifest: Manifest, kubernetes_version: str, report: Report) -> None:
    """Report an apiVersion removed in (high) or only deprecated in (low) the target version."""
    change = api_change(manifest.api_version, manifest.kind)
    if change is None:
        return
    target = _target(kubernetes_version)
    shown = f"{manifest.kind} in {manifest.api_version}"
    if change.removed is not None and target >= change.removed:
        removed = ".".join(map(str, change.removed))
        report.add(
            "K8S_REMOVED_API",
            ("apiVersion",),
            f"{shown} is removed since {removed}; use {change.replacement}",
        )
    elif target >= change.deprecated:
        deprecated = ".".join(map(str, change.deprecated))
        until = f", removed in {'.'.join(map(str, change.removed))}" if change.removed else ""
        report.add(
            "K8S_DEPRECATED_API",
            ("apiVersion",),
            f"{shown} is deprecated since {deprecated}{until}; use {change.replacement}",
        )
