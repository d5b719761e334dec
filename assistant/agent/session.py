"""What one agent run works with: the workspace it may read, who approves, where it is recorded."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.agent.anonymize import Anonymizer
from assistant.agent.recorded import Recordings
from assistant.approvals import Approver, NeverApprove, Outcome
from assistant.audit import AuditLog
from tools.errors import InputError
from tools.proposals import Proposal, confined
from tools.redaction.placeholders import PlaceholderRedactor
from tools.redaction.secrets import Redactor

DEFAULT_TOOL_OUTPUT_TOKENS = 2000
CHARS_PER_TOKEN = 4  # a rough count; good enough to bound what one tool result costs


@dataclass(frozen=True)
class ToolEvent:
    """A tool call starting (`seconds` None) or ending, with its arguments as the audit log may see them."""

    call_id: str
    name: str
    args: str
    seconds: float | None = None
    ok: bool = True


@dataclass
class AgentSession:
    """The workspace root, the approver, the audit log and what happened so far."""

    root: Path
    audit: AuditLog
    approver: Approver = field(default_factory=NeverApprove)
    knowledge_store: str | None = None
    tool_output_tokens: int = DEFAULT_TOOL_OUTPUT_TOKENS
    redactor: Redactor = field(default_factory=PlaceholderRedactor)
    proposals: list[Proposal] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    anonymizer: Anonymizer | None = None  # set for cloud models when `agent.anonymize` is on
    decided: dict[str, str] = field(default_factory=dict)  # reviewed tool calls the human approved
    show: Callable[[Proposal], None] | None = None  # how a proposal is shown before the approver decides
    # told of each tool call as it starts and ends (the TUI's activity panel): see ToolEvent
    on_tool: Callable[[ToolEvent], None] | None = None
    kube_context: str | None = None  # the kubeconfig context the cluster tools read (None: current)
    recorded: Recordings | None = None  # eval cases: the cluster tools answer from these, never a cluster
    _redacted: dict[str, str] = field(default_factory=dict, repr=False)

    def redact(self, text: str) -> str:
        """`text` with secrets masked; each distinct text once (the history is resent every step)."""
        known = self._redacted.get(text)
        if known is None:
            known = self._redacted[text] = self.redactor.redact(text)
        return self.anonymizer.hide(known) if self.anonymizer is not None else known

    def reveal_args(self, args: dict[str, Any]) -> dict[str, Any]:
        """Tool-call arguments with placeholders put back (a no-op without anonymisation)."""
        if self.anonymizer is None:
            return args
        revealed: dict[str, Any] = json.loads(self.anonymizer.reveal(json.dumps(args)))
        return revealed

    def reveal(self, text: str) -> str:
        """Placeholders the model used, back to the real names (a no-op without anonymisation)."""
        return self.anonymizer.reveal(text) if self.anonymizer is not None else text

    def path(self, relative: str) -> Path:
        """A path the model named, resolved inside the workspace (anything outside is refused and audited)."""
        try:
            return self.root.resolve() / confined(self.root, Path(relative))
        except InputError as err:
            self.audit.append("refusal", path=relative, reason=err.problem, origin="agent")
            raise

    @property
    def tool_output_chars(self) -> int:
        """The most characters one tool result may hand the model."""
        return self.tool_output_tokens * CHARS_PER_TOKEN
