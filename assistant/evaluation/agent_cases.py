"""Agent and safety cases: a question, a workspace of recorded tool outputs, what must hold.

Offline, the case is answered by the diagnose engine over the workspace (its Markdown
report is the answer). With a model, the agent runs on a copy of the workspace with the
question as the user's message; its cluster tools answer from the case's tools.yaml
(recorded outputs) and never reach a cluster; nothing it proposes is approved, and its
proposals are judged against the case's rules. Everything is scored by deterministic checks.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from assistant.audit import AuditLog
from tools.errors import InputError
from tools.evaluation.expected import CaseExpectation, load_expectation
from tools.evaluation.models import CaseResult, Check
from tools.evaluation.scoring import evidence_check, fact_checks, forbidden_check, proposal_checks
from tools.proposals import Proposal

# Makes a langchain chat model for one case (a fresh one each time: no state between cases).
ModelFactory = Callable[[], Any]
MAX_ANSWER = 4000


def case_folders(root: Path) -> list[Path]:
    """Every case folder under `root` (a folder with expected.yaml), sorted by name."""
    return sorted(p for p in root.iterdir() if p.is_dir() and (p / "expected.yaml").is_file())


def run_agent_case(folder: Path, model: ModelFactory | None = None, max_steps: int = 8) -> CaseResult:
    """Run and score one case; a case that cannot run is a failed result with the reason, not an exception."""
    started = time.perf_counter()
    try:
        expected = load_expectation(folder / "expected.yaml")
        question = (folder / "question.md").read_text(encoding="utf-8").strip()
        workspace = folder / "workspace"
        if not question or not workspace.is_dir():
            raise InputError(str(folder), "needs a non-empty question.md and a workspace/ folder")
        if model is None:
            checks, answer = _offline(workspace, expected)
        else:
            checks, answer = _with_model(workspace, question, expected, model, max_steps)
    except InputError as err:
        return CaseResult(case=folder.name, passed=False, score=0.0, error=str(err), seconds=_since(started))
    passed = sum(check.passed for check in checks)
    return CaseResult(
        case=folder.name,
        passed=passed == len(checks),
        score=passed / len(checks) if checks else 1.0,
        checks=checks,
        seconds=_since(started),
        question=question,
        description=expected.description,
        facts=expected.facts,
        answer=answer[:MAX_ANSWER],
    )


def _offline(workspace: Path, expected: CaseExpectation) -> tuple[list[Check], str]:
    from assistant.render.markdown import diagnosis_markdown
    from tools.logs.diagnose import diagnose

    report = diagnose([str(workspace)])
    top = report.top
    answer = diagnosis_markdown(report)
    checks: list[Check] = []
    if expected.category:
        got = top.category if top else None
        known = "" if expected.offline.category else " (a known limit of the offline engine)"
        checks.append(
            Check(
                name=f"category {expected.category}",
                passed=got == expected.category,
                detail=f"got {got}{known}",
            )
        )
    cited = {(_relative(e.source, workspace), e.line) for e in (top.evidence if top else [])}
    evidence = evidence_check(cited, [(e.file, e.line) for e in expected.evidence])
    checks += [evidence] if evidence else []
    checks += fact_checks(answer, expected.facts)
    forbidden = forbidden_check(answer, expected.forbidden)
    checks += [forbidden] if forbidden else []
    return checks, answer


def _with_model(
    workspace: Path, question: str, expected: CaseExpectation, model: ModelFactory, max_steps: int
) -> tuple[list[Check], str]:
    from assistant.agent.build import build_agent, run_agent
    from assistant.agent.recorded import Recordings, load_recordings
    from assistant.agent.session import AgentSession
    from assistant.approvals import NeverApprove

    tools = workspace.parent / "tools.yaml"
    with tempfile.TemporaryDirectory(prefix="shipmate-eval-") as scratch:
        root = Path(scratch) / "workspace"
        shutil.copytree(workspace, root)
        subprocess.run(["git", "init", "-q", str(root)], check=True, capture_output=True)
        session = AgentSession(
            root=root,
            audit=AuditLog(Path(scratch) / "audit.jsonl"),
            approver=NeverApprove(),
            recorded=load_recordings(tools) if tools.is_file() else Recordings(),
        )
        try:
            answer = run_agent(build_agent(model(), session, max_steps=max_steps), session, question)
        except Exception as err:  # a model failure is this case's failure, not the run's
            raise InputError("model", _model_error(err)) from err
        proposals = list(session.proposals) + _refused_attempts(session.audit)
    checks: list[Check] = []
    if expected.evidence:
        cited = {(e.file, e.line) for e in expected.evidence if f"{e.file}:{e.line}" in answer}
        found = evidence_check(cited, [(e.file, e.line) for e in expected.evidence])
        checks += [found] if found else []
    checks += fact_checks(answer, expected.facts)
    forbidden = forbidden_check(answer, expected.forbidden)
    checks += [forbidden] if forbidden else []
    checks += proposal_checks(proposals, expected.proposals)
    return checks, answer


def _refused_attempts(audit: AuditLog) -> list[Proposal]:
    """Commands the agent tried to propose that the allowlist refused: an attempt counts for `must_not`."""
    return [
        Proposal(
            id=f"refused-{record['seq']}",
            title="refused by the allowlist",
            kind="command",
            argv=str(record["data"].get("argv", "")).split(),
            origin="agent",
        )
        for record in audit.records()
        if record["event"] == "refusal" and record["data"].get("origin") == "agent"
    ]


def _model_error(err: Exception) -> str:
    from assistant.llm.errors import LLMError, to_llm_error

    if isinstance(err, LLMError):
        return err.message
    mapped = to_llm_error(err, "")
    return mapped.message if mapped is not None else f"{type(err).__name__}: {str(err).splitlines()[0][:200]}"


def _relative(source: str, workspace: Path) -> str:
    try:
        return Path(source).resolve().relative_to(workspace.resolve()).as_posix()
    except ValueError:
        return source


def _since(started: float) -> float:
    return round(time.perf_counter() - started, 3)
