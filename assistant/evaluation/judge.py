"""An LLM judge for agent answers: a graded score (1 to 5, scaled to 0..1), kept apart from the checks."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from tools.evaluation.models import EvalReport, JudgeScore

if TYPE_CHECKING:
    from assistant.config import LoadedSettings

_GRADE = re.compile(r"^\s*([1-5])\b")


def judge_report(report: EvalReport, loaded: LoadedSettings) -> None:
    """Grade every agent and safety answer of `report` in place; suites get the mean grade."""
    from assistant.agent.untrusted import fence
    from assistant.audit import AuditLog
    from assistant.llm.config import GatewayConfig
    from assistant.llm.errors import LLMError
    from assistant.llm.gateway import LLMGateway
    from assistant.prompts import render_prompt
    from tools.redaction.placeholders import PlaceholderRedactor

    model = loaded.settings.model or ""
    gateway = LLMGateway(GatewayConfig.from_loaded(loaded), audit=AuditLog())
    redactor = PlaceholderRedactor()
    for suite in report.suites:
        graded = []
        for case in suite.cases:
            if not case.answer:
                continue
            prompt = render_prompt(
                "eval_judge.md.j2",
                question=case.question,
                description=case.description,
                facts="; ".join(" or ".join(f) for f in case.facts) or "(none listed)",
                answer=fence(case.answer, f"answer to {case.case}", "assistant answer", redactor),
            )
            try:
                text = gateway.complete([{"role": "user", "content": prompt}]).text
            except LLMError as err:
                case.judge = JudgeScore(model=model, score=0.0, reason=f"not graded: {err.message}")
                continue
            found = _GRADE.match(text)
            grade = int(found.group(1)) if found else 1
            reason = text.strip().splitlines()[1:2]
            case.judge = JudgeScore(
                model=model, score=(grade - 1) / 4, reason=reason[0].strip() if reason else ""
            )
            graded.append(case.judge.score)
        if graded:
            suite.judge_score = round(sum(graded) / len(graded), 4)
