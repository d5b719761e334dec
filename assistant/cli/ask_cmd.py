"""`shipmate ask`: with a model, the agent investigates; without one, each input goes to its engine."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from assistant.cli.state import GlobalOptions
from tools.errors import InputError

if TYPE_CHECKING:
    from assistant.config import LoadedSettings

HELP = """Ask in plain words; answers cite their evidence.

With a model configured (SHIPMATE_MODEL or `model` in config), the agent investigates:
it reads the files you name and the repository, diagnoses logs, validates manifests,
searches the knowledge base and proposes changes, which you approve one by one
(nothing is written or run otherwise; every step goes to the audit log).

With no model (or --offline), each input goes to its engine and the answer says so:
log files to `diagnose`, manifests and Terraform to `validate`, the question to the
knowledge base (best passages with their source and heading). With no index yet, the
bundled knowledge is indexed first (a minute or so, once).

Examples:

  shipmate ask "Error acquiring the state lock"

  shipmate ask "why is checkout failing?" --file describe.txt --file app.log

  shipmate ask "make this deployment production-ready" --file k8s/deploy.yaml

  shipmate ask "my image can't be downloaded" --platform kubernetes --format json
"""


def ask(
    ctx: typer.Context,
    question: str = typer.Argument(
        ..., help="The question, an error message, or an identifier.", show_default=False
    ),
    files: list[Path] = typer.Option(
        None, "--file", help="A log, manifest or Terraform file to look at (repeatable).", show_default=False
    ),
    repo: Path = typer.Option(
        None,
        "--repo",
        help="Repository the agent works in. [default: the one around the current folder]",
        show_default=False,
    ),
    offline: bool = typer.Option(
        False, "--offline", help="Do not use the model even when one is configured."
    ),
    k: int = typer.Option(5, "-k", "--top", min=1, max=50, help="How many passages to show."),
    category: str = typer.Option(
        None, "--category", help="Only passages tagged with this taxonomy category.", show_default=False
    ),
    platform: str = typer.Option(
        None,
        "--platform",
        help="Only passages for this platform (kubernetes, terraform, ...).",
        show_default=False,
    ),
    mode: str = typer.Option("hybrid", "--mode", help="hybrid (default), dense or lexical."),
    store: str = typer.Option(
        None, "--store", help="Index location (directory or Chroma server URL).", show_default=False
    ),
    output_format: str = typer.Option(
        None, "--format", "-f", help="text, json or markdown. [default: text]", show_default=False
    ),
) -> None:
    """Ask; see HELP."""
    from assistant.config import knowledge_store, load_settings

    options: GlobalOptions = ctx.obj or GlobalOptions()
    if not question.strip():
        raise InputError("question", 'empty: ask something, e.g. shipmate ask "connection refused"')
    if mode not in ("hybrid", "dense", "lexical"):
        raise InputError("--mode", f"{mode!r} is not one of hybrid, dense, lexical")
    flags: dict[str, object] = {"format": output_format}
    if store:
        flags["knowledge"] = {"store": store}
    loaded = load_settings(flags)
    for path in files or []:
        if not path.exists():
            raise InputError(str(path), "no such file or directory")
    if loaded.settings.model and not offline:
        from assistant.cli.agent_ask import ask_agent

        location = knowledge_store(loaded)
        ask_agent(question, list(files or []), repo, loaded, options.quiet, location)
        return
    routed = _route(list(files or []), loaded, options)
    passages = _search(question, loaded, options, k, category, platform, mode)
    _print(question, routed, passages, loaded, options)
    if not options.quiet and loaded.settings.format == "text":
        reason = "--offline" if offline else "no model configured (set SHIPMATE_MODEL for the agent)"
        print(
            f"shipmate: answered offline, {reason}: logs to diagnose, manifests to validate, "
            "the question to the knowledge base",
            file=sys.stderr,
        )
    if not passages and not routed:
        raise typer.Exit(1)


def _route(files: list[Path], loaded: LoadedSettings, options: GlobalOptions) -> list[dict[str, Any]]:
    from assistant.agent.router import route_files

    results: list[dict[str, Any]] = []
    for item in route_files(files):
        if item.route == "diagnose":
            from tools.logs.diagnose import diagnose

            diagnosis = diagnose([str(item.path)])
            results.append(
                {"path": str(item.path), "route": "diagnose", "reason": item.reason, "report": diagnosis}
            )
        else:
            from assistant.cli.validate_cmd import run_validation

            report = run_validation([str(item.path)], loaded)
            results.append(
                {"path": str(item.path), "route": "validate", "reason": item.reason, "report": report}
            )
    return results


def _search(
    question: str,
    loaded: LoadedSettings,
    options: GlobalOptions,
    k: int,
    category: str | None,
    platform: str | None,
    mode: str,
) -> list[Any]:
    from assistant.cli.knowledge_cmd import IndexProgress, configured_embedder
    from assistant.config import knowledge_paths, knowledge_store
    from tools.retrieval.docs_tool import build_index, index_is_empty, search_docs

    location = knowledge_store(loaded)
    embedder = configured_embedder(loaded)
    if index_is_empty(location, embedder):
        if not options.quiet:
            print(
                f"shipmate: no knowledge index at {location} yet; indexing the bundled knowledge once",
                file=sys.stderr,
            )
        with IndexProgress(options.quiet) as progress:
            build_index(location, knowledge_paths(loaded), progress=progress.update, embedder=embedder)
    return search_docs(
        question,
        location,
        k=k,
        category=category,
        platform=platform,
        mode=mode,  # type: ignore[arg-type]
        embedder=embedder,
    )


def _print(
    question: str,
    routed: list[dict[str, Any]],
    passages: list[Any],
    loaded: LoadedSettings,
    options: GlobalOptions,
) -> None:
    from assistant.cli.knowledge_cmd import passages_markdown, print_passages

    fmt = loaded.settings.format
    if fmt == "json":
        document = {
            "question": question,
            "routed": [
                {key: value for key, value in r.items() if key != "report"}
                | {"result": r["report"].model_dump(mode="json")}
                for r in routed
            ],
            "passages": [asdict(p) for p in passages],
        }
        sys.stdout.write(json.dumps(document, indent=2) + "\n")
        return
    if fmt == "markdown":
        sys.stdout.write(passages_markdown(question, passages))
        return
    from assistant.cli.console import color_disabled, make_console
    from assistant.render.text import diagnosis_lines
    from assistant.render.validation import validation_lines

    console = make_console(no_color=color_disabled(options.no_color, loaded.settings.color))
    for item in routed:
        console.print(f"── {item['path']}: {item['reason']}, so `shipmate {item['route']}`", style="bold")
        lines = (
            diagnosis_lines(item["report"], limit=3, quiet=True)
            if item["route"] == "diagnose"
            else validation_lines(item["report"], quiet=True)
        )
        for line in lines:
            console.print(line)
    if routed:
        console.print("── the knowledge base", style="bold")
    print_passages(passages, options)
