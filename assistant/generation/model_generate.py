"""Generation with a model: it chooses a blueprint by a structured tool call, or writes the files.

Either way the result is validated like offline output. When it does not validate (an
invalid object, a high finding, a parameter a blueprint refuses, a path outside the
output folder), the problems go back to the model as the tool's result and it tries
again: at most `MAX_REPAIRS` repair rounds. Only output that validates is returned; every
round is reported to `on_round` and written to the audit log (paths, content hashes,
the problems; never the content).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any, Literal

from assistant.generation.tool_specs import (
    USE_BLUEPRINT,
    WRITE_FILES,
    prompt_variables,
    suffixes,
    tool_schemas,
)
from tools.blueprints.model import GeneratedFile, Target
from tools.errors import InputError
from tools.validation.report import ValidationReport

if TYPE_CHECKING:
    from assistant.audit import AuditLog
    from assistant.llm.completion import ToolCall
    from assistant.llm.gateway import LLMGateway

MAX_REPAIRS = 3
MAX_FILES = 30
MAX_FILE_BYTES = 256 * 1024


@dataclass
class Round:
    """One attempt: what the model did and what validation said."""

    number: int
    mode: Literal["blueprint", "files", "none"]
    problems: list[str]
    blueprint: str | None = None
    paths: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        """True when the output of this round can be proposed."""
        return not self.problems


@dataclass
class ModelGeneration:
    """Output that validated, how it was made, and the rounds it took."""

    mode: Literal["blueprint", "files"]
    files: list[GeneratedFile]
    validation: ValidationReport
    rounds: list[Round]
    blueprint: str | None = None
    parameters: dict[str, Any] = field(default_factory=dict)

    @property
    def repair_rounds(self) -> int:
        """Rounds after the first."""
        return len(self.rounds) - 1


class GenerationFailed(InputError):
    """The model's output did not validate within the repair rounds."""


def generate_with_model(
    gateway: LLMGateway,
    target: Target,
    ask: str,
    *,
    audit: AuditLog | None = None,
    on_round: Callable[[Round], None] | None = None,
    max_repairs: int = MAX_REPAIRS,
) -> ModelGeneration:
    """Ask the model for `target` files answering `ask`; validate and repair; raise GenerationFailed."""
    from assistant.llm.errors import LLMError
    from assistant.prompts import render_prompt
    from tools.blueprints.registry import all_blueprints

    blueprints = [b for b in all_blueprints().values() if b.target == target]
    system = render_prompt("generate.md.j2", **prompt_variables(target, blueprints))
    messages: list[dict[str, Any]] = [
        {"role": "system", "content": system},
        {"role": "user", "content": ask},
    ]
    tools = tool_schemas(blueprints)
    rounds: list[Round] = []
    for number in range(1, max_repairs + 2):
        try:
            completion = gateway.complete(messages, tools, tool_choice="required", temperature=0)
        except LLMError as err:
            raise InputError("model", err.message) from err
        messages.append(completion.as_message())
        call = completion.tool_calls[0] if completion.tool_calls else None
        result, outcome = _attempt(call, target)
        rounds.append(outcome)
        outcome.number = number
        _record(audit, outcome, result)
        if on_round is not None:
            on_round(outcome)
        if result is not None and outcome.valid:
            return ModelGeneration(
                mode="blueprint" if outcome.mode == "blueprint" else "files",
                files=result[0],
                validation=result[1],
                rounds=rounds,
                blueprint=outcome.blueprint,
                parameters=result[2],
            )
        feedback = _feedback(outcome, number, max_repairs)
        if call is None:
            messages.append({"role": "user", "content": feedback})
        else:
            messages.append({"role": "tool", "tool_call_id": call.id, "content": feedback})
            for extra in completion.tool_calls[1:]:
                messages.append(
                    {"role": "tool", "tool_call_id": extra.id, "content": "ignored: one call a turn"}
                )
    last = rounds[-1].problems
    raise GenerationFailed(
        "model",
        f"its output did not validate after {max_repairs} repair rounds; nothing was proposed. "
        f"Last problems: {'; '.join(last[:3])}",
    )


_Result = tuple[list[GeneratedFile], ValidationReport, dict[str, Any]]


def _attempt(call: ToolCall | None, target: Target) -> tuple[_Result | None, Round]:
    if call is None:
        return None, Round(0, "none", [f"no tool call: answer with {USE_BLUEPRINT} or {WRITE_FILES}"])
    if call.arguments is None:
        return None, Round(0, "none", [f"{call.name}: {call.error}"])
    if call.name == USE_BLUEPRINT:
        return _use_blueprint(call.arguments, target)
    if call.name == WRITE_FILES:
        return _write_files(call.arguments, target)
    return None, Round(0, "none", [f"unknown tool {call.name!r}: use {USE_BLUEPRINT} or {WRITE_FILES}"])


def _use_blueprint(arguments: dict[str, Any], target: Target) -> tuple[_Result | None, Round]:
    from tools.blueprints.registry import blocking_problems, blueprint, generate_blueprint

    name = str(arguments.get("blueprint", ""))
    given = arguments.get("parameters") or {}
    if not isinstance(given, dict):
        return None, Round(0, "blueprint", ["parameters must be an object of name to value"], name)
    try:
        if blueprint(name).target != target:
            raise InputError(name, f"is not a {target} blueprint")
        generated = generate_blueprint(name, {str(k): v for k, v in given.items()})
    except InputError as err:
        return None, Round(0, "blueprint", [str(err)], name)
    paths = [f.path for f in generated.files]
    outcome = Round(0, "blueprint", blocking_problems(generated.validation), name, paths)
    return (generated.files, generated.validation, generated.parameters), outcome


def _write_files(arguments: dict[str, Any], target: Target) -> tuple[_Result | None, Round]:
    from tools.blueprints.registry import blocking_problems, validate_files

    raw = arguments.get("files")
    if not isinstance(raw, list) or not raw:
        return None, Round(0, "files", ["files must be a non-empty list of {path, content}"])
    files: list[GeneratedFile] = []
    problems: list[str] = []
    for item in raw[: MAX_FILES + 1]:
        path = item.get("path") if isinstance(item, dict) else None
        content = item.get("content") if isinstance(item, dict) else None
        if not isinstance(path, str) or not isinstance(content, str):
            problems.append("each file needs a string path and a string content")
            continue
        problem = _path_problem(path, content, target)
        if problem:
            problems.append(f"{path}: {problem}")
            continue
        files.append(
            GeneratedFile(str(PurePosixPath(path)), content if content.endswith("\n") else content + "\n")
        )
    if len(raw) > MAX_FILES:
        problems.append(f"at most {MAX_FILES} files")
    paths = [f.path for f in files]
    if problems or not files:
        return None, Round(0, "files", problems or ["no usable file"], paths=paths)
    report = validate_files(target, files)
    return (files, report, {}), Round(0, "files", blocking_problems(report), paths=paths)


def _path_problem(path: str, content: str, target: Target) -> str | None:
    pure = PurePosixPath(path)
    if not path.strip() or pure.is_absolute() or ".." in pure.parts or "\\" in path or path.startswith("~"):
        return "must be a relative path inside the output folder, without .."
    if not path.endswith(suffixes(target)):
        return f"must end with {' or '.join(suffixes(target))}"
    if len(content.encode("utf-8", "replace")) > MAX_FILE_BYTES:
        return f"larger than {MAX_FILE_BYTES // 1024} KiB"
    return None


def _feedback(outcome: Round, number: int, max_repairs: int) -> str:
    left = max_repairs + 1 - number
    lines = "\n".join(f"- {p}" for p in outcome.problems)
    return (
        f"Validation failed (round {number}; {left} repair rounds left). Fix all of these and call the "
        f"tool again with the complete corrected output:\n{lines}"
    )


def _record(audit: AuditLog | None, outcome: Round, result: _Result | None) -> None:
    from tools.redaction.secrets import Redactor

    if audit is None:
        return
    redactor = Redactor()
    hashes = {
        f.path: hashlib.sha256(f.text.encode("utf-8")).hexdigest() for f in (result[0] if result else [])
    }
    audit.append(
        "generate.round",
        round=outcome.number,
        mode=outcome.mode,
        blueprint=outcome.blueprint,
        files=hashes,
        valid=outcome.valid and result is not None,
        problems=[redactor.redact(p) for p in outcome.problems],
    )
