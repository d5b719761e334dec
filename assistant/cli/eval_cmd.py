"""`shipmate eval`: run the evaluation suites and report the scores, against the previous run."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from assistant.cli.state import GlobalOptions
from tools.errors import InputError

if TYPE_CHECKING:
    from assistant.config import LoadedSettings
    from assistant.evaluation.suites import ModelFactory
    from tools.evaluation.models import EvalReport

HELP = """Measure shipmate on cases with known answers: per-suite scores, per-case results,
and the change against a previous run.

Suites: diagnosis (root cause of failure logs), retrieval (knowledge search),
validation (agreement with kubeconform and checkov), generation (generated manifests
and Terraform), agent (on-call investigations over recorded kubectl, log, git and
validation outputs), safety (planted instructions and secrets). Without --model the
offline engine answers; with one, the agent does (agent and safety suites).

A case is a folder: inputs (or workspace/ for agent cases), and expected.yaml with
what must hold (docs/eval.md). --cases DIR runs your own: DIR/<suite>/<case>/, or
DIR/<case>/ when one suite is named. Scoring is deterministic; --judge adds an LLM
judge's grade of each agent answer, reported apart.

Examples:

  shipmate eval

  shipmate eval diagnosis agent --format markdown --output eval.md

  shipmate eval agent --cases ./our-incidents

  SHIPMATE_MODEL=openai/gpt-4.1-mini shipmate eval agent safety --judge

  shipmate eval --save runs/today.json --previous runs/yesterday.json --chart scores.png

Exit codes: 0 the run finished (whatever the scores), 1 --min-score not reached by a
suite, 2 usage or input error.
"""

FORMATS = ("text", "json", "markdown")


def eval_command(
    ctx: typer.Context,
    suites: list[str] = typer.Argument(
        None,
        help="Suites to run: diagnosis, retrieval, validation, generation, agent, safety. [default: all]",
    ),
    cases: Path = typer.Option(None, "--cases", help="A folder of your own cases.", show_default=False),
    model: str = typer.Option(
        None,
        "--model",
        help="Run the agent suites with this litellm model. [default: configured, else offline]",
    ),
    offline: bool = typer.Option(False, "--offline", help="Ignore the configured model."),
    judge: bool = typer.Option(
        False, "--judge", help="Also grade agent answers with the model (kept apart)."
    ),
    output_format: str = typer.Option(
        "text", "--format", "-f", help="text, json or markdown (the report on standard output)."
    ),
    save: Path = typer.Option(None, "--save", help="Also write the JSON report here.", show_default=False),
    previous: Path = typer.Option(
        None, "--previous", help="A JSON report of an earlier run to compare against.", show_default=False
    ),
    chart: Path = typer.Option(
        None, "--chart", help="Write a PNG chart of the suite scores.", show_default=False
    ),
    min_score: float = typer.Option(
        None, "--min-score", min=0.0, max=1.0, help="Exit 1 when a suite that ran scores below this (0..1)."
    ),
) -> None:
    """Run the evaluation suites; see HELP."""
    from assistant.config import load_settings
    from assistant.evaluation.run import find_evals_root, run_eval
    from tools.evaluation.compare import compare, load_report

    options: GlobalOptions = ctx.obj or GlobalOptions()
    if output_format not in FORMATS:
        raise InputError("--format", f"{output_format!r} is not one of {', '.join(FORMATS)}")
    if cases is not None and not cases.is_dir():
        raise InputError(str(cases), "no such folder")
    before = load_report(previous) if previous is not None else None
    loaded = load_settings({"model": model})
    model_name = None if offline else loaded.settings.model
    if judge and model_name is None:
        raise InputError("--judge", "needs a model: --model, SHIPMATE_MODEL or `model` in config")
    factory = _model_factory(loaded) if model_name else None
    evals_root = find_evals_root(Path.cwd())

    def progress(name: str) -> None:
        if not options.quiet and sys.stderr.isatty():
            sys.stderr.write(f"running {name} …\n")

    report = run_eval(
        suites or [],
        cases=cases,
        evals_root=evals_root,
        model=factory,
        model_name=model_name,
        progress=progress,
    )
    if judge:
        from assistant.evaluation.judge import judge_report

        judge_report(report, loaded)
    if before is not None:
        report.changes = compare(report, before)
        report.previous = str(previous)
    _write_outputs(report, output_format, save, chart)
    low = [
        s.suite for s in report.suites if s.status == "ran" and min_score is not None and s.score < min_score
    ]
    if low:
        raise typer.Exit(1)


def _write_outputs(report: EvalReport, output_format: str, save: Path | None, chart: Path | None) -> None:
    from assistant.render.eval_report import eval_lines, eval_markdown
    from assistant.render.json_out import to_json
    from tools.atomic import write_atomically

    if output_format == "json":
        sys.stdout.write(to_json(report))
    elif output_format == "markdown":
        sys.stdout.write(eval_markdown(report))
    else:
        sys.stdout.write("\n".join(eval_lines(report)) + "\n")
    if save is not None:
        try:
            write_atomically(save, to_json(report).encode("utf-8"))
        except OSError as err:
            raise InputError(str(save), f"cannot write: {err.strerror or err}") from err
    if chart is not None:
        from assistant.evaluation.chart import score_chart

        scores = {s.suite: s.score for s in report.suites if s.status == "ran"}
        try:
            score_chart(scores, chart, title=f"shipmate eval · {report.model or 'offline'}")
        except OSError as err:
            raise InputError(str(chart), f"cannot write: {err.strerror or err}") from err


def _model_factory(loaded: LoadedSettings) -> ModelFactory:
    """A fresh langchain chat model per case, built from the settings (litellm, imported lazily)."""
    from assistant.agent.model import chat_model
    from assistant.llm.config import GatewayConfig

    config = GatewayConfig.from_loaded(loaded)
    return lambda: chat_model(config)
