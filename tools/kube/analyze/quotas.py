"""ResourceQuotas that are used up: context for pods that cannot be created."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from tools.findings import Finding, Severity
from tools.kube.analyze.common import Context, make, status_source
from tools.kube.analyze.index import name_of, ns_of

_SUFFIXES: dict[str, int | Decimal] = {
    "": 1, "m": Decimal("0.001"), "k": 10**3, "M": 10**6, "G": 10**9, "T": 10**12, "P": 10**15, "E": 10**18,
    "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60,
}  # fmt: skip
_QUANTITY = re.compile(r"^([+-]?[0-9.]+(?:[eE][+-]?\d+)?)([a-zA-Z]*)$")


def quantity(text: object) -> Decimal | None:
    """A Kubernetes quantity ("500m", "4Gi", "10") as a number; None when unreadable."""
    matched = _QUANTITY.match(str(text).strip())
    if matched is None or matched.group(2) not in _SUFFIXES:
        return None
    try:
        return Decimal(matched.group(1)) * Decimal(_SUFFIXES[matched.group(2)])
    except InvalidOperation:
        return None


def _refusals(ctx: Context, namespace: str, name: str) -> list[Finding]:
    """Findings of controllers whose pod creations this quota refused."""
    marker = f"exceeded quota: {name}"
    return [
        f for f in ctx.findings
        if f.category == "quota.exceeded" and f.role != "context"
        and (f.resource or "").split("/")[1:2] == [namespace] and any(marker in e.text for e in f.evidence)
    ]  # fmt: skip


def analyze_quotas(ctx: Context) -> None:
    """quota.exceeded context findings for quotas used up or refusing pods; notes on the refused."""
    for quota in ctx.index.snapshot.items("resourcequotas"):
        status = quota.get("status") or {}
        hard, used = status.get("hard") or {}, status.get("used") or {}
        name, namespace = name_of(quota), ns_of(quota)
        refused = _refusals(ctx, namespace, name)
        named = " ".join(e.text for f in refused for e in f.evidence)
        lines, full = [], []
        for resource, limit in sorted(hard.items()):
            cap, now = quantity(limit), quantity(used.get(resource, "0"))
            if cap is None or now is None:
                continue
            if now >= cap:
                full.append(resource)
            if now >= cap or f"{resource}=" in named:
                lines.append(f"{resource}: used {used.get(resource, '0')} of {limit}")
        if not lines:
            continue
        what = f"is used up ({', '.join(full)})" if full else "refuses new pods"
        finding = ctx.add(
            make(
                id="cluster-quota-full",
                category="quota.exceeded",
                kind="resourcequotas",
                obj=quota,
                title=f"ResourceQuota {namespace}/{name} {what}",
                severity=Severity.MEDIUM if refused else Severity.LOW,
                quotes=[(status_source("resourcequotas", quota), line) for line in lines],
                explanation="New pods that need more of these resources are refused in the namespace.",
                fix=f"`kubectl describe resourcequota {name} -n {namespace}`: raise the quota or free "
                "resources.",
                confidence=0.9,
                role="context",
            )
        )
        for cause in refused:
            finding.notes.append(f"the quota refusing {cause.resource}")
            cause.notes.append(f"ResourceQuota {namespace}/{name}: " + "; ".join(lines))
