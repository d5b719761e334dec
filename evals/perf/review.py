"""Speed of `shipmate review` on a 200-file pull request, beside validating the head alone.

Builds a real git repository in a temporary folder: 31 folders of Kubernetes manifests
(a Deployment, its Service and budget, a ConfigMap and a ServiceAccount in each, from
evals/perf/validate.py's hardened templates), 10 Terraform modules of 4 files, a
kustomize base and overlay, a Compose file; then a branch that edits every one of them
(200 files: image tags, replicas, a new variable per Terraform file, one Service broken
on purpose in each folder). Measures in this one process:

- `review_change` (both commits exported, validated and compared);
- the baseline: `validate_k8s` and `validate_terraform` once on the same files at head,
  run side by side in the same process, so the ratio is taken on the same machine;
- a cold `shipmate review` process on the same change (start-up included).

    python -m evals.perf.review [--folders 31] [--modules 10] [--repeat 3] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from evals.perf.validate import resource
from tools.k8s.validate import validate_k8s
from tools.review.review import review_change
from tools.terraform.validate import validate_terraform

MODULE = """variable "name_{n}_{i}" {{
  type        = string
  description = "Name {i}."
  default     = "acme-{n}-{i}"
}}

output "name_{n}_{i}" {{
  value       = var.name_{n}_{i}
  description = "Name {i}."
}}
"""
VERSIONS = """terraform {
  required_version = ">= 1.5"
}
"""
COMPOSE = """services:
  web:
    image: ghcr.io/acme/web:{tag}
    read_only: true
"""


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)


def build(root: Path, folders: int, modules: int) -> int:
    """The repository on main and a `feature` branch that edits every file; the number of files changed."""
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.email", "bench@example.com")
    git(root, "config", "user.name", "bench")
    files = _files(folders, modules, head=False)
    _write(root, files)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    git(root, "checkout", "-q", "-b", "feature")
    changed = _files(folders, modules, head=True)
    _write(root, changed)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "change")
    return sum(1 for name, text in changed.items() if files.get(name) != text)


def _files(folders: int, modules: int, head: bool) -> dict[str, str]:
    files: dict[str, str] = {}
    for folder in range(folders):
        for i in range(5):
            n = folder * 5 + i
            text = resource(n)
            if head:
                text = text.replace(f"web:1.{n}", f"web:2.{n}").replace("replicas: 2", "replicas: 3")
                text = text.replace("LOG_LEVEL: info", "LOG_LEVEL: debug").replace(f"web-{n - 1}}}", "other}")
                text += "  # reviewed\n" if not text.endswith("\n\n") else ""
            files[f"k8s/team-{folder}/{i}.yaml"] = text
    for module in range(modules):
        files[f"infra/m{module}/versions.tf"] = VERSIONS + ("# pinned\n" if head else "")
        for i in range(3):
            text = MODULE.format(n=module, i=i)
            files[f"infra/m{module}/part{i}.tf"] = text + (MODULE.format(n=module, i=i + 10) if head else "")
    files["deploy/base/kustomization.yaml"] = "resources:\n  - deploy.yaml\n" + ("# base\n" if head else "")
    files["deploy/base/deploy.yaml"] = resource(0).replace("web:1.0", "web:2.0" if head else "web:1.0")
    files["deploy/prod/kustomization.yaml"] = "namePrefix: prod-\nresources:\n  - ../base\n" + (
        "# prod\n" if head else ""
    )
    files["compose.yaml"] = COMPOSE.format(tag="2.0" if head else "1.0")
    files["README.md"] = "# bench\n" + ("Reviewed.\n" if head else "")
    return files


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def timed(repeat: int, action: object) -> list[float]:
    """Seconds of each of `repeat` runs of the zero-argument callable `action`."""
    seconds = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()  # type: ignore[operator]
        seconds.append(time.perf_counter() - started)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folders", type=int, default=31)
    parser.add_argument("--modules", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="shipmate-bench-review-") as scratch:
        root = Path(scratch) / "repo"
        root.mkdir()
        changed = build(root, options.folders, options.modules)
        report = review_change(root, "main")  # warm-up: schemas loaded once per process, as in CI
        review = timed(options.repeat, lambda: review_change(root, "main"))
        manifests = sorted(str(p) for p in (root / "k8s").rglob("*.yaml"))
        modules = sorted((root / "infra").iterdir())
        baseline = timed(
            options.repeat,
            lambda: (validate_k8s(manifests), validate_terraform(modules, terraform_validate=False)),
        )
        started = time.perf_counter()
        process = subprocess.run(
            [sys.executable, "-m", "assistant.cli.app", "review", "--base", "main", "--format", "json"],
            cwd=root,
            capture_output=True,
            check=False,
        )
        cold = time.perf_counter() - started
    figures = {
        "files_changed": changed,
        "files_reviewed": report.counts.files_reviewed,
        "new_findings": report.counts.new,
        "review_seconds_median": round(statistics.median(review), 3),
        "validate_head_only_seconds_median": round(statistics.median(baseline), 3),
        "ratio_review_to_validate_head": round(statistics.median(review) / statistics.median(baseline), 2),
        "cold_process_seconds": round(cold, 3),
        "cold_process_exit_code": process.returncode,
    }
    if options.json:
        print(json.dumps(figures))
        return
    for name, value in figures.items():
        print(f"{name:38} {value}")


if __name__ == "__main__":
    main()
