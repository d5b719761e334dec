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

It also holds small helpers the cloud blueprints' `extract` functions share (`split_list`,
`first`, `count_before`), and `unless_other_cloud` for keywords: a generic word such as
"bucket" or "postgres" should count for one cloud's blueprint only when the ask does not
name another cloud. This module defines no blueprint itself (it exports no `BLUEPRINTS`); the registry
imports it only because of its `tf_` prefix.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from tools.blueprints.hcl_text import assignments
from tools.blueprints.model import GeneratedFile

TEMPLATES = Path(str(resources.files("tools.blueprints").joinpath("terraform")))
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


_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "single": 1,
}  # fmt: skip


def split_list(text: str | None) -> list[str]:
    """Items of a comma- or space-separated parameter value ("a, b c" -> ["a", "b", "c"]); "" -> []."""
    return [item for item in re.split(r"[\s,]+", text or "") if item]


def first(pattern: str, text: str, flags: int = re.IGNORECASE) -> str | None:
    """The first non-empty group of the first match of `pattern` in `text` (without groups: the match)."""
    match = re.search(pattern, text, flags)
    if match is None:
        return None
    groups = [g for g in match.groups() if g]
    return groups[0] if groups else match.group(0)


def count_before(noun: str, text: str) -> int | None:
    """The number written before `noun` (a regex) in digits or words: "3 AZs", "three zones" -> 3."""
    words = "|".join(_NUMBER_WORDS)
    found = first(rf"\b(\d+|{words})[\s-]+(?:{noun})", text)
    if found is None:
        return None
    return int(found) if found.isdigit() else _NUMBER_WORDS[found.lower()]


# Words that name a cloud or one of its products, for `unless_other_cloud`.
CLOUD_WORDS = {
    "aws": r"aws|amazon|eks|ecr|s3(?!:)|rds|lambda|sagemaker|greengrass|cloudwatch|dynamodb|fargate|ecs",
    "gcp": r"gcp|google|gke|gcs|vertex|cloud\s+run|cloud\s+sql|cloud\s+functions?|bigquery|gce",
    "azure": r"azure|aks|acr|entra|blob|storage\s+accounts?|function\s+apps?|cosmos\s*db|azureml",
}


def unless_other_cloud(pattern: str, cloud: str, excluding: str = "") -> str:
    """A keyword regex matching `pattern` only in asks that name no cloud but `cloud` (see CLOUD_WORDS).

    "postgres database on gcp" then does not count "postgres" for an AWS blueprint.
    `excluding` (a regex of words) names more words that keep the keyword from counting.
    """
    words = [words for name, words in CLOUD_WORDS.items() if name != cloud]
    if excluding:
        words.append(excluding)
    others = "|".join(words)
    return rf"(?s)^(?!.*\b(?:{others})\b).*?(?:{pattern})"
