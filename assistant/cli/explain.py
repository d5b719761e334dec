"""`shipmate diagnose --explain`: the model writes the explanation over the engine's evidence pack.

The model sees only the evidence pack (the decisive lines within a token budget, redacted
and fenced as data), never the raw logs; its answer is streamed and its links guarded.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from tools.errors import InputError

if TYPE_CHECKING:
    from assistant.config import LoadedSettings
    from tools.logs.report import DiagnosisReport

PACK_TOKENS = 1500
MAX_WORDS = 250


def explain(report: DiagnosisReport, loaded: LoadedSettings, quiet: bool) -> str:
    """Stream the model's explanation of `report` to stdout; return it."""
    from assistant.agent.answer_guard import guard_answer
    from assistant.agent.untrusted import fence
    from assistant.audit import AuditLog
    from assistant.llm.config import GatewayConfig
    from assistant.llm.errors import LLMError
    from assistant.llm.gateway import LLMGateway
    from assistant.prompts import render_prompt
    from tools.logs.evidence_pack import build_pack
    from tools.redaction.placeholders import PlaceholderRedactor

    if not loaded.settings.model:
        raise InputError("--explain", "needs a model: set SHIPMATE_MODEL or `model` in config")
    redactor = PlaceholderRedactor()
    pack = build_pack(report, PACK_TOKENS)
    prompt = render_prompt(
        "explain_diagnosis.md.j2",
        max_words=MAX_WORDS,
        pack=fence(pack.text, "evidence pack", "diagnosis", redactor),
    )
    gateway = LLMGateway(GatewayConfig.from_loaded(loaded), audit=AuditLog(), redact=redactor.redact)
    text = ""
    line = ""
    try:
        for chunk in gateway.stream([{"role": "user", "content": prompt}]):
            text += chunk
            line += chunk
            # whole lines only: a link is guarded before any of it reaches the terminal
            while "\n" in line:
                done, line = line.split("\n", 1)
                sys.stdout.write(guard_answer(done)[0] + "\n")
                sys.stdout.flush()
    except LLMError as err:
        raise InputError("model", err.message) from err
    if line:
        sys.stdout.write(guard_answer(line)[0] + "\n")
    if not quiet:
        usage = gateway.usage
        print(
            f"shipmate: explained by {loaded.settings.model}: {usage.total_tokens} tokens, "
            f"${usage.cost_usd:.4f}",
            file=sys.stderr,
        )
    return guard_answer(text)[0]
