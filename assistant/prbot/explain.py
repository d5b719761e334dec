"""A model's summary of a review, for the top of the PR comment (`shipmate review --explain`).

The model sees only the review's new and fixed findings (policy, place, title, the
evidence line and the fix), redacted and fenced as data, never the files of the change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tools.errors import InputError
from tools.review.models import ModelSummary, ReviewReport

if TYPE_CHECKING:
    from assistant.config import LoadedSettings

MAX_WORDS = 150
MAX_FINDINGS = 40


def findings_digest(report: ReviewReport) -> str:
    """The new findings (most severe first) and the fixed ones, one line each, plus each fix."""
    lines = []
    for rf in [rf for rf in report.findings if rf.status == "new"][:MAX_FINDINGS]:
        finding = rf.finding
        where = f"{rf.path}:{rf.line}" if rf.line else rf.path or "-"
        evidence = finding.evidence[0].text if finding.evidence else ""
        lines.append(
            f"{where} {finding.severity.value} {finding.id} {finding.resource or ''}: {finding.title}"
        )
        if evidence:
            lines.append(f"  evidence: {evidence}")
        if finding.fix:
            lines.append("  fix: " + " / ".join(finding.fix.splitlines()[:4]))
    lines += [
        f"fixed: {f.path or '-'} {f.id} {f.resource or ''}: {f.title}" for f in report.fixed[:MAX_FINDINGS]
    ]
    return "\n".join(lines) or "(no new or fixed findings)"


def explain_review(report: ReviewReport, loaded: LoadedSettings) -> ModelSummary:
    """The model's summary of `report`, links guarded; InputError when no model is set or the call fails."""
    from assistant.agent.answer_guard import guard_answer
    from assistant.agent.untrusted import fence
    from assistant.audit import AuditLog
    from assistant.llm.config import GatewayConfig
    from assistant.llm.errors import LLMError
    from assistant.llm.gateway import LLMGateway
    from assistant.prompts import render_prompt
    from tools.redaction.placeholders import PlaceholderRedactor

    if not loaded.settings.model:
        raise InputError("--explain", "needs a model: set SHIPMATE_MODEL or `model` in config")
    redactor = PlaceholderRedactor()
    prompt = render_prompt(
        "explain_review.md.j2",
        max_words=MAX_WORDS,
        findings=fence(findings_digest(report), "review findings", "review", redactor),
    )
    gateway = LLMGateway(GatewayConfig.from_loaded(loaded), audit=AuditLog(), redact=redactor.redact)
    try:
        completion = gateway.complete([{"role": "user", "content": prompt}])
    except LLMError as err:
        raise InputError("model", err.message) from err
    usage = gateway.usage
    return ModelSummary(
        model=loaded.settings.model,
        text=guard_answer(completion.text.strip())[0],
        tokens=usage.total_tokens,
        cost_usd=round(usage.cost_usd, 6),
    )
