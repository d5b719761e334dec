"""`shipmate audit show` and `shipmate audit verify`: read and check the hash-chained audit log."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import typer

from tools.errors import InputError

app = typer.Typer(
    help="Read and check the audit log: every proposal, approval, refusal, apply, commit and undo "
    "(and, with a model, every model and tool call), one hash-chained JSON line each, in "
    "$XDG_DATA_HOME/shipmate/audit.jsonl.",
    no_args_is_help=True,
)

LOG_HELP = "Audit log to read. [default: $XDG_DATA_HOME/shipmate/audit.jsonl]"
VALUE_WIDTH = 72


@app.command(
    "show",
    help="Print the last records: sequence, time, event and its fields.\n\n"
    "Examples:\n\n  shipmate audit show --last 5\n\n  shipmate audit show --format json | jq '.[].event'",
)
def show(
    last: int = typer.Option(20, "--last", "-n", help="How many of the newest records; 0 for all."),
    output_format: str = typer.Option("text", "--format", "-f", help="text or json."),
    log: Path = typer.Option(None, "--log", help=LOG_HELP, show_default=False),
) -> None:
    """Show the newest audit records."""
    if output_format not in ("text", "json"):
        raise InputError("--format", f"{output_format!r} is not one of text, json")
    if last < 0:
        raise InputError("--last", "must be 0 (all) or more")
    from assistant.audit import AuditLog

    records = AuditLog(log).records()
    chosen = records[-last:] if last else records
    if output_format == "json":
        sys.stdout.write(json.dumps(chosen, indent=2, sort_keys=True) + "\n")
        return
    if not records:
        print(f"shipmate: no audit records in {AuditLog(log).path}", file=sys.stderr)
        return
    for record in chosen:
        sys.stdout.write(audit_line(record) + "\n")


@app.command(
    "verify",
    help="Walk the hash chain: exit 0 when intact, 1 naming the first record edited, removed or "
    "moved.\n\nExample: shipmate audit verify && echo trusted",
)
def verify(log: Path = typer.Option(None, "--log", help=LOG_HELP, show_default=False)) -> None:
    """Verify the audit chain."""
    from assistant.audit import AuditLog

    check = AuditLog(log).verify()
    if check.ok:
        sys.stdout.write(f"chain intact ({check.records} records)\n")
        return
    sys.stdout.write(f"{check.message}\n")
    raise typer.Exit(1)


def audit_line(record: dict[str, Any]) -> str:
    """One audit record on one line: seq, time, event and its data, long values shortened."""
    if "broken" in record:
        return f"{'?':>5}  (not a JSON record) {_short(str(record['broken']))}"
    fields = " ".join(
        f"{key}={_short(value if isinstance(value, str) else json.dumps(value))}"
        for key, value in sorted((record.get("data") or {}).items())
        if value is not None
    )
    return f"{record.get('seq', '?'):>5}  {record.get('time', '')}  {record.get('event', ''):<14}  {fields}"


def _short(value: str) -> str:
    flat = value.replace("\n", "\\n")
    return flat if len(flat) <= VALUE_WIDTH else flat[: VALUE_WIDTH - 1] + "…"
