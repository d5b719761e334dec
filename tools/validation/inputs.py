"""Which inputs of `shipmate validate` are Kubernetes manifests and which are Terraform."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tools.errors import InputError

TERRAFORM_SUFFIXES = (".tf", ".tfvars", ".tf.json")


@dataclass
class Targets:
    """Inputs split by what reads them."""

    kubernetes: list[str] = field(default_factory=list)
    terraform: list[Path] = field(default_factory=list)


def split_targets(paths: Sequence[str]) -> Targets:
    """Named .tf/.tfvars files and folders holding .tf files go to Terraform; the rest to Kubernetes.

    A folder goes to both: its YAML and JSON files are manifests, and every folder under
    it that holds .tf files is a Terraform module.
    """
    targets = Targets()
    for raw in paths:
        if raw == "-":
            targets.kubernetes.append(raw)
            continue
        path = Path(raw)
        if not path.exists() and not path.is_symlink():
            raise InputError(raw, "no such file or directory")
        if path.is_dir():
            targets.kubernetes.append(raw)
            targets.terraform.extend(terraform_modules(path))
        elif raw.endswith(TERRAFORM_SUFFIXES):
            targets.terraform.append(path)
        else:
            targets.kubernetes.append(raw)
    return targets


def terraform_modules(root: Path) -> list[Path]:
    """Folders under `root` (itself included) holding .tf files; hidden folders (.terraform) left out."""
    modules: list[Path] = []
    seen: set[tuple[int, int]] = set()
    for folder, subfolders, files in os.walk(root, followlinks=True):
        stat = os.stat(folder)
        if (stat.st_dev, stat.st_ino) in seen:
            subfolders[:] = []
            continue
        seen.add((stat.st_dev, stat.st_ino))
        subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
        if any(name.endswith(".tf") for name in files):
            modules.append(Path(folder))
    return modules
