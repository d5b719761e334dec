"""The `shipmate` command line: global options and the command registry.

Commands import their heavy modules inside the command body, so `shipmate --help`
and `shipmate --version` stay fast.
"""

from __future__ import annotations

import sys

import typer

from assistant.cli import (
    ask_cmd,
    audit_cmd,
    chat_cmd,
    config_cmd,
    diagnose_cmd,
    eval_cmd,
    generate_cmd,
    knowledge_cmd,
    review_cmd,
    serve_cmd,
    undo_cmd,
    validate_cmd,
)
from assistant.cli.state import GlobalOptions
from tools.errors import InputError

HELP = """shipmate: a DevOps assistant you can trust, useful with no LLM at all.

It reads deployment logs and (read-only) clusters, finds the root cause with the
lines that prove it, and says how to fix it; it validates Kubernetes manifests and Terraform; it
searches a local knowledge base; it generates manifests and Terraform that
validate. Everything runs offline unless you configure a model. Alone on a
terminal, `shipmate` opens the chat (`shipmate chat`).

Examples:

  shipmate chat

  shipmate diagnose pod-describe.txt app.log

  kubectl logs deploy/api --previous | shipmate diagnose -

  shipmate diagnose ci-logs/ --include '*.log' --format json

  shipmate validate k8s/ infra/ --format sarif > shipmate.sarif

  shipmate diagnose --cluster -n payments

  shipmate review --base origin/main

  SHIPMATE_WEBHOOK_SECRET=... shipmate serve --allow-repo acme/*

  shipmate eval --previous last-run.json

  shipmate index && shipmate ask "Error acquiring the state lock"

  SHIPMATE_MODEL=openai/gpt-4.1-mini shipmate ask "why is checkout failing?" --file app.log

  shipmate audit verify

  shipmate config show

Exit codes: 0 nothing found at or above --fail-on, 1 findings at or above it,
2 usage or input error.
"""

app = typer.Typer(
    name="shipmate",
    help=HELP,
    invoke_without_command=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.command(
    "diagnose",
    help=diagnose_cmd.HELP,
    no_args_is_help=True,
)(diagnose_cmd.diagnose)
app.command("validate", help=validate_cmd.HELP, no_args_is_help=True)(validate_cmd.validate)
app.command("generate", help=generate_cmd.HELP, no_args_is_help=True)(generate_cmd.generate)
app.command("review", help=review_cmd.HELP)(review_cmd.review)
app.command("serve", help=serve_cmd.HELP)(serve_cmd.serve)
app.command("eval", help=eval_cmd.HELP)(eval_cmd.eval_command)
app.command("index", help=knowledge_cmd.INDEX_HELP)(knowledge_cmd.index)
app.command("ask", help=ask_cmd.HELP, no_args_is_help=True)(ask_cmd.ask)
app.add_typer(config_cmd.app, name="config")
app.add_typer(audit_cmd.app, name="audit")
app.command("undo", help=undo_cmd.HELP)(undo_cmd.undo)
app.command("chat", help=chat_cmd.HELP)(chat_cmd.chat)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"shipmate {version('shipmate')}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    verbose: int = typer.Option(
        0, "--verbose", "-v", count=True, help="More detail: -v explains every finding."
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print only the result, no progress or notes."),
    no_color: bool = typer.Option(
        False, "--no-color", help="No colour (NO_COLOR in the environment also works)."
    ),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Options that apply to every command; alone on a terminal, `shipmate` opens the chat."""
    ctx.obj = GlobalOptions(verbosity=verbose, quiet=quiet, no_color=no_color)
    if ctx.invoked_subcommand is not None:
        return
    if sys.stdin.isatty() and sys.stdout.isatty():
        from pathlib import Path

        from assistant.cli.state import repository_root

        chat_cmd.run_chat(repository_root(Path.cwd()).resolve())
        return
    typer.echo(ctx.get_help())
    raise typer.Exit(2)


def main() -> None:
    """Console-script entry point: one-line errors and exit code 2 for bad input."""
    try:
        app()
    except InputError as err:
        print(f"shipmate: error: {err}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        print("shipmate: interrupted", file=sys.stderr)
        sys.exit(130)
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(0)


if __name__ == "__main__":
    main()
