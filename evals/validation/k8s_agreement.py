"""Agreement of shipmate's Kubernetes policies with checkov's own test cases (../shared/peers/checkov-kubernetes).

Each peer folder holds manifests for one checkov policy; a file's name says the verdict
(see the peers' README). Every shipmate policy whose catalogue entry names a checkov folder
is run over that folder, with the real reader and the same entry points `shipmate validate`
uses (per-object policies, then the set checks on the file's objects), and compared:

- a file named `-PASSED` / `-FAILED` (or with the lower-case hint `pass` / `fail`) is one
  case: FAILED agrees when the policy reports at least once in the file, PASSED when never;
- a file named with counts (`-1PASSED-1FAILED`, `-2PASSED`) is one case per counted object,
  judged per unit: a container for the folders where checkov judges containers, else an
  object with a pod spec;
- not judged (listed with the reason): `UNKNOWN` / `UNKOWN` files, names with no verdict,
  and, for pod policies, files with no object holding a container list (checkov itself
  yields no verdict for them: its own test for AllowedCapabilitiesSysAdmin counts 1 passed,
  1 failed among the three files).

Run: `python -m evals.validation.k8s_agreement` (prints the per-policy table).
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tools.findings import Finding
from tools.k8s.manifests import Manifest, read_manifests
from tools.k8s.policies import PolicyOptions, SetChecks, object_findings, policy_catalogue
from tools.k8s.policies.pods import dotted, pod_spec

REPO = Path(__file__).resolve().parents[2]
PEER_DIR = Path(os.environ.get("SHIPMATE_PEERS", REPO.parent / "shared" / "peers")) / "checkov-kubernetes"
TARGET_VERSION = "1.30"

# shipmate policy id -> the checkov test folder it covers (from the catalogue)
POLICY_TO_PEER: dict[str, str] = {p.id: p.checkov for p in policy_catalogue() if p.checkov}
# Folders whose checkov checks judge each container on its own (the others judge the object).
CONTAINER_FOLDERS = frozenset(
    {
        "AllowPrivilegeEscalation",
        "AllowedCapabilities",
        "AllowedCapabilitiesSysAdmin",
        "DropCapabilities",
        "HostPort",
        "ImagePullPolicy",
        "ImageTagFixed",
        "LivenessReadiness",
        "PrivilegedContainers",
        "ReadOnlyFilesystem",
        "Requests_Limits",
        "Secrets",
    }
)
OBJECT_FOLDERS = frozenset({"DefaultNamespace", "WildcardRoles"})  # the rest need a pod spec
_COUNTED = re.compile(r"(\d+)(PASSED|FAILED)")  # "1PASSED-1FAILED"; not "runas1000-PASSED"


@dataclass
class PolicyScore:
    """Cases of one policy: how many agree, which disagree, which files were not judged."""

    policy: str
    folder: str
    cases: int = 0
    agreed: int = 0
    disagreements: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "file: reason"

    @property
    def ratio(self) -> float:
        """Share of cases that agree (1.0 when there are none)."""
        return self.agreed / self.cases if self.cases else 1.0


def verdict(name: str) -> tuple[str, dict[str, int]] | str:
    """("file", {"FAILED": 1}) or ("count", {"PASSED": 2, "FAILED": 1}) from a file name, or why it is skipped."""
    stem = name.rsplit(".", 1)[0]
    if "UNKNOWN" in stem.upper() or "UNKOWN" in stem.upper():
        return "the peer does not judge it (UNKNOWN)"
    counted = _COUNTED.findall(stem)
    if counted:
        counts = {"PASSED": 0, "FAILED": 0}
        for number, word in counted:
            counts[word] += int(number)
        return "count", counts
    for word in ("FAILED", "PASSED"):
        if word in stem:
            return "file", {word: 1}
    lower = stem.lower()
    for hint, word in (("fail", "FAILED"), ("pass", "PASSED")):
        if hint in lower:
            return "file", {word: 1}
    return "no verdict in its name"


def file_findings(path: Path, options: PolicyOptions) -> list[tuple[Manifest, list[Finding]]]:
    """Every object of the file with its findings: per-object policies, then the set checks' findings."""
    objects: list[tuple[Manifest, list[Finding]]] = []
    checks = SetChecks()
    for manifest in read_manifests(str(path)):
        if manifest.obj is None:
            continue
        objects.append((manifest, object_findings(manifest, options)))
        checks.add(manifest)
    for finding in checks.findings(options):
        line = finding.evidence[0].line if finding.evidence else 0
        owners = [found for m, found in objects if m.label() == finding.resource and m.line <= line]
        if owners:
            owners[-1].append(finding)
    return objects


def units(objects: list[tuple[Manifest, list[Finding]]], policy: str, per_container: bool) -> list[bool]:
    """For each unit of the file (a container, or an object with a pod spec): does the policy report it?"""
    found: list[bool] = []
    for manifest, findings in objects:
        pod = pod_spec(manifest)
        if pod is None:
            continue
        paths = [f.field_path or "" for f in findings if f.id == policy]
        if not per_container:
            found.append(bool(paths))
            continue
        for container in pod.containers:
            prefix = dotted(container.path)
            found.append(any(p == prefix or p.startswith((prefix + ".", prefix + "[")) for p in paths))
    return found


def has_containers(objects: list[tuple[Manifest, list[Finding]]]) -> bool:
    """True when some object of the file has a pod spec with at least one container."""
    return any((pod := pod_spec(m)) is not None and pod.containers for m, _ in objects)


def score(policy: str, folder: str, options: PolicyOptions) -> PolicyScore:
    """Compare one policy with every judged file of its peer folder."""
    result = PolicyScore(policy, folder)
    for path in sorted((PEER_DIR / folder).iterdir()):
        name = f"{folder}/{path.name}"
        judged = verdict(path.name)
        if isinstance(judged, str):
            result.skipped.append(f"{name}: {judged}")
            continue
        mode, counts = judged
        objects = file_findings(path, options)
        if folder not in OBJECT_FOLDERS and not has_containers(objects):
            result.skipped.append(
                f"{name}: no object with a container list, nothing for a pod policy to judge"
            )
            continue
        if mode == "file":
            reported = any(f.id == policy for _, found in objects for f in found)
            expected = "FAILED" in counts
            result.cases += 1
            if reported == expected:
                result.agreed += 1
            else:
                result.disagreements.append(
                    f"{name}: peer {'FAILED' if expected else 'PASSED'}, we "
                    f"{'report' if reported else 'do not report'}"
                )
            continue
        verdicts = units(objects, policy, folder in CONTAINER_FOLDERS)
        failing = sum(verdicts)
        passing = len(verdicts) - failing
        agreed = min(failing, counts["FAILED"]) + min(passing, counts["PASSED"])
        result.cases += counts["FAILED"] + counts["PASSED"]
        result.agreed += agreed
        if agreed < counts["FAILED"] + counts["PASSED"]:
            result.disagreements.append(
                f"{name}: peer {counts['FAILED']} failed / {counts['PASSED']} passed, "
                f"we {failing} failed / {passing} passed"
            )
    return result


def scores(kubernetes_version: str = TARGET_VERSION) -> list[PolicyScore]:
    """One score per mapped policy, in catalogue order."""
    options = PolicyOptions(kubernetes_version=kubernetes_version)
    return [score(policy, folder, options) for policy, folder in POLICY_TO_PEER.items()]


def table(results: list[PolicyScore]) -> str:
    """The per-policy table, the overall figure, then every skipped file and disagreement."""
    lines = [f"{'policy':34} {'checkov folder':28} {'cases':>5} {'agree':>5} {'ratio':>7}"]
    for r in results:
        lines.append(f"{r.policy:34} {r.folder:28} {r.cases:5d} {r.agreed:5d} {r.ratio:7.1%}")
    cases = sum(r.cases for r in results)
    agreed = sum(r.agreed for r in results)
    lines.append(f"{'overall':34} {'':28} {cases:5d} {agreed:5d} {agreed / max(cases, 1):7.1%}")
    skipped = sorted({s for r in results for s in r.skipped})
    lines += ["", f"not judged ({len(skipped)} files):", *(f"  {s}" for s in skipped)]
    disagreements = [f"  {r.policy}: {d}" for r in results for d in r.disagreements]
    lines += ["", f"disagreements ({len(disagreements)}):", *disagreements]
    return "\n".join(lines)


def main() -> None:
    """Print the agreement table."""
    if not PEER_DIR.is_dir():
        sys.exit(f"no peer data at {PEER_DIR} (set SHIPMATE_PEERS)")
    print(table(scores()))


if __name__ == "__main__":
    main()
