"""`shipmate diagnose`: root cause of a failure from logs, offline."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from assistant.cli.state import GlobalOptions
from tools.errors import InputError

if TYPE_CHECKING:
    from rich.console import Console

    from tools.logs.report import DiagnosisReport

HELP = """Find the root cause of a failure in logs, with the lines that prove it.

Reads files, directories (recursively), gzip files and standard input (-). Each
input's kind is recognised on its own: kubectl describe and events, container
logs, terraform, GitHub Actions and GitLab CI, docker build, JSON lines,
journald/syslog, stack traces, nginx ingress and model-server logs.

Findings are ranked root cause first: a missing Secret ranks above the
CrashLoopBackOff it causes, and an error that later recovered ranks low. Secrets
in the input never appear in the output.

Examples:

  shipmate diagnose describe.txt previous.log

  kubectl get events -n shop -o json | shipmate diagnose -

  shipmate diagnose ./build-logs --include '*.log' --exclude 'debug-*'

  shipmate diagnose app.log.gz --format json > diagnosis.json

  shipmate diagnose app.log --context-budget 1500   # the pack an LLM would get

  shipmate diagnose app.log --explain   # a configured model explains the findings
"""


def diagnose(
    ctx: typer.Context,
    paths: list[str] = typer.Argument(
        None, help="Files, directories, or - for standard input (or --cluster).", show_default=False
    ),
    output_format: str = typer.Option(
        None,
        "--format",
        "-f",
        help="Output format: text, json or markdown. [default: text]",
        show_default=False,
    ),
    include: list[str] = typer.Option(
        None,
        "--include",
        help="Only files matching this glob inside directories (repeatable).",
        show_default=False,
    ),
    exclude: list[str] = typer.Option(
        None,
        "--exclude",
        help="Skip files matching this glob inside directories (repeatable).",
        show_default=False,
    ),
    fail_on: str = typer.Option(
        None,
        "--fail-on",
        help="Exit 1 when a finding is at least this severe: info, low, medium, high, critical. "
        "[default: medium]",
        show_default=False,
    ),
    context_budget: int = typer.Option(
        None,
        "--context-budget",
        min=50,
        help="Print the compact evidence pack (what an LLM is given) within this many tokens instead.",
        show_default=False,
    ),
    signatures: list[Path] = typer.Option(
        None,
        "--signatures",
        help="Extra signature file or folder (repeatable; docs/signatures.md).",
        show_default=False,
    ),
    limit: int = typer.Option(
        5, "--limit", min=1, help="Findings to show in text output (all with -v or other formats)."
    ),
    explain: bool = typer.Option(
        False,
        "--explain",
        help="After the findings, the configured model explains them from the evidence pack (needs a model).",
    ),
    cluster: bool = typer.Option(
        False, "--cluster", help="Diagnose the cluster itself, read-only, instead of files (docs/cluster.md)."
    ),
    context: str = typer.Option(
        None, "--context", help="With --cluster: the kubeconfig context. [default: the current one]"
    ),
    namespace: list[str] = typer.Option(
        None,
        "--namespace",
        "-n",
        help="With --cluster: namespace to read (repeatable). [default: the context's]",
        show_default=False,
    ),
    all_namespaces: bool = typer.Option(
        False, "--all-namespaces", "-A", help="With --cluster: every namespace."
    ),
    selector: str = typer.Option(
        None, "--selector", "-l", help="With --cluster: only objects with these labels (app=web,tier!=db)."
    ),
    request_timeout: float = typer.Option(
        10.0, "--request-timeout", min=0.1, help="With --cluster: seconds to wait for each API request."
    ),
) -> None:
    """Diagnose logs offline; see HELP."""
    from assistant.cli.console import color_disabled, make_console
    from assistant.config import load_settings
    from tools.findings import Severity
    from tools.logs.diagnose import DiagnoseOptions
    from tools.logs.diagnose import diagnose as run_diagnosis

    options: GlobalOptions = ctx.obj or GlobalOptions()
    flags: dict[str, object] = {"format": output_format, "fail_on": fail_on}
    diagnose_flags = {
        key: value
        for key, value in {"include": include, "exclude": exclude, "signature_paths": signatures}.items()
        if value
    }
    if diagnose_flags:
        flags["diagnose"] = diagnose_flags
    loaded = load_settings(flags)
    settings = loaded.settings
    if explain and not settings.model:
        raise InputError("--explain", "needs a model: set SHIPMATE_MODEL or `model` in config")
    no_color = color_disabled(options.no_color, settings.color)
    _check_inputs(paths, cluster, bool(context or namespace or all_namespaces or selector))
    if all_namespaces and namespace:
        raise InputError("-A", "reads every namespace: leave out -n")
    if cluster:
        from assistant.cli.cluster_run import run_cluster_diagnosis

        report: DiagnosisReport = run_cluster_diagnosis(
            context, namespace or [], all_namespaces, selector, request_timeout, quiet=options.quiet
        )
    else:
        progress = _progress_reporter(options.quiet, no_color)
        try:
            report = run_diagnosis(
                paths,
                DiagnoseOptions(
                    include=settings.diagnose.include,
                    exclude=settings.diagnose.exclude,
                    mined_clusters=settings.diagnose.mined_clusters,
                    extra_signatures=settings.diagnose.signature_paths,
                ),
                progress=progress.update if progress else None,
            )
        finally:
            if progress:
                progress.close()

    console = make_console(no_color=no_color, force=settings.color == "always")
    if context_budget is not None:
        _print_pack(report, context_budget, settings.format, options.quiet)
    else:
        _print_report(report, settings.format, console, options, limit)
    if explain:
        from assistant.cli.explain import explain as explain_report

        if settings.format == "text":
            console.print("")
        explain_report(report, loaded, options.quiet)
    worst = report.worst_severity()
    if worst is not None and worst.at_least(Severity(settings.fail_on)):
        raise typer.Exit(1)


def _print_report(
    report: DiagnosisReport, output_format: str, console: Console, options: GlobalOptions, limit: int
) -> None:
    if output_format == "json":
        from assistant.render.json_out import to_json

        sys.stdout.write(to_json(report))
    elif output_format == "markdown":
        from assistant.render.markdown import diagnosis_markdown

        sys.stdout.write(diagnosis_markdown(report))
    else:
        from assistant.render.text import diagnosis_lines

        verbose = options.verbosity > 0
        for line in diagnosis_lines(
            report, verbose=verbose, limit=None if verbose else limit, quiet=options.quiet
        ):
            console.print(line)


def _check_inputs(paths: list[str] | None, cluster: bool, cluster_flags: bool) -> None:
    """Files or the cluster, never both and never neither; cluster options only with --cluster."""
    if cluster and paths:
        raise InputError("--cluster", "reads the cluster, not files: give one or the other")
    if cluster_flags and not cluster:
        raise InputError("--context/-n/-A/-l", "only apply with --cluster")
    if not cluster and not paths:
        raise InputError("diagnose", "name files or folders, - for standard input, or --cluster")


def _print_pack(report: DiagnosisReport, budget: int, output_format: str, quiet: bool) -> None:
    from tools.logs.evidence_pack import build_pack

    pack = build_pack(report, budget)
    if output_format == "json":
        import json

        sys.stdout.write(
            json.dumps({"budget": budget, "tokens": pack.tokens, "pack": pack.text}, indent=2) + "\n"
        )
    else:
        sys.stdout.write(pack.text + "\n")
    if pack.over_budget and not quiet:
        print(
            f"shipmate: note: the decisive lines alone need {pack.tokens} tokens, "
            f"more than the budget of {budget}",
            file=sys.stderr,
        )


class _Progress:
    """A transient progress line on stderr for long scans (terminal only)."""

    def __init__(self, no_color: bool) -> None:
        from rich.console import Console

        self._console = Console(stderr=True, no_color=no_color)
        self._status = self._console.status("Reading…")
        self._started = time.perf_counter()
        self._bytes = 0
        self._visible = False

    def update(self, source: str, size: int) -> None:
        self._bytes += size
        elapsed = time.perf_counter() - self._started
        if not self._visible and elapsed > 0.5:
            self._status.start()
            self._visible = True
        if self._visible:
            rate = self._bytes / 1e6 / max(elapsed, 1e-6)
            self._status.update(f"Reading {source}: {self._bytes / 1e6:,.0f} MB ({rate:,.0f} MB/s)")

    def close(self) -> None:
        if self._visible:
            self._status.stop()


def _progress_reporter(quiet: bool, no_color: bool) -> _Progress | None:
    if quiet or not sys.stderr.isatty():
        return None
    return _Progress(no_color)
