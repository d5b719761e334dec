"""`shipmate generate`: manifests from blueprints that validate clean, written only through proposals."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from assistant.cli.state import GlobalOptions, repository_root
from tools.errors import InputError

if TYPE_CHECKING:
    from tools.blueprints.model import GeneratedFile

HELP = """Generate Kubernetes manifests from a plain-words ask, offline, validated before you see them.

The ask maps to a blueprint and its parameters ("deploy ghcr.io/acme/api:1.4.2 with 3
replicas on port 8000, autoscale to 10, at api.example.com"); --set gives or overrides
any parameter. The result is validated (schema and every policy) and must come out
clean. Files are written only as proposals: the diff against what is there, applied
after you approve it (or name it with --yes ID); --stdout prints instead.

Blueprints so far: k8s-web-service (Deployment, Service, PodDisruptionBudget,
NetworkPolicy, optional HPA and Ingress with TLS). `--list` shows their parameters.

Examples:

  shipmate generate k8s "deploy nginxinc/nginx-unprivileged:1.27 with 3 replicas" --stdout

  shipmate generate k8s "run ghcr.io/acme/api:1.4.2 on port 8000, autoscale to 10" --out k8s/

  shipmate generate k8s "web service" --set image=ghcr.io/acme/web:2.1 --set host=web.example.com
"""


def generate(
    ctx: typer.Context,
    target: str = typer.Argument(None, help="What to generate: k8s.", show_default=False),
    intent: str = typer.Argument(None, help="The ask, in plain words.", show_default=False),
    settings: list[str] = typer.Option(
        None, "--set", help="A blueprint parameter, key=value (repeatable).", show_default=False
    ),
    stdout: bool = typer.Option(False, "--stdout", help="Print the files instead of proposing them."),
    out: Path = typer.Option(Path("."), "--out", help="Folder to propose the files in."),
    yes: list[str] = typer.Option(
        None, "--yes", help="Apply the proposal with this id without asking (repeatable).", show_default=False
    ),
    list_blueprints: bool = typer.Option(False, "--list", help="List the blueprints and their parameters."),
) -> None:
    """Generate; see HELP."""
    from tools.blueprints.intent import parse_intent
    from tools.blueprints.registry import BLUEPRINTS, generate_blueprint

    options: GlobalOptions = ctx.obj or GlobalOptions()
    if list_blueprints:
        for blueprint in BLUEPRINTS.values():
            print(f"{blueprint.name} ({blueprint.target}): {blueprint.title}")
            for parameter in blueprint.parameters:
                default = "required" if parameter.required else f"default {parameter.default!r}"
                print(f"  {parameter.name:<16} {parameter.help} ({default})")
        return
    if not target or not intent:
        raise InputError(
            "generate", 'give a target and an ask, e.g. shipmate generate k8s "deploy nginx:1.27"'
        )
    parsed = parse_intent(target, intent)
    parsed.parameters.update(_settings(settings or []))
    generated = generate_blueprint(parsed.blueprint, parsed.parameters)
    report = generated.validation
    blocking = [f for f in report.findings if f.severity.rank >= 3 or f.engine == "schema"]
    if report.counts.invalid or report.counts.errors or blocking:
        problems = "; ".join(f.title for f in blocking[:3]) or "invalid objects"
        raise InputError(generated.blueprint, f"the rendered manifests do not validate clean: {problems}")
    if not options.quiet:
        shown = ", ".join(f"{k}={v}" for k, v in generated.parameters.items() if v not in (None, ""))
        print(
            f"shipmate: {generated.blueprint} with {shown}: {report.counts.resources} objects, "
            f"valid, {len(report.findings)} findings",
            file=sys.stderr,
        )
    if stdout:
        for generated_file in generated.files:
            sys.stdout.write(generated_file.text)
        return
    _propose(generated.files, out, set(yes or []), options)


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
