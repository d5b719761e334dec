"""`make demo`: diagnose one bundled example, validate the bundled manifests and Terraform, review a
bundled pull request, list the rest."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
SHOWN = "k8s-missing-secret"


def main() -> None:
    index = yaml.safe_load((HERE / "index.yaml").read_text(encoding="utf-8"))["examples"]
    shown = next(e for e in index if e["name"] == SHOWN)
    print(f"$ shipmate diagnose examples/{SHOWN}/   # {shown['title']}\n", flush=True)
    target = os.path.relpath(HERE / SHOWN)
    subprocess.run([sys.executable, "-m", "assistant.cli.app", "diagnose", target], check=False)
    print("\nMore bundled scenarios (try --format markdown, --format json or -v):\n")
    for example in index:
        if example["name"] != SHOWN:
            print(f"  shipmate diagnose examples/{example['name']}/")
            print(f"      {example['title']}  [{example['platform']}]")
    print("\nThe evidence pack an LLM would be given (budget 600 tokens):")
    print(f"  shipmate diagnose examples/{SHOWN}/ --context-budget 600")
    validate = os.path.relpath(HERE / "validate")
    print(f"\n$ shipmate validate {validate}/   # a flawed service: manifests and Terraform\n", flush=True)
    subprocess.run([sys.executable, "-m", "assistant.cli.app", "validate", validate], check=False)
    print(f"\nWith explanations and fixes: shipmate -v validate {validate}/")
    print(f"Fixes as diffs, applied only if you approve: shipmate validate {validate}/k8s --fix")
    review_demo()


def review_demo() -> None:
    """Commit examples/review/base, then examples/review/change on a branch, and review the branch."""
    with tempfile.TemporaryDirectory(prefix="shipmate-demo-") as scratch:
        repo = Path(scratch) / "shop"
        shutil.copytree(HERE / "review" / "base", repo)
        git = ["git", "-C", str(repo), "-c", "user.name=demo", "-c", "user.email=demo@example.com"]
        for step in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "shop"]):
            subprocess.run([*git, *step], check=True)
        subprocess.run([*git, "checkout", "-q", "-b", "feature"], check=True)
        shutil.copytree(HERE / "review" / "change", repo, dirs_exist_ok=True)
        subprocess.run([*git, "add", "-A"], check=True)
        subprocess.run([*git, "commit", "-q", "-m", "feature"], check=True)
        print("\n$ shipmate review --base main   # examples/review/change as a pull request on .../base\n")
        sys.stdout.flush()
        subprocess.run(
            [sys.executable, "-m", "assistant.cli.app", "review", "--base", "main"], cwd=repo, check=False
        )
    print("\nAs the PR comment: shipmate review --format markdown; posting: shipmate review --post github")


if __name__ == "__main__":
    main()
