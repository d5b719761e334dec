"""PersistentVolumeClaims that stay Pending or were Lost."""

from __future__ import annotations

from tools.findings import Severity
from tools.kube.analyze.common import Context, event_quotes, make, status_source
from tools.kube.analyze.events import with_reason
from tools.kube.analyze.index import Obj, meta, name_of, ns_of

_DEFAULT_ANNOTATIONS = (
    "storageclass.kubernetes.io/is-default-class",
    "storageclass.beta.kubernetes.io/is-default-class",
)


def _default_class(ctx: Context) -> str | None:
    for storage_class in ctx.index.snapshot.items("storageclasses"):
        annotations = meta(storage_class).get("annotations") or {}
        if any(annotations.get(a) == "true" for a in _DEFAULT_ANNOTATIONS):
            return name_of(storage_class)
    return None


def _problem(ctx: Context, claim: Obj) -> str | None:
    """Why the claim cannot bind, when the snapshot shows it; None when it may just be waiting."""
    snapshot = ctx.index.snapshot
    wanted = (claim.get("spec") or {}).get("storageClassName")
    classes_known = snapshot.readable("storageclasses")
    if wanted:
        if classes_known and ctx.index.get("storageclasses", "", wanted) is None:
            return f'StorageClass "{wanted}" does not exist'
        return None
    if wanted is None:
        if classes_known and _default_class(ctx) is None:
            return "no storageClassName is set and the cluster has no default StorageClass"
        return None
    if snapshot.readable("persistentvolumes"):
        free = [
            pv
            for pv in snapshot.items("persistentvolumes")
            if (pv.get("status") or {}).get("phase") == "Available"
            and not (pv.get("spec") or {}).get("storageClassName")
        ]
        if not free:
            return 'storageClassName is "" (static binding) and no Available PersistentVolume without a class'
    return None


def analyze_claims(ctx: Context) -> None:
    """Findings for Pending or Lost PersistentVolumeClaims whose reason can be shown."""
    for claim in ctx.index.snapshot.items("persistentvolumeclaims"):
        phase = (claim.get("status") or {}).get("phase")
        if phase not in ("Pending", "Lost"):
            continue
        name, namespace = name_of(claim), ns_of(claim)
        groups = ctx.index.events_of("persistentvolumeclaims", claim)
        failing = with_reason(groups, "ProvisioningFailed", "FailedBinding", "ClaimLost")
        problem = "its PersistentVolume is gone" if phase == "Lost" else _problem(ctx, claim)
        if problem is None and not failing:
            continue
        wanted = (claim.get("spec") or {}).get("storageClassName")
        quotes = [
            (
                status_source("persistentvolumeclaims", claim),
                f"phase={phase} storageClassName={'<unset>' if wanted is None else repr(wanted)}",
            )
        ]
        quotes += event_quotes("persistentvolumeclaims", claim, failing)
        reason = problem or failing[-1].message
        ctx.add(
            make(
                id="cluster-pvc-pending" if phase == "Pending" else "cluster-pvc-lost",
                category="scheduling.pvc_unbound",
                kind="persistentvolumeclaims",
                obj=claim,
                title=f"PersistentVolumeClaim {namespace}/{name} is {phase}: {reason}",
                severity=Severity.HIGH,
                quotes=quotes,
                explanation=(
                    f"The claim cannot be bound ({reason}), so every pod that mounts it stays Pending."
                ),
                fix=(
                    "`kubectl get storageclass` and use an existing class in spec.storageClassName "
                    "(the field is immutable: delete and recreate the claim), or mark one class default: "
                    "`kubectl patch storageclass <name> -p "
                    '\'{"metadata":{"annotations":'
                    '{"storageclass.kubernetes.io/is-default-class":"true"}}}\'`; '
                    f"details: `kubectl describe pvc {name} -n {namespace}`."
                ),
                confidence=0.9 if problem else 0.75,
                groups=failing,
            )
        )
