"""Slash commands: what each does, and how a line is split into a command and its argument.

They run in the turn's worker thread and answer through the engine's `emit`; none needs a
model. `/save` and `/clear` act on the transcript, which the app owns.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass

from tools.errors import InputError


@dataclass(frozen=True)
class SlashCommand:
    """One command: its name, what it takes and what it does."""

    name: str
    usage: str
    help: str


COMMANDS: tuple[SlashCommand, ...] = (
    SlashCommand(
        "diagnose",
        "/diagnose PATH|--cluster [NS]",
        "find the root cause in logs, or in a namespace of the cluster (read-only)",
    ),
    SlashCommand("validate", "/validate PATH", "validate Kubernetes manifests or a Terraform module"),
    SlashCommand("generate", "/generate k8s|terraform|compose ASK", "generate files from a blueprint"),
    SlashCommand("ask", "/ask QUESTION", "search the knowledge base (offline) or ask the model"),
    SlashCommand("model", "/model [NAME|off]", "show the model, switch to another, or go offline"),
    SlashCommand("undo", "/undo", "undo the last change shipmate applied"),
    SlashCommand("audit", "/audit [N]", "the last N records of the audit log (default 10)"),
    SlashCommand("clear", "/clear", "empty the transcript"),
    SlashCommand("save", "/save [FILE]", "save the transcript as Markdown"),
    SlashCommand("help", "/help", "list the commands and keys"),
)
BY_NAME = {command.name: command for command in COMMANDS}


@dataclass(frozen=True)
class Parsed:
    """A slash command and the rest of the line."""

    command: SlashCommand
    argument: str


def parse(line: str) -> Parsed:
    """`/name rest` as a command and its argument; an unknown name lists the known ones."""
    name, _, rest = line.strip().removeprefix("/").partition(" ")
    command = BY_NAME.get(name.lower())
    if command is None:
        known = ", ".join(f"/{c.name}" for c in COMMANDS)
        raise InputError(f"/{name}", f"is not a command; the commands are {known}")
    return Parsed(command, rest.strip())


def path_argument(parsed: Parsed) -> str:
    """The single path a command takes (quotes allowed), or a clear error with its usage."""
    try:
        parts = shlex.split(parsed.argument)
    except ValueError as err:
        raise InputError(parsed.command.usage, f"cannot read the path: {err}") from err
    if len(parts) != 1:
        raise InputError(parsed.command.usage, "give exactly one path")
    return parts[0]


def help_markdown() -> str:
    """The commands as a Markdown table."""
    rows = "\n".join(f"| `{c.usage}` | {c.help} |" for c in COMMANDS)
    return f"| command | what it does |\n|---|---|\n{rows}\n"
