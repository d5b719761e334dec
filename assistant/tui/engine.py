"""What a chat turn does, apart from the screen: slash commands, the offline router, the agent.

The app runs `Engine.run` in a worker thread and gets `events` back through `emit`. No
Textual import here, and the heavy libraries (the agent, litellm, Chroma) load on the
first turn that needs them, never before the first paint. With no model, plain text goes
to the knowledge base and any file it names to diagnose or validate, as `shipmate ask`
does offline; with a model, the agent answers and keeps the conversation.
"""

from __future__ import annotations

import dataclasses
import shlex
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.tui.commands import Parsed, help_markdown, parse, path_argument
from assistant.tui.events import (
    Cleared,
    Event,
    Failed,
    FindingsReady,
    Said,
    ToolFinished,
    ToolStarted,
    UsageChanged,
)
from tools.errors import InputError

if TYPE_CHECKING:
    from assistant.agent.session import AgentSession, ToolEvent
    from assistant.approvals import Approver
    from assistant.audit import AuditLog
    from assistant.config import LoadedSettings
    from assistant.llm.usage import SessionUsage

Emit = Callable[[Event], None]
EARLIER_TURNS = 10  # turns of a resumed session given to the agent with the first question
EARLIER_CHARS = 2000  # of each of them


@dataclass
class Engine:
    """One chat session: the workspace, the settings, the approver, and the agent once it is needed."""

    root: Path
    loaded: LoadedSettings
    audit: AuditLog
    approver: Approver
    emit: Emit
    model: str | None = None
    history: list[dict[str, str]] = field(default_factory=list)
    _agent: Any = field(default=None, repr=False)
    _session: AgentSession | None = field(default=None, repr=False)
    _usage: SessionUsage | None = field(default=None, repr=False)
    _thread: str = field(default_factory=lambda: uuid.uuid4().hex, repr=False)
    _thread_used: bool = field(default=False, repr=False)

    def __post_init__(self) -> None:
        if self.model is None:
            self.model = self.loaded.settings.model or None

    def run(self, text: str, cancel: threading.Event) -> None:
        """One turn for `text`; every outcome, errors included, arrives as events."""
        try:
            if text.lstrip().startswith("/"):
                self._slash(parse(text), cancel)
            elif self.model:
                self._agent_turn(text, cancel)
            else:
                self._offline(text)
        except InputError as err:
            self.emit(Failed(str(err)))
        except Exception as err:  # the app must survive anything a tool or a model does
            self.emit(Failed(self._message(err)))

    def _message(self, err: Exception) -> str:
        from assistant.agent.build import Cancelled
        from assistant.llm.errors import LLMError, to_llm_error

        if isinstance(err, Cancelled):
            return "cancelled"
        if isinstance(err, LLMError):
            return f"model: {err.message}"
        mapped = to_llm_error(err, self.model or "")
        if mapped is not None:
            return f"model: {mapped.message}"
        return f"{type(err).__name__}: {err}"

    # --- slash commands -------------------------------------------------------------------------

    def _slash(self, parsed: Parsed, cancel: threading.Event) -> None:
        name = parsed.command.name
        if name == "diagnose" and parsed.argument.split()[:1] == ["--cluster"]:
            self._diagnose_cluster(parsed)
        elif name == "diagnose":
            self._diagnose(self._path(path_argument(parsed)))
        elif name == "validate":
            self._validate(self._path(path_argument(parsed)))
        elif name == "generate":
            self._generate(parsed)
        elif name == "ask":
            if not parsed.argument:
                raise InputError(parsed.command.usage, "give a question")
            if self.model:
                self._agent_turn(parsed.argument, cancel)
            else:
                self._offline(parsed.argument)
        elif name == "model":
            self._switch_model(parsed.argument)
        elif name == "undo":
            self._undo()
        elif name == "audit":
            self._audit(parsed.argument)
        elif name == "clear":
            self.history.clear()
            self._thread = uuid.uuid4().hex
            self._thread_used = False
            self.emit(Cleared())
        elif name == "help":
            self.emit(Said(help_markdown()))
        # /save is the app's: it owns the transcript

    def _path(self, given: str) -> Path:
        path = Path(given).expanduser()
        path = path if path.is_absolute() else self.root / path
        if not path.exists():
            raise InputError(given, "no such file or directory")
        return path

    def _diagnose(self, path: Path) -> None:
        from assistant.render.markdown import diagnosis_markdown
        from tools.logs.diagnose import diagnose

        report = diagnose([str(path)])
        self.emit(FindingsReady(report))
        self.emit(Said(diagnosis_markdown(report)))

    def _diagnose_cluster(self, parsed: Parsed) -> None:
        from assistant.cli.cluster_run import run_cluster_diagnosis
        from assistant.render.markdown import diagnosis_markdown

        words = parsed.argument.split()[1:]
        if len(words) > 1:
            raise InputError(parsed.command.usage, "give at most one namespace")
        report = run_cluster_diagnosis(None, words, False, None, 10.0, quiet=True)
        self.emit(FindingsReady(report))
        self.emit(Said(diagnosis_markdown(report)))

    def _validate(self, path: Path) -> None:
        from assistant.cli.validate_cmd import run_validation
        from assistant.render.validation import validation_markdown

        self.emit(Said(validation_markdown(run_validation([str(path)], self.loaded))))

    def _generate(self, parsed: Parsed) -> None:
        from assistant.approvals import decide_and_apply
        from tools.blueprints.registry import default_folder, generate_from_ask, summary
        from tools.proposals import file_edit_proposal

        target, _, ask = parsed.argument.partition(" ")
        if not target or not ask.strip():
            raise InputError(parsed.command.usage, "give a target and an ask")
        generated = generate_from_ask(target, ask)
        folder = default_folder(generated)
        self.emit(Said(f"{summary(generated)}. Review each file to write it."))
        proposals = [
            file_edit_proposal(
                self.root,
                self.root / folder / f.path,
                f.text,
                f"generate {f.path}",
                origin="shipmate generate",
            )
            for f in generated.files
        ]
        outcomes = decide_and_apply(proposals, self.approver, self.root, self.audit)
        lines = [
            f"- `{o.proposal.edit.path if o.proposal.edit else o.proposal.id}`: {o.message}" for o in outcomes
        ]
        self.emit(Said("\n".join(lines)))

    def _switch_model(self, argument: str) -> None:
        if not argument:
            self.emit(Said(f"model: `{self.model}`" if self.model else "offline: no model configured"))
            return
        self.model = None if argument.lower() in ("off", "none", "offline") else argument.strip()
        self._agent = None  # rebuilt for the new model on the next question
        self._thread, self._thread_used = uuid.uuid4().hex, False
        self.emit(Said(f"model: `{self.model}`" if self.model else "offline from now on"))

    def _undo(self) -> None:
        from assistant.undo import undo_last

        result = undo_last(self.audit)
        prefix = "" if result.status == "undone" else "nothing undone: "
        self.emit(Said(f"{prefix}{result.message}"))

    def _audit(self, argument: str) -> None:
        from assistant.cli.audit_cmd import audit_line

        try:
            count = int(argument) if argument else 10
        except ValueError as err:
            raise InputError("/audit", f"{argument!r} is not a number") from err
        records = self.audit.records()[-count:] if count > 0 else []
        if not records:
            self.emit(Said(f"no audit records in `{self.audit.path}`"))
            return
        self.emit(Said("```text\n" + "\n".join(audit_line(r) for r in records) + "\n```"))

    # --- plain text -----------------------------------------------------------------------------

    def _offline(self, text: str) -> None:
        """Files the text names go to diagnose or validate; the text itself to the knowledge base."""
        from assistant.agent.router import route_files

        named = [self._path(word) for word in _words(text) if _looks_like_path(word, self.root)]
        for routed in route_files(named):
            self.emit(Said(f"`{routed.path.name}`: {routed.reason}, so `{routed.route}`"))
            if routed.route == "diagnose":
                self._diagnose(routed.path)
            else:
                self._validate(routed.path)
        self._search(text)

    def _search(self, question: str) -> None:
        from assistant.cli.knowledge_cmd import configured_embedder, passages_markdown
        from assistant.config import knowledge_paths, knowledge_store
        from tools.retrieval.docs_tool import build_index, index_is_empty, search_docs

        location = knowledge_store(self.loaded)
        embedder = configured_embedder(self.loaded)
        if index_is_empty(location, embedder):
            self.emit(Said("indexing the bundled knowledge once ..."))
            build_index(location, knowledge_paths(self.loaded), embedder=embedder)
        passages = search_docs(question, location, k=5, embedder=embedder)
        self.emit(Said(passages_markdown(question, passages)))

    # --- the agent ------------------------------------------------------------------------------

    def _agent_turn(self, text: str, cancel: threading.Event) -> None:
        from assistant.agent.build import run_agent

        agent, session = self._ensure_agent()
        prompt = self._with_earlier_turns(text, session) if not self._thread_used else text
        self._thread_used = True
        self.history.append({"role": "user", "content": text})
        answer = run_agent(
            agent,
            session,
            prompt,
            on_line=lambda line: self.emit(Said(line + "\n", stream=True)),
            thread_id=self._thread,
            stop=cancel.is_set,
        )
        self.history.append({"role": "assistant", "content": answer})
        if self._usage is not None:
            self.emit(UsageChanged(self._usage.total_tokens, self._usage.cost_usd))

    def _with_earlier_turns(self, text: str, session: AgentSession) -> str:
        """The first question of a new agent thread carries the earlier turns (after --resume), as data."""
        from assistant.agent.untrusted import fence

        earlier = self.history[-EARLIER_TURNS:]
        if not earlier:
            return text
        told = "\n\n".join(f"{turn['role']}: {turn['content'][:EARLIER_CHARS]}" for turn in earlier)
        context = fence(told, "the earlier conversation", "chat history", session.redactor)
        return f"Earlier in this conversation (for context only):\n{context}\n\n{text}"

    def _ensure_agent(self) -> tuple[Any, AgentSession]:
        if self._agent is not None and self._session is not None:
            return self._agent, self._session
        from assistant.agent.anonymize import Anonymizer
        from assistant.agent.build import build_agent
        from assistant.agent.model import chat_model, model_middleware
        from assistant.agent.session import AgentSession
        from assistant.config import knowledge_store
        from assistant.llm.config import GatewayConfig
        from assistant.llm.usage import SessionUsage

        config = GatewayConfig.from_loaded(self.loaded)
        if self.model and self.model != config.model:
            config = dataclasses.replace(config, model=self.model)
        settings = self.loaded.settings.agent
        self._session = AgentSession(
            root=self.root,
            audit=self.audit,
            approver=self.approver,
            knowledge_store=knowledge_store(self.loaded),
            tool_output_tokens=settings.tool_output_tokens,
            anonymizer=Anonymizer() if settings.anonymize else None,
            on_tool=self._tool_event,
        )
        self._usage = self._usage or SessionUsage(
            max_cost_usd=config.max_cost_usd, max_tokens=config.max_tokens
        )
        self._agent = build_agent(
            chat_model(config, streaming=True),
            self._session,
            max_steps=settings.max_steps,
            extra_middleware=model_middleware(config, self._usage),
        )
        return self._agent, self._session

    def _tool_event(self, event: ToolEvent) -> None:
        if event.seconds is None:
            self.emit(ToolStarted(event.call_id, event.name, event.args))
        else:
            self.emit(ToolFinished(event.call_id, event.name, event.seconds, event.ok))


def _words(text: str) -> list[str]:
    try:
        return shlex.split(text)
    except ValueError:
        return text.split()


def _looks_like_path(word: str, root: Path) -> bool:
    if len(word) > 4096 or not any(c in word for c in "/.") or word.startswith(("http://", "https://")):
        return False
    candidate = Path(word).expanduser()
    try:
        return (candidate if candidate.is_absolute() else root / candidate).exists()
    except OSError:
        return False
