"""`shipmate validate`: Kubernetes manifests and Terraform, checked offline."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import typer

from assistant.cli.state import GlobalOptions
from tools.errors import InputError

if TYPE_CHECKING:
    from assistant.config import LoadedSettings
    from tools.validation.report import ValidationReport

HELP = """Validate Kubernetes manifests and Terraform, offline, with a fix for every problem.

Kubernetes: YAML and JSON files, folders, multi-document files, List kinds and
standard input (-), e.g. `helm template ./chart | shipmate validate -`. Each
object is checked against the official schema of its kind for the chosen
Kubernetes version (default: the newest bundled), then against security,
reliability and consistency policies (docs/kubernetes-policies.md). Custom
resources need their CRD (--crd) or a schema folder (--schema-location).

Terraform: .tf and .tfvars files and module folders: HCL syntax, references,
security policies (docs/terraform-policies.md), and `terraform fmt -check` and
`terraform validate` when a terraform or tofu binary is on PATH.

A folder is read for both: its YAML files as manifests, each folder of .tf files
as a module. Helm charts and kustomizations inside folders are not read: render
them and pipe the output in.

Suppress a policy for one object with the annotation
`shipmate.dev/ignore: "K8S_LATEST_TAG"`, or for every object with --ignore.

Examples:

  shipmate validate k8s/

  helm template ./chart | shipmate validate - --strict

  shipmate validate manifests/ --kubernetes-version 1.29 --crd crds/

  shipmate validate infra/ --format sarif > shipmate.sarif

  shipmate validate deploy.yaml --fail-on high --ignore K8S_LATEST_TAG
"""

FORMATS = ("text", "json", "markdown", "sarif", "junit")


def validate(
    ctx: typer.Context,
    paths: list[str] = typer.Argument(
        None, help="Files, folders, or - for standard input.", show_default=False
    ),
    output_format: str = typer.Option(
        None,
        "--format",
        "-f",
        help="text, json, markdown, sarif or junit. [default: text]",
        show_default=False,
    ),
    kubernetes_version: str = typer.Option(
        None,
        "--kubernetes-version",
        "-k",
        help="Kubernetes version whose schemas to use, e.g. 1.29. [default: newest bundled]",
        show_default=False,
    ),
    strict: bool = typer.Option(
        None, "--strict/--no-strict", help="Refuse unknown and duplicate fields.", show_default=False
    ),
    crds: list[str] = typer.Option(
        None, "--crd", help="CRD file or folder for custom resources (repeatable).", show_default=False
    ),
    schema_locations: list[str] = typer.Option(
        None,
        "--schema-location",
        help="Folder of JSON schemas named kind-group-version.json (repeatable).",
        show_default=False,
    ),
    ignore_missing_schemas: bool = typer.Option(
        None,
        "--ignore-missing-schemas",
        help="Report kinds without a known schema as skipped instead of errors.",
        show_default=False,
    ),
    ignore: list[str] = typer.Option(
        None, "--ignore", help="Policy id to switch off (repeatable).", show_default=False
    ),
    no_policies: bool = typer.Option(False, "--no-policies", help="Schema and syntax checks only."),
    list_policies: bool = typer.Option(
        False, "--list-policies", help="Print every policy (id, severity, title) and exit."
    ),
    external: list[str] = typer.Option(
        None,
        "--with",
        help="Also run this external checker when installed: checkov, tflint, conftest (repeatable).",
        show_default=False,
    ),
    fix: bool = typer.Option(
        False,
        "--fix",
        help="Propose mechanical fixes (a diff per file, comments kept) and apply the ones you approve.",
    ),
    yes: list[str] = typer.Option(
        None,
        "--yes",
        help="With --fix: apply the proposal with this id without asking (repeatable).",
        show_default=False,
    ),
    fail_on: str = typer.Option(
        None,
        "--fail-on",
        help="Exit 1 when a finding is at least this severe: info, low, medium, high, critical. "
        "Invalid objects always fail. [default: medium]",
        show_default=False,
    ),
) -> None:
    """Validate manifests and Terraform; see HELP."""
    from assistant.config import load_settings

    options: GlobalOptions = ctx.obj or GlobalOptions()
    if list_policies:
        _print_policies(output_format or "text")
        return
    if not paths:
        raise InputError("validate", "name files or folders to validate, or - for standard input")
    if output_format is not None and output_format not in FORMATS:
        raise InputError("--format", f"{output_format!r} is not one of {', '.join(FORMATS)}")
    validation = {
        "kubernetes_version": kubernetes_version,
        "strict": strict,
        "crds": crds or None,
        "schema_locations": schema_locations or None,
        "ignore_missing_schemas": ignore_missing_schemas,
        "ignore": ignore or None,
        "external": external or None,
    }
    flags: dict[str, object] = {"fail_on": fail_on}
    chosen = {key: value for key, value in validation.items() if value is not None}
    if chosen:
        flags["validation"] = chosen
    loaded = load_settings(flags)
    chosen_format = output_format or loaded.settings.format
    if fix and chosen_format != "text":
        raise InputError("--fix", "shows diffs for a person to approve: use it with text output")
    report = run_validation(paths, loaded, policies=not no_policies)
    _print(report, loaded, chosen_format, options)
    if fix:
        from assistant.cli.fix_flow import offer_fixes

        offer_fixes(report, set(yes or []), options)
    from tools.findings import Severity

    if report.failed(Severity(loaded.settings.fail_on)):
        raise typer.Exit(1)


def run_validation(paths: list[str], loaded: LoadedSettings, policies: bool = True) -> ValidationReport:
    """Validate the Kubernetes and Terraform parts of `paths` as the settings say; one merged report."""
    from assistant.config import configured_paths
    from tools.validation.inputs import split_targets
    from tools.validation.report import ValidationReport

    settings = loaded.settings.validation
    targets = split_targets(paths)
    report = ValidationReport(
        target="+".join(
            name
            for name, wanted in (("kubernetes", targets.kubernetes), ("terraform", targets.terraform))
            if wanted
        )
        or "kubernetes"
    )
    if targets.kubernetes:
        from tools.k8s.validate import validate_k8s

        report.merge(
            validate_k8s(
                targets.kubernetes,
                kubernetes_version=settings.kubernetes_version,
                strict=settings.strict,
                crds=configured_paths(loaded, "validation.crds", settings.crds),
                schema_locations=configured_paths(
                    loaded, "validation.schema_locations", settings.schema_locations
                ),
                ignore_missing_schemas=settings.ignore_missing_schemas,
                policies=policies,
                ignored_policies=settings.ignore,
            )
        )
    if targets.terraform:
        from tools.terraform.validate import validate_terraform

        terraform = validate_terraform(
            targets.terraform, external=settings.external, terraform_binary=settings.terraform_binary
        )
        ignored = set(settings.ignore)
        terraform.findings = [f for f in terraform.findings if f.id not in ignored]
        report.merge(terraform)
    report.findings.sort(key=lambda f: -f.severity.rank)
    return report


def _print(
    report: ValidationReport, loaded: LoadedSettings, output_format: str, options: GlobalOptions
) -> None:
    if output_format == "json":
        from assistant.render.json_out import to_json

        sys.stdout.write(to_json(report))
    elif output_format == "markdown":
        from assistant.render.validation import validation_markdown

        sys.stdout.write(validation_markdown(report))
    elif output_format == "sarif":
        from assistant.render.sarif import to_sarif

        sys.stdout.write(to_sarif(report))
    elif output_format == "junit":
        from assistant.render.junit import to_junit
        from tools.findings import Severity

        sys.stdout.write(to_junit(report, Severity(loaded.settings.fail_on)))
    else:
        from assistant.cli.console import color_disabled, make_console
        from assistant.render.validation import validation_lines

        settings = loaded.settings
        console = make_console(
            no_color=color_disabled(options.no_color, settings.color), force=settings.color == "always"
        )
        for line in validation_lines(report, verbose=options.verbosity > 0, quiet=options.quiet):
            console.print(line)


def _print_policies(output_format: str) -> None:
    """The Kubernetes and Terraform policy catalogues, as a table or JSON."""
    import json

    from tools.k8s.policies import policy_catalogue as kubernetes_policies
    from tools.terraform.validate import policy_catalogue as terraform_policies

    rows = [
        {"id": p.id, "severity": p.severity.value, "target": "kubernetes", "title": p.title, "docs": p.docs}
        for p in kubernetes_policies()
    ] + [
        {
            "id": p.id,
            "severity": p.severity.value,
            "target": "terraform",
            "title": p.title,
            "docs": p.docs_url,
        }
        for p in terraform_policies()
    ]
    if output_format == "json":
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        return
    width = max(len(row["id"]) for row in rows)
    for row in rows:
        sys.stdout.write(f"{row['id']:<{width}}  {row['severity']:<8}  {row['title']}\n")
