"""`shipmate generate`: manifests from blueprints that validate clean, written only through proposals."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from assistant.cli.state import GlobalOptions, repository_root
from tools.errors import InputError

if TYPE_CHECKING:
    from tools.blueprints.model import Blueprint, GeneratedFile

HELP = """Generate Kubernetes manifests, Terraform modules or Compose stacks from a plain-words ask,
offline, validated before you see them.

The ask maps to a blueprint and its parameters ("deploy ghcr.io/acme/api:1.4.2 with 3
replicas on port 8000, autoscale to 10, at api.example.com"); --blueprint picks one by
name and --set gives or overrides any parameter. The result is validated (Kubernetes:
schemas and every policy; Terraform: shipmate's checks and `terraform fmt`; Compose: the
Compose specification) and must come out with no errors and no high findings. Files are
written only as proposals: the diff against what is there, applied after you approve it
(or name it with --yes ID); --stdout prints instead.

`shipmate generate --list` shows every blueprint and its parameters.

Examples:

  shipmate generate k8s "deploy nginxinc/nginx-unprivileged:1.27 with 3 replicas" --stdout

  shipmate generate k8s "run ghcr.io/acme/api:1.4.2 on port 8000, autoscale to 10" --out k8s/

  shipmate generate k8s "web service" --set image=ghcr.io/acme/web:2.1 --set host=web.example.com

  shipmate generate terraform "an S3 bucket named acme-logs in eu-west-1" --out infra/logs
"""


def generate(
    ctx: typer.Context,
    target: str = typer.Argument(
        None, help="What to generate: k8s, terraform or compose.", show_default=False
    ),
    intent: str = typer.Argument(None, help="The ask, in plain words.", show_default=False),
    settings: list[str] = typer.Option(
        None, "--set", help="A blueprint parameter, key=value (repeatable).", show_default=False
    ),
    blueprint_name: str = typer.Option(
        None, "--blueprint", "-b", help="Use this blueprint (see --list) instead of choosing from the ask."
    ),
    stdout: bool = typer.Option(False, "--stdout", help="Print the files instead of proposing them."),
    out: Path = typer.Option(
        None,
        "--out",
        help="Folder to propose the files in (default: . for k8s and compose, ./BLUEPRINT for terraform).",
        show_default=False,
    ),
    yes: list[str] = typer.Option(
        None, "--yes", help="Apply the proposal with this id without asking (repeatable).", show_default=False
    ),
    list_blueprints: bool = typer.Option(False, "--list", help="List the blueprints and their parameters."),
) -> None:
    """Generate; see HELP."""
    from tools.blueprints.intent import parse_intent
    from tools.blueprints.registry import all_blueprints, generate_blueprint

    options: GlobalOptions = ctx.obj or GlobalOptions()
    if list_blueprints:
        _print_list(all_blueprints().values(), target)
        return
    if not target or (not intent and not blueprint_name):
        raise InputError(
            "generate", 'give a target and an ask, e.g. shipmate generate k8s "deploy nginx:1.27"'
        )
    parsed = parse_intent(target, intent or "", blueprint_name)
    parsed.parameters.update(_settings(settings or []))
    generated = generate_blueprint(parsed.blueprint, parsed.parameters)
    report = generated.validation
    blocking = [f for f in report.findings if f.severity.rank >= 3 or f.engine == "schema"]
    if report.counts.invalid or report.counts.errors or blocking:
        problems = "; ".join(f.title for f in blocking[:3]) or "; ".join(
            m for r in report.results[:3] for m in r.messages[:1]
        )
        raise InputError(generated.blueprint, f"the rendered files do not validate clean: {problems}")
    if not options.quiet:
        shown = ", ".join(f"{k}={v}" for k, v in generated.parameters.items() if v not in (None, ""))
        print(
            f"shipmate: {generated.blueprint} with {shown}: {len(generated.files)} files, "
            f"{report.counts.resources} objects, valid, {len(report.findings)} findings",
            file=sys.stderr,
        )
    if stdout:
        _print_files(generated.files)
        return
    chosen = all_blueprints()[generated.blueprint]
    folder = out if out is not None else Path(generated.blueprint if chosen.target == "terraform" else ".")
    _propose(generated.files, folder, set(yes or []), options)


def _print_list(blueprints: Iterable[Blueprint], target: str | None) -> None:
    from tools.blueprints.intent import target_of

    wanted = target_of(target) if target else None
    for blueprint in blueprints:
        if wanted and blueprint.target != wanted:
            continue
        print(f"{blueprint.name} ({blueprint.target}): {blueprint.title}")
        if blueprint.example_ask:
            print(f'  e.g. "{blueprint.example_ask}"')
        for parameter in blueprint.parameters:
            default = "required" if parameter.required else f"default {parameter.default!r}"
            choices = f"; one of {', '.join(parameter.choices)}" if parameter.choices else ""
            print(f"  {parameter.name:<18} {parameter.help} ({default}{choices})")


def _print_files(files: Sequence[GeneratedFile]) -> None:
    """One file as it is (pipe it to validate); several with a `# --- path` comment before each."""
    if len(files) == 1:
        sys.stdout.write(files[0].text)
        return
    for generated_file in files:
        sys.stdout.write(f"# --- {generated_file.path}\n{generated_file.text}")
        if not generated_file.text.endswith("\n"):
            sys.stdout.write("\n")


def _settings(pairs: list[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise InputError(f"--set {pair}", "expected key=value")
        values[key.strip()] = value
    return values


def _propose(files: Sequence[GeneratedFile], out: Path, approved: set[str], options: GlobalOptions) -> None:
    from assistant.cli.proposal_view import review_and_apply
    from tools.proposals import file_edit_proposal

    root = repository_root(Path.cwd())
    proposals = [
        file_edit_proposal(root, out / f.path, f.text, f"generate {f.path}", origin="shipmate generate")
        for f in files
    ]
    review_and_apply(proposals, approved, root, options.no_color)
