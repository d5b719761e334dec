"""Terraform blueprints from static template folders: fixed `.tf` text plus a rendered `terraform.tfvars`.

A Terraform blueprint here is a hand-written, `terraform fmt`-clean module kept as files
under `tools/blueprints/terraform/<cloud>/<blueprint>/` (package data, shipped in the
wheel). Rendering never edits that text: what a request changes is written as values in
`terraform.tfvars`, whose `name = value` lines are aligned the way `terraform fmt` keeps
them (`tools.blueprints.hcl_text.assignments`). Optional parts of a module are switched
with `count`/`for_each` on its variables, so every rendering of one blueprint has the same
`.tf` text and only its values differ.

Use from a blueprint module (any cloud):

    FOLDER = template_folder("aws", "tf-aws-s3")

    def render(values: dict[str, Any]) -> list[GeneratedFile]:
        return template_blueprint_files(FOLDER, {"name": values["name"], ...})

This module defines no blueprint itself (it exports no `BLUEPRINTS`); the registry
imports it only because of its `tf_` prefix.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from tools.blueprints.hcl_text import assignments
from tools.blueprints.model import GeneratedFile

TEMPLATES = Path(__file__).parent / "terraform"
TFVARS = "terraform.tfvars"


def template_folder(*parts: str) -> Path:
    """The template folder `TEMPLATES/<parts...>`, e.g. `template_folder("aws", "tf-aws-s3")`."""
    return TEMPLATES.joinpath(*parts)


@cache
def _read_folder(folder: Path) -> tuple[GeneratedFile, ...]:
    if not folder.is_dir():
        raise FileNotFoundError(f"no Terraform template folder {folder}")
    files = [
        GeneratedFile(path.name, path.read_text(encoding="utf-8"))
        for path in sorted(folder.iterdir())
        if path.is_file() and path.name != TFVARS and not path.name.startswith(".")
    ]
    if not any(f.path.endswith(".tf") for f in files):
        raise FileNotFoundError(f"no .tf files in the Terraform template folder {folder}")
    return tuple(files)


def template_files(folder: Path) -> list[GeneratedFile]:
    """The static files of `folder` (flat names, sorted; a `terraform.tfvars` there is ignored)."""
    return list(_read_folder(folder))


def tfvars_text(values: Mapping[str, Any]) -> str:
    """`terraform.tfvars` text: one aligned `name = value` line per entry, in the given order.

    Entries whose value is None are left out (the variable's default applies). Values are
    written as HCL literals: str, bool, int, float, lists and maps of those.
    """
    return assignments({name: value for name, value in values.items() if value is not None})


def template_blueprint_files(
    folder: Path, values: Mapping[str, Any], tfvars_name: str = TFVARS
) -> list[GeneratedFile]:
    """The files of `folder` followed by `tfvars_name` holding `values` (see `tfvars_text`)."""
    return [*template_files(folder), GeneratedFile(tfvars_name, tfvars_text(values))]
