"""The list of every Terraform check (policies and schema checks), for docs and `--list-policies`."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from tools.findings import Severity
from tools.terraform.policies.base import Policy

_TF_DOCS = "https://developer.hashicorp.com/terraform/language"


class CatalogueEntry(BaseModel):
    """One check: what it finds, why it matters, how to fix it, where to read more."""

    id: str
    severity: Severity
    title: str
    rationale: str
    fix: str
    docs_url: str
    engine: Literal["schema", "policy"]
    provider: str = "terraform"
    resource_types: list[str] = []


def _schema(id_: str, severity: Severity, title: str, rationale: str, fix: str, page: str) -> CatalogueEntry:
    return CatalogueEntry(
        id=id_,
        severity=severity,
        title=title,
        rationale=rationale,
        fix=fix,
        docs_url=f"{_TF_DOCS}/{page}",
        engine="schema",
    )


SCHEMA_CHECKS: dict[str, CatalogueEntry] = {
    entry.id: entry
    for entry in (
        _schema(
            "TF_PARSE_ERROR",
            Severity.HIGH,
            "File is not valid HCL",
            "Terraform cannot read the file; nothing in it is planned or checked.",
            "Fix the syntax at the line and column given.",
            "syntax/configuration",
        ),
        _schema(
            "TF_UNDECLARED_VARIABLE",
            Severity.HIGH,
            "Reference to an undeclared variable",
            '`var.x` with no `variable "x"` block fails `terraform validate`.',
            'variable "x" {\n  type = string\n}',
            "values/variables",
        ),
        _schema(
            "TF_UNDECLARED_LOCAL",
            Severity.HIGH,
            "Reference to an undeclared local value",
            "`local.x` with no `x` in any `locals` block fails `terraform validate`.",
            'locals {\n  x = "..."\n}',
            "values/locals",
        ),
        _schema(
            "TF_UNDECLARED_MODULE",
            Severity.HIGH,
            "Reference to an undeclared module call",
            '`module.m` with no `module "m"` block fails `terraform validate`.',
            'module "m" {\n  source = "./modules/m"\n}',
            "modules/syntax",
        ),
        _schema(
            "TF_UNDECLARED_DATA",
            Severity.HIGH,
            "Reference to an undeclared data source",
            '`data.t.n` with no `data "t" "n"` block fails `terraform validate`.',
            'data "t" "n" {\n}',
            "data-sources",
        ),
        _schema(
            "TF_UNDECLARED_RESOURCE",
            Severity.HIGH,
            "Reference to an undeclared resource",
            '`t.n` with no `resource "t" "n"` block in the module fails `terraform validate`.',
            'resource "t" "n" {\n}',
            "resources/syntax",
        ),
        _schema(
            "TF_DUPLICATE_DECLARATION",
            Severity.HIGH,
            "The same name is declared twice",
            "Terraform refuses a module that declares a resource, data source, variable, output, module "
            "or local twice.",
            "Rename or remove one of the two declarations.",
            "syntax/configuration",
        ),
        _schema(
            "TF_UNUSED_VARIABLE",
            Severity.LOW,
            "Variable is declared but never used",
            "An unused input misleads callers into thinking it changes something.",
            "Remove the variable block, or use var.<name> where it was meant to apply.",
            "values/variables",
        ),
        _schema(
            "TF_MISSING_REQUIRED_PROVIDERS",
            Severity.MEDIUM,
            "Provider is used but not in required_providers",
            "Without a required_providers entry Terraform guesses the source (hashicorp/<name>) and "
            "takes the newest version: builds stop being reproducible.",
            'terraform {\n  required_providers {\n    aws = {\n      source  = "hashicorp/aws"\n'
            '      version = "~> 5.0"\n    }\n  }\n}',
            "providers/requirements",
        ),
        _schema(
            "TF_PROVIDER_VERSION_UNCONSTRAINED",
            Severity.LOW,
            "Provider has no version constraint",
            "Any new major provider version is taken on the next init, with its breaking changes.",
            'aws = {\n  source  = "hashicorp/aws"\n  version = "~> 5.0"\n}',
            "providers/requirements",
        ),
        _schema(
            "TF_MISSING_REQUIRED_VERSION",
            Severity.LOW,
            "No required_version for Terraform itself",
            "Without it, any Terraform release may apply the configuration, including ones whose behaviour "
            "differs.",
            'terraform {\n  required_version = ">= 1.5, < 2.0"\n}',
            "terraform",
        ),
        _schema(
            "TF_FMT",
            Severity.INFO,
            "File is not formatted with terraform fmt",
            "Unformatted files make reviews noisier; `terraform fmt` is the canonical style.",
            "terraform fmt",
            "style",
        ),
        _schema(
            "TF_VALIDATE",
            Severity.HIGH,
            "terraform validate reports an error",
            "The configuration is not valid for Terraform (types, arguments, references).",
            "Fix the problem terraform validate names.",
            "syntax/configuration",
        ),
    )
}


def policy_entry(policy: Policy) -> CatalogueEntry:
    """The catalogue entry of one policy."""
    return CatalogueEntry(
        id=policy.id,
        severity=policy.severity,
        title=policy.title,
        rationale=policy.rationale,
        fix=policy.fix,
        docs_url=policy.docs_url,
        engine="policy",
        provider=policy.provider,
        resource_types=list(policy.resource_types),
    )


def policy_catalogue() -> list[CatalogueEntry]:
    """Every policy and schema check, policies first (AWS, Google Cloud, Azure), then schema checks."""
    from tools.terraform.policies.registry import POLICIES

    return [policy_entry(p) for p in POLICIES] + list(SCHEMA_CHECKS.values())


def render_markdown() -> str:
    """docs/terraform-policies.md, generated from the catalogue."""
    lines = [
        "# Terraform policies",
        "",
        "Generated from `tools/terraform/catalogue.py` and `tools/terraform/policies/` by",
        "`python -m tools.terraform.catalogue docs/terraform-policies.md`; a test keeps it current.",
        "",
        "`shipmate validate` reports each as a finding whose `id` and `category` are the check id.",
        "Policies (engine `policy`) judge resources; schema checks (engine `schema`) judge the",
        "configuration itself. Values that are expressions shipmate cannot resolve (other than",
        "`var.x` with a default or a .tfvars value, and literal locals) are never guessed: such a",
        "check stays silent.",
        "",
        "| id | severity | what it checks | resources |",
        "|---|---|---|---|",
    ]
    entries = policy_catalogue()
    for entry in entries:
        types = ", ".join(f"`{t}`" for t in entry.resource_types) or "(module)"
        lines.append(
            f"| [`{entry.id}`](#{entry.id.lower()}) | {entry.severity.value} | {entry.title} | {types} |"
        )
    for entry in entries:
        lines += [
            "",
            f"## {entry.id}",
            "",
            f"**{entry.title}**: severity {entry.severity.value}, engine `{entry.engine}`.",
            "",
            entry.rationale,
            "",
            "Fix:",
            "",
            "```hcl",
            entry.fix,
            "```",
            "",
            f"Reference: <{entry.docs_url}>",
        ]
    return "\n".join(lines) + "\n"


def write_markdown(path: Path) -> None:
    """Write the generated policy documentation to `path`."""
    path.write_text(render_markdown(), encoding="utf-8")


if __name__ == "__main__":
    import sys

    write_markdown(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/terraform-policies.md"))
