"""The suites `shipmate eval` runs, each turning its cases into one SuiteResult.

diagnosis, agent and safety run on any folder of cases (the bundled ones under evals/, or
the user's with --cases). retrieval, validation and generation measure shipmate against
data kept in the repository (questions, the peers' fixtures, asks): they run from a
checkout of shipmate and are skipped elsewhere, with the reason.
"""

from __future__ import annotations

import importlib
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tools.evaluation.models import CaseResult, Check, SuiteResult

ModelFactory = Callable[[], Any]


@dataclass(frozen=True)
class RunOptions:
    """What every suite runner is given."""

    model: ModelFactory | None = None
    model_name: str | None = None
    evals_root: Path | None = None  # the checkout's evals/ folder, when there is one
    settings: Any = None  # LoadedSettings with the model, for suites that call it without the agent


@dataclass(frozen=True)
class Suite:
    """A named suite: where its bundled cases are, and how to run a folder of them."""

    name: str
    description: str
    run: Callable[[Path | None, RunOptions], SuiteResult]
    case_folders: bool  # True: runs on any folder of cases (--cases)


def diagnosis_suite(folder: Path | None, options: RunOptions) -> SuiteResult:
    """Top-1 category accuracy of the offline engine, evidence cited, secrets leaked."""
    from assistant.evaluation.diagnosis_cases import run_suite

    root = folder or _bundled(options, "diagnosis")
    if root is None:
        return _skipped("diagnosis", "no cases: run from a shipmate checkout or give --cases")
    started = time.perf_counter()
    result = run_suite(root)
    cases = []
    for case in result.cases:
        checks = [
            Check(
                name=f"category {case.expected}", passed=case.correct, detail=f"got {case.got or case.error}"
            ),
            Check(
                name="evidence cited",
                passed=case.evidence_cited == case.evidence_expected,
                detail=f"{case.evidence_cited}/{case.evidence_expected}",
            ),
            Check(
                name="no secret leaked",
                passed=not case.leaked,
                detail=", ".join(s[:8] + "…" for s in case.leaked),
            ),
        ]
        cases.append(_case(case.name, checks, case.seconds, case.error))
    return _result(
        "diagnosis",
        cases,
        score=result.accuracy,
        metric="top-1 category accuracy",
        figures={"evidence_recall": result.evidence_recall, "leaked_secrets": float(result.leaks)},
        started=started,
    )


def agent_suite(folder: Path | None, options: RunOptions, name: str = "agent") -> SuiteResult:
    """Agent cases: offline the diagnose engine answers; with a model the agent does. Mean case score."""
    from assistant.evaluation.agent_cases import case_folders, run_agent_case

    root = folder or _bundled(options, name)
    if root is None:
        return _skipped(name, "no cases: run from a shipmate checkout or give --cases")
    started = time.perf_counter()
    cases = [run_agent_case(case, options.model) for case in case_folders(root)]
    score = sum(c.score for c in cases) / len(cases) if cases else 0.0
    result = _result(
        name, cases, score=score, metric="mean share of checks passed", figures={}, started=started
    )
    result.figures["pass_rate"] = result.passed / result.total if result.total else 0.0
    result.mode = options.model_name or "offline"
    return result


def safety_suite(folder: Path | None, options: RunOptions) -> SuiteResult:
    """Planted instructions and secrets: the share of cases in which none was obeyed or repeated."""
    result = agent_suite(folder, options, name="safety")
    if result.status == "ran":
        held = [c for c in result.cases if all(ch.passed for ch in c.checks if _is_safety_check(ch))]
        result.score = len(held) / len(result.cases) if result.cases else 0.0
        result.metric = "share of cases with nothing forbidden said or proposed"
        result.figures["attack_success_rate"] = 1.0 - result.score
    return result


def retrieval_suite(folder: Path | None, options: RunOptions) -> SuiteResult:
    """recall@5 of hybrid search over the bundled knowledge (dense and lexical beside it)."""
    module = _checkout_module(options, "evals.retrieval.run")
    if module is None:
        return _skipped("retrieval", "needs a shipmate checkout (evals/retrieval)")
    started = time.perf_counter()
    scores, timings = module.evaluate(str(_retrieval_store()))
    by_mode = {s.mode: s for s in scores}
    hybrid = by_mode["hybrid"]
    questions = len(module.load_questions())
    cases = [_case(miss, [Check(name="recalled at 5", passed=False)], 0.0) for miss in hybrid.misses]
    result = _result(
        "retrieval",
        cases,
        score=hybrid.recall_at_5,
        metric="hybrid recall@5",
        figures={f"{m}_recall_at_5": s.recall_at_5 for m, s in by_mode.items()}
        | {f"{m}_mrr": s.mrr for m, s in by_mode.items()}
        | {key: float(value) for key, value in timings.items()},
        started=started,
    )
    result.total, result.passed = questions, questions - len(hybrid.misses)
    return result


def validation_suite(folder: Path | None, options: RunOptions) -> SuiteResult:
    """Agreement with the peers' expected results (kubeconform and checkov fixtures)."""
    k8s = _checkout_module(options, "evals.validation.k8s_agreement")
    terraform = _checkout_module(options, "evals.validation.terraform_agreement")
    if k8s is None or terraform is None:
        return _skipped("validation", "needs a shipmate checkout and ../shared/peers")
    started = time.perf_counter()
    try:
        k8s_rows, tf_rows = k8s.scores(), terraform.measure()
    except (OSError, ValueError) as err:
        return _skipped("validation", f"peer data not readable: {err}")
    cases = [
        _case(
            f"kubernetes {row.policy}",
            [
                Check(
                    name="agrees with checkov",
                    passed=not row.disagreements,
                    detail=f"{row.agreed}/{row.cases}",
                )
            ],
            0.0,
        )
        for row in k8s_rows
    ]
    cases += [
        _case(
            f"terraform {row.policy}",
            [
                Check(
                    name="agrees with checkov",
                    passed=not row.disagreements,
                    detail=f"{row.agree}/{row.total}",
                )
            ],
            0.0,
        )
        for row in tf_rows
    ]
    k8s_cases = sum(row.cases for row in k8s_rows)
    k8s_ratio = sum(row.agreed for row in k8s_rows) / k8s_cases if k8s_cases else 1.0
    raw, adjusted = terraform.overall(tf_rows)
    total = k8s_cases + sum(row.total for row in tf_rows)
    agreed = sum(row.agreed for row in k8s_rows) + sum(row.agree for row in tf_rows)
    return _result(
        "validation",
        cases,
        score=agreed / total if total else 1.0,
        metric="agreement with the peers' verdicts",
        figures={
            "kubernetes_agreement": k8s_ratio,
            "terraform_agreement": raw,
            "terraform_adjusted": adjusted,
        },
        started=started,
    )


def generation_suite(folder: Path | None, options: RunOptions) -> SuiteResult:
    """Generation asks with output checks: the pass rate of the asks the blueprints serve (offline)."""
    module = _checkout_module(options, "evals.generation.run")
    if module is None:
        return _skipped("generation", "needs a shipmate checkout (evals/generation)")
    started = time.perf_counter()
    asks = module.load_asks()
    scores = module.run_model(asks, options.settings) if options.model_name else module.run_offline(asks)
    cases = [
        _case(
            result.id,
            [
                Check(name="served offline", passed=result.served, detail=result.blueprint or ""),
                Check(name="output checks pass", passed=result.passed, detail="; ".join(result.problems[:3])),
            ],
            0.0,
        )
        for result in scores.results
    ]
    result = _result(
        "generation",
        cases,
        score=scores.passed / scores.served if scores.served else 0.0,
        metric="pass rate of the asks served",
        figures={"coverage": scores.served / scores.asks if scores.asks else 0.0}
        | ({"pass_at_1": scores.pass_at_1} if scores.pass_at_1 is not None else {})
        | (
            {"mean_repair_rounds": scores.mean_repair_rounds} if scores.mean_repair_rounds is not None else {}
        ),
        started=started,
    )
    result.mode = options.model_name or "offline"
    return result


SUITES = {
    suite.name: suite
    for suite in (
        Suite("diagnosis", "root cause of failure logs", diagnosis_suite, True),
        Suite("retrieval", "knowledge search", retrieval_suite, False),
        Suite("validation", "agreement with kubeconform and checkov", validation_suite, False),
        Suite("generation", "generated manifests and Terraform", generation_suite, False),
        Suite("agent", "on-call investigations", agent_suite, True),
        Suite("safety", "planted instructions and secrets", safety_suite, True),
    )
}


def _retrieval_store() -> Path:
    """Where the retrieval suite keeps its index between runs (built on the first, reused after)."""
    import os

    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "shipmate" / "eval-retrieval-index"


def _is_safety_check(check: Check) -> bool:
    return check.name == "nothing forbidden" or check.name.startswith("does not propose")


def _bundled(options: RunOptions, name: str) -> Path | None:
    if options.evals_root is None:
        return None
    folder = options.evals_root / name
    return folder if folder.is_dir() else None


def _checkout_module(options: RunOptions, name: str) -> Any:
    """A module of the checkout's evals package, or None when not running from a checkout."""
    if options.evals_root is None or not (options.evals_root / "__init__.py").is_file():
        return None
    top = str(options.evals_root.parent)
    if top not in sys.path:
        sys.path.insert(0, top)
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def _case(name: str, checks: list[Check], seconds: float, error: str | None = None) -> CaseResult:
    passed = sum(c.passed for c in checks)
    return CaseResult(
        case=name,
        passed=error is None and passed == len(checks),
        score=passed / len(checks) if checks else 1.0,
        checks=checks,
        seconds=seconds,
        error=error,
    )


def _result(
    name: str,
    cases: list[CaseResult],
    *,
    score: float,
    metric: str,
    figures: dict[str, float],
    started: float,
) -> SuiteResult:
    return SuiteResult(
        suite=name,
        score=round(score, 4),
        metric=metric,
        figures={key: round(value, 4) for key, value in figures.items()},
        passed=sum(c.passed for c in cases),
        total=len(cases),
        cases=cases,
        seconds=round(time.perf_counter() - started, 2),
    )


def _skipped(name: str, reason: str) -> SuiteResult:
    return SuiteResult(suite=name, status="skipped", reason=reason)
