"""`shipmate config`: see the effective configuration and where each value comes from."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

app = typer.Typer(
    help="Inspect configuration. Precedence: flags > SHIPMATE_* environment > .shipmate.toml in the "
    "repository > ~/.config/shipmate/config.toml > defaults.",
    no_args_is_help=True,
)


@app.command(
    "show",
    help="Print every setting with its effective value and its source; secrets are masked.\n\n"
    "Example: SHIPMATE_MODEL=ollama/qwen2.5-coder shipmate config show",
)
def show(
    output_format: str = typer.Option("text", "--format", "-f", help="text or json."),
) -> None:
    """Show effective settings."""
    from assistant.config import describe, load_settings

    loaded = load_settings()
    rows = describe(loaded)
    if output_format == "json":
        payload = {name: {"value": value, "source": source} for name, value, source in rows}
        sys.stdout.write(json.dumps(payload, indent=2) + "\n")
        return
    if output_format != "text":
        raise typer.BadParameter("use text or json", param_hint="--format")
    width = max(len(name) for name, _, _ in rows)
    value_width = min(max(len(value) for _, value, _ in rows), 48)
    for name, value, source in rows:
        sys.stdout.write(f"{name:<{width}}  {value:<{value_width}}  {source}\n")
    files = loaded.files
    sys.stdout.write(f"\nrepository config: {files.repo or '(none found)'}\n")
    sys.stdout.write(f"user config:       {files.user}{'' if _exists(files.user) else ' (absent)'}\n")


@app.command(
    "path",
    help="Print the configuration files that apply here, one per line (the user file even when absent).\n\n"
    "Example: $EDITOR $(shipmate config path | tail -1)",
)
def path() -> None:
    """Print config file paths."""
    from assistant.config import config_files

    files = config_files()
    if files.repo:
        sys.stdout.write(f"{files.repo}\n")
    sys.stdout.write(f"{files.user}\n")


def _exists(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:
        return False
