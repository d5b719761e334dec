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
    from assistant.config import LoadedSettings
    from tools.blueprints.model import Blueprint, GeneratedFile, Target

HELP = """Generate Kubernetes manifests, Terraform modules or Compose stacks from a plain-words ask,
offline, validated before you see them.

The ask maps to a blueprint and its parameters ("deploy ghcr.io/acme/api:1.4.2 with 3
replicas on port 8000, autoscale to 10, at api.example.com"); --blueprint picks one by
name and --set gives or overrides any parameter. The result is validated (Kubernetes:
schemas and every policy; Terraform: shipmate's checks and `terraform fmt`; Compose: the
Compose specification) and must come out with no errors and no high findings. Files are
written only as proposals: the diff against what is there, applied after you approve it
(or name it with --yes ID); --stdout prints instead.

With a model configured (SHIPMATE_MODEL or `model` in config), the model reads the ask:
it picks a blueprint and its parameters by a structured tool call or, when no blueprint
covers the ask, writes the files itself; what it writes is validated, the problems are
sent back, and it repairs them (at most 3 rounds, each shown and audited). Only output
that validates is proposed. --offline, --blueprint or --set keep to the offline path.

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
    offline: bool = typer.Option(
        False,
        "--offline",
        help="Use the blueprints and the offline intent parser even with a model configured.",
    ),
) -> None:
    """Generate; see HELP."""
    from assistant.config import load_settings
    from tools.blueprints.intent import target_of
    from tools.blueprints.registry import all_blueprints

    options: GlobalOptions = ctx.obj or GlobalOptions()
    if list_blueprints:
        _print_list(all_blueprints().values(), target)
        return
    if not target or (not intent and not blueprint_name):
        raise InputError(
            "generate", 'give a target and an ask, e.g. shipmate generate k8s "deploy nginx:1.27"'
        )
    kind = target_of(target)
    loaded = load_settings({})
    if loaded.settings.model and not offline and not blueprint_name and not settings:
        files, default_folder = _with_model(kind, intent, loaded, options.quiet)
    else:
        files, default_folder = _offline(kind, intent or "", blueprint_name, settings or [], options.quiet)
    if stdout:
        _print_files(files)
        return
    _propose(files, out if out is not None else default_folder, set(yes or []), options)


def _offline(
    kind: Target, intent: str, blueprint_name: str | None, settings: list[str], quiet: bool
) -> tuple[list[GeneratedFile], Path]:
    """A blueprint chosen by the offline intent parser (or named), rendered and validated clean."""
    from tools.blueprints.registry import default_folder, generate_from_ask, summary

    generated = generate_from_ask(kind, intent, blueprint_name, _settings(settings))
    if not quiet:
        print(f"shipmate: {summary(generated)}", file=sys.stderr)
    return generated.files, default_folder(generated)


def _with_model(
    kind: Target, intent: str, loaded: LoadedSettings, quiet: bool
) -> tuple[list[GeneratedFile], Path]:
    """The configured model chooses a blueprint or writes the files; validated and repaired, rounds shown."""
    from assistant.audit import AuditLog
    from assistant.generation.model_generate import Round, generate_with_model
    from assistant.llm.config import GatewayConfig
    from assistant.llm.gateway import LLMGateway

    audit = AuditLog()
    gateway = LLMGateway(GatewayConfig.from_loaded(loaded), audit=audit)

    def show(attempt: Round) -> None:
        if quiet:
            return
        what = f"blueprint {attempt.blueprint}" if attempt.blueprint else f"{len(attempt.paths)} files"
        if attempt.valid:
            print(f"shipmate: round {attempt.number}: {what}: valid", file=sys.stderr)
            return
        print(f"shipmate: round {attempt.number}: {what}: {len(attempt.problems)} problems", file=sys.stderr)
        for problem in attempt.problems[:5]:
            print(f"  - {problem}", file=sys.stderr)

    result = generate_with_model(gateway, kind, intent, audit=audit, on_round=show)
    if not quiet:
        made = f"blueprint {result.blueprint}" if result.blueprint else "files written by the model"
        usage = gateway.usage
        print(
            f"shipmate: {made} by {loaded.settings.model}: {len(result.files)} files, "
            f"{result.validation.counts.resources} objects, valid, "
            f"{len(result.validation.findings)} findings, {result.repair_rounds} repair rounds, "
            f"{usage.total_tokens} tokens, ${usage.cost_usd:.4f}",
            file=sys.stderr,
        )
    if kind != "terraform":
        return result.files, Path(".")
    return result.files, Path(result.blueprint or "terraform")


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
