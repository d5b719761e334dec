"""Run the generation eval: offline pass rate and coverage; with a model, pass@1 and repair rounds.

An ask passes when its output validates (no invalid object, no high finding) and every
check holds. Offline, an ask is served when the intent parser maps it to a blueprint;
the pass rate counts the served asks (goal 100%), coverage is served / all, and an ask
that should be served by a named blueprint but got another one fails. With a model
(`--model`, or the configured one), every ask goes to the model: pass@1 is the share
that passes in the first round, pass the share that passes within the repair rounds.

    python -m evals.generation.run [--asks FILE] [--model] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from evals.generation.checks import run_check
from tools.blueprints.model import GeneratedFile
from tools.errors import InputError

if TYPE_CHECKING:
    from assistant.config import LoadedSettings

ASKS = Path(__file__).resolve().parent / "asks.yaml"


@dataclass
class AskResult:
    """What happened to one ask."""

    id: str
    served: bool
    passed: bool
    blueprint: str | None = None
    problems: list[str] = field(default_factory=list)
    rounds: int = 0


@dataclass
class Scores:
    """One run's figures."""

    mode: str
    asks: int
    served: int
    passed: int
    seconds: float
    results: list[AskResult]
    pass_at_1: float | None = None
    mean_repair_rounds: float | None = None

    @property
    def coverage(self) -> float:
        """Share of asks served."""
        return self.served / self.asks if self.asks else 0.0

    @property
    def pass_rate(self) -> float:
        """Share of served asks that passed."""
        return self.passed / self.served if self.served else 0.0


def load_asks(path: Path = ASKS) -> list[dict[str, Any]]:
    """The asks of `path`."""
    asks: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return asks


def score_files(ask: dict[str, Any], files: list[GeneratedFile]) -> list[str]:
    """Why `files` fail `ask`: validation problems, then failed checks (empty: passed)."""
    from tools.blueprints.registry import blocking_problems, validate_files

    problems = blocking_problems(validate_files(ask["target"], files))
    for check in ask.get("checks") or []:
        try:
            reason = run_check(check, ask["target"], files)
        except Exception as error:  # a check that cannot read the output fails the ask, with why
            reason = f"{check}: {type(error).__name__}: {error}"
        if reason:
            problems.append(reason)
    return problems


def run_offline(asks: list[dict[str, Any]]) -> Scores:
    """Every ask through the offline intent parser and blueprints."""
    from tools.blueprints.intent import parse_intent
    from tools.blueprints.registry import generate_blueprint

    started = time.perf_counter()
    results = []
    for ask in asks:
        try:
            intent = parse_intent(ask["target"], ask["ask"])
        except InputError as error:
            results.append(AskResult(ask["id"], False, False, problems=[str(error)]))
            continue
        problems = []
        if intent.blueprint != ask.get("blueprint"):
            problems.append(f"chose {intent.blueprint}, expected {ask.get('blueprint')}")
        try:
            files = generate_blueprint(intent.blueprint, intent.parameters).files
            problems += score_files(ask, files)
        except InputError as error:
            problems.append(str(error))
        results.append(AskResult(ask["id"], True, not problems, intent.blueprint, problems))
    return _scores("offline", results, started)


def run_model(asks: list[dict[str, Any]], loaded: LoadedSettings | None = None) -> Scores:
    """Every ask through the configured model (or `loaded`'s), with validation and repair."""
    from assistant.audit import AuditLog
    from assistant.config import load_settings
    from assistant.generation.model_generate import generate_with_model
    from assistant.llm.config import GatewayConfig
    from assistant.llm.gateway import LLMGateway
    from tools.blueprints.intent import target_of

    loaded = loaded or load_settings({})
    if not loaded.settings.model:
        raise SystemExit("no model configured: set SHIPMATE_MODEL (and SHIPMATE_API_BASE for a local server)")
    gateway = LLMGateway(GatewayConfig.from_loaded(loaded), audit=AuditLog())
    started = time.perf_counter()
    results = []
    first_round_passes = 0
    for ask in asks:
        try:
            made = generate_with_model(gateway, target_of(ask["target"]), ask["ask"])
        except InputError as error:
            results.append(AskResult(ask["id"], True, False, problems=[str(error)], rounds=4))
            continue
        problems = score_files(ask, made.files)
        first_round_passes += not problems and made.repair_rounds == 0
        results.append(AskResult(ask["id"], True, not problems, made.blueprint, problems, len(made.rounds)))
    scores = _scores(f"model {loaded.settings.model}", results, started)
    scores.pass_at_1 = first_round_passes / len(asks) if asks else 0.0
    scores.mean_repair_rounds = sum(r.rounds - 1 for r in results) / len(results) if results else 0.0
    return scores


def _scores(mode: str, results: list[AskResult], started: float) -> Scores:
    return Scores(
        mode=mode,
        asks=len(results),
        served=sum(r.served for r in results),
        passed=sum(r.passed for r in results),
        seconds=round(time.perf_counter() - started, 2),
        results=results,
    )


def report(scores: Scores) -> str:
    """The figures and every failure, as text."""
    lines = [
        f"{scores.mode}: {scores.asks} asks, served {scores.served} (coverage {scores.coverage:.1%}), "
        f"passed {scores.passed}/{scores.served} (pass rate {scores.pass_rate:.1%}) in {scores.seconds:.1f} s"
    ]
    if scores.pass_at_1 is not None:
        lines.append(f"  pass@1 {scores.pass_at_1:.1%}, mean repair rounds {scores.mean_repair_rounds:.2f}")
    for result in scores.results:
        if result.served and not result.passed:
            lines.append(f"  FAIL {result.id} ({result.blueprint}): {'; '.join(result.problems[:4])}")
    unserved = [r.id for r in scores.results if not r.served]
    if unserved:
        lines.append(f"  not served offline: {', '.join(unserved)}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--asks", type=Path, default=ASKS)
    parser.add_argument(
        "--model", action="store_true", help="also run every ask through the configured model"
    )
    parser.add_argument("--json", type=Path, help="write the figures and results here")
    args = parser.parse_args()
    asks = load_asks(args.asks)
    runs = [run_offline(asks)]
    if args.model:
        runs.append(run_model(asks))
    for scores in runs:
        print(report(scores))
    if args.json:
        payload = [{**asdict(s), "coverage": s.coverage, "pass_rate": s.pass_rate} for s in runs]
        args.json.write_text(json.dumps(payload, indent=2), encoding="utf-8")
    sys.exit(0)


if __name__ == "__main__":
    main()
