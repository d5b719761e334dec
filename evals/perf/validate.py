"""Speed and memory of `shipmate validate` on Kubernetes manifests, beside kubernetes-validate.

Generates, like kubeconform's acceptance test, one file of N valid resources (default
100,000: hardened Deployments, their Services and PodDisruptionBudgets, ConfigMaps,
ServiceAccounts in turn; no policy finds anything in them) and a tree of
10,000 one-resource files, then measures in this one process:

- resources/s of `validate_k8s` on the big file, schemas only and with every policy;
- resources/s on the tree of files;
- resources/s of kubernetes-validate (the Python peer) on a sample of the same
  resources, so the ratio is taken on the same machine in the same run;
- peak memory of a fresh process validating N/4, N/2 and N resources, with every policy
  and schemas only (the set-wide checks keep a few small facts per object; the
  streaming itself is flat).

    python -m evals.perf.validate [--resources 100000] [--files 10000] [--peer-sample 300] [--json]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tools.k8s.validate import validate_k8s

DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-{n}
  namespace: shop
  labels: {{app: web-{n}}}
spec:
  replicas: 2
  selector:
    matchLabels: {{app: web-{n}}}
  template:
    metadata:
      labels: {{app: web-{n}}}
    spec:
      automountServiceAccountToken: false
      securityContext: {{runAsNonRoot: true, seccompProfile: {{type: RuntimeDefault}}}}
      affinity:
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
            - weight: 100
              podAffinityTerm:
                topologyKey: kubernetes.io/hostname
                labelSelector:
                  matchLabels: {{app: web-{n}}}
      containers:
        - name: web
          image: registry.example.com/web:1.{n}
          imagePullPolicy: Always
          ports:
            - containerPort: 8080
              name: http
          resources:
            requests: {{cpu: 100m, memory: 128Mi}}
            limits: {{cpu: 500m, memory: 256Mi}}
          readinessProbe:
            httpGet: {{path: /healthz, port: http}}
          livenessProbe:
            httpGet: {{path: /healthz, port: http}}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: {{drop: [ALL]}}
"""
SERVICE = """apiVersion: v1
kind: Service
metadata:
  name: web-{n}
  namespace: shop
spec:
  selector: {{app: web-{m}}}
  ports:
    - port: 80
      targetPort: http
"""
CONFIGMAP = """apiVersion: v1
kind: ConfigMap
metadata:
  name: settings-{n}
  namespace: shop
data:
  LOG_LEVEL: info
  FEATURE_FLAGS: "a,b,c"
"""
BUDGET = """apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web-{n}
  namespace: shop
spec:
  maxUnavailable: 1
  selector:
    matchLabels: {{app: web-{k}}}
"""
ACCOUNT = """apiVersion: v1
kind: ServiceAccount
metadata:
  name: web-{n}
  namespace: shop
automountServiceAccountToken: false
"""
TEMPLATES = (DEPLOYMENT, SERVICE, BUDGET, CONFIGMAP, ACCOUNT)


def resource(n: int) -> str:
    """The n-th generated resource (the Service and the budget after a Deployment select its pods)."""
    return TEMPLATES[n % len(TEMPLATES)].format(n=n, m=n - 1, k=n - 2)


def write_file(path: Path, count: int) -> None:
    """One multi-document file of `count` resources."""
    with path.open("w", encoding="utf-8") as out:
        for n in range(count):
            out.write("---\n")
            out.write(resource(n))


def write_tree(root: Path, count: int) -> None:
    """`count` files of one resource each, 100 per folder."""
    for n in range(count):
        folder = root / f"team-{n // 100:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"r{n}.yaml").write_text(resource(n), encoding="utf-8")


def rate(paths: list[Path], policies: bool) -> tuple[float, int, int]:
    """Resources/s, resources validated and findings, for one run."""
    started = time.perf_counter()
    report = validate_k8s(paths, policies=policies)
    seconds = time.perf_counter() - started
    if report.counts.invalid or report.counts.errors:
        raise SystemExit(f"the generated resources should all be valid: {report.results[:3]}")
    return report.counts.resources / seconds, report.counts.resources, len(report.findings)


def peer_rate(sample: int) -> float:
    """Resources/s of kubernetes-validate on `sample` of the same resources."""
    import kubernetes_validate  # type: ignore[import-untyped]
    import yaml

    version = kubernetes_validate.utils.latest_version()
    objects = [yaml.safe_load(resource(n)) for n in range(sample)]
    started = time.perf_counter()
    for obj in objects:
        kubernetes_validate.validate(obj, version, strict=False)
    return sample / (time.perf_counter() - started)


def peak_rss_mb(path: Path, policies: bool = True) -> float:
    """Peak memory of a fresh process that validates `path` (with every policy, or schemas only).

    Read from VmHWM: ru_maxrss would carry over the memory of this (forking) process.
    """
    code = (
        "import sys; from tools.k8s.validate import validate_k8s; "
        f"validate_k8s([sys.argv[1]], policies={policies}); "
        "print(next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')))"
    )
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True)
    return round(float(done.stdout.strip()) / 1024, 1)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--resources", type=int, default=100_000)
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--peer-sample", type=int, default=300)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="shipmate-validate-bench-") as tmp:
        root = Path(tmp)
        sizes = [args.resources // 4, args.resources // 2, args.resources]
        for size in sizes:
            write_file(root / f"r{size}.yaml", size)
        write_tree(root / "tree", args.files)
        big = root / f"r{args.resources}.yaml"
        schema_rate, count, _ = rate([big], policies=False)
        full_rate, _, findings = rate([big], policies=True)
        tree_rate, tree_count, _ = rate([root / "tree"], policies=True)
        peer = peer_rate(args.peer_sample)
        memory = {size: peak_rss_mb(root / f"r{size}.yaml") for size in sizes}
        schema_memory = {size: peak_rss_mb(root / f"r{size}.yaml", policies=False) for size in sizes}
    figures = {
        "resources": count,
        "schema_only_resources_per_s": round(schema_rate),
        "with_policies_resources_per_s": round(full_rate),
        "findings_on_valid_set": findings,
        "tree_files": tree_count,
        "tree_resources_per_s": round(tree_rate),
        "kubernetes_validate_resources_per_s": round(peer, 1),
        "speedup_vs_kubernetes_validate": round(full_rate / peer, 1),
        **{f"peak_rss_mb_{size}": mb for size, mb in memory.items()},
        **{f"peak_rss_mb_schema_only_{size}": mb for size, mb in schema_memory.items()},
    }
    if args.json:
        print(json.dumps(figures))
    else:
        for key, value in figures.items():
            print(f"{key:<40} {value}")


if __name__ == "__main__":
    main()
