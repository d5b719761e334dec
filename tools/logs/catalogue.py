"""Load, check and compile the signature catalogue (`knowledge/signatures/*.yaml`).

The format is documented in docs/signatures.md. Compilation produces one RE2
prefilter over raw bytes (every pattern, every recovery pattern, and the
error-like words the miner wants) and one RE2 set that tells, for a candidate
line, which patterns match it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from tools.errors import InputError
from tools.findings import Severity
from tools.logs.kinds import SourceKind
from tools.resources import category_recovery, knowledge_dir, load_yaml, taxonomy

# Words that make a line worth mining when no signature explains it.
ERROR_LIKE = (
    r"\b(?:error|err|fatal|fatality|exception|panic|fail|failed|failure|refused|denied|unable|cannot|"
    r"could not|couldn't|timed out|traceback|killed|crash|crashed|abort|aborted|unhealthy|"
    r"critical|emerg|alert|segfault|segmentation fault|corrupt)\b"
    r"|\btimeout\b(?:[^=:_-]|$)"  # a timeout, not a `--lock-timeout=60s` setting
)


# Lines that may hold a credential: the scanner hands them to the redactor to learn the
# secret, so that it is masked wherever it shows up later (even alone on a line).
SECRET_HINTS = (
    r"(?:passw(?:or)?d|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credentials?)"
    r"[\"']?\s*[=:]|://[^/\s:@]+:[^@\s/]+@|BEGIN [A-Z ]*PRIVATE KEY|\bbearer\s+\S"
)


class ContextRule(BaseModel):
    """Conditions over the lines around a match (see docs/signatures.md)."""

    model_config = ConfigDict(extra="forbid")

    before: int = Field(default=0, ge=0, le=30)
    after: int = Field(default=0, ge=0, le=30)
    requires: list[str] = Field(default_factory=list)
    excludes: list[str] = Field(default_factory=list)
    decisive: list[str] = Field(default_factory=list)

    @field_validator("decisive", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value or []


class Signature(BaseModel):
    """One known failure: how to recognise it and what to do about it."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")
    category: str
    role: Literal["cause", "symptom"] = "cause"
    severity: Severity
    priority: int = Field(ge=0, le=100)
    title: str
    patterns: list[str] = Field(min_length=1)
    case_sensitive: bool = False
    kinds: frozenset[SourceKind] = frozenset()
    context: ContextRule | None = None
    recovery: list[str] = Field(default_factory=list)
    explanation: str
    fix: str
    runbook: str | None = None
    examples: list[str] = Field(min_length=1)
    counterexamples: list[str] = Field(default_factory=list)

    @field_validator("category")
    @classmethod
    def _known_category(cls, value: str) -> str:
        if value not in taxonomy():
            raise ValueError(f"category {value!r} is not in the taxonomy")
        return value

    @property
    def runbook_category(self) -> str:
        """The category whose runbook explains this signature."""
        return self.runbook or self.category

    def flags(self) -> str:
        """The RE2 inline flags for this signature's patterns."""
        return "" if self.case_sensitive else "(?i)"


@dataclass(frozen=True)
class LineMatch:
    """What the RE2 set found in one line, from a single call."""

    patterns: list[int]  # indices into CompiledCatalogue.refs
    error_like: bool
    secret_hint: bool


@dataclass(frozen=True)
class PatternRef:
    """Where a pattern of the compiled set comes from."""

    signature: int  # index into Catalogue.signatures
    is_recovery: bool
    regex: re.Pattern[str]  # the same pattern for Python's re, to read named groups
    has_groups: bool  # named groups worth extracting for the title


class Catalogue:
    """The loaded signatures with their compiled matchers."""

    def __init__(self, signatures: list[Signature]) -> None:
        self.signatures = signatures

    @cached_property
    def compiled(self) -> CompiledCatalogue:
        """Compile on first use: RE2 is imported only when a scan happens."""
        return CompiledCatalogue(self.signatures)


class CompiledCatalogue:
    """RE2 matchers over a list of signatures."""

    def __init__(self, signatures: list[Signature]) -> None:
        import re2

        options = re2.Options()
        options.max_mem = 256 << 20
        options.never_nl = True  # a match never spans lines, even for `\s` or `[^"]`
        self.refs: list[PatternRef] = []
        self.line_set = re2.Set.SearchSet(options)
        prefilter_parts: list[str] = []
        for index, signature in enumerate(signatures):
            for pattern, is_recovery in [(p, False) for p in signature.patterns] + [
                (p, True) for p in signature.recovery
            ]:
                flagged = f"{signature.flags()}{pattern}" if not is_recovery else f"(?i){pattern}"
                regex = re.compile(
                    flagged
                )  # per-line work: Python's re is faster per call than the RE2 wrapper
                self.line_set.Add(flagged)
                self.refs.append(
                    PatternRef(index, is_recovery, regex, "{" in signature.title and "(?P<" in pattern)
                )
                case_flag = "i" if is_recovery or not signature.case_sensitive else ""
                prefilter_parts.append(
                    f"(?{case_flag}:{_without_line_anchors(pattern)})"
                    if case_flag
                    else f"(?:{_without_line_anchors(pattern)})"
                )
        # two more members of the set answer "error-like?" and "may hold a credential?"
        self._error_like_index = self.line_set.Add(f"(?i){ERROR_LIKE}")
        self._secret_hint_index = self.line_set.Add(f"(?i){SECRET_HINTS}")
        self.line_set.Compile()
        prefilter_parts.append(f"(?i:{ERROR_LIKE})")
        prefilter_parts.append(f"(?i:{SECRET_HINTS})")
        prefilter_options = re2.Options()
        prefilter_options.max_mem = options.max_mem
        prefilter_options.never_nl = True
        prefilter_options.never_capture = True  # only where a line matches: no submatches to compute
        self.prefilter = re2.compile(("(?m)" + "|".join(prefilter_parts)).encode(), prefilter_options)
        self.context_requires = {
            i: [re.compile(f"(?i){p}") for p in s.context.requires]
            for i, s in enumerate(signatures)
            if s.context
        }
        self.context_excludes = {
            i: [re.compile(f"(?i){p}") for p in s.context.excludes]
            for i, s in enumerate(signatures)
            if s.context
        }
        self.context_decisive = {
            i: [re.compile(f"(?i){p}") for p in s.context.decisive]
            for i, s in enumerate(signatures)
            if s.context and s.context.decisive
        }

    def matching(self, line: str) -> LineMatch:
        """Every pattern that matches `line`, and whether it looks like an error or a credential."""
        found = self.line_set.Match(line) or []
        return LineMatch(
            patterns=sorted(i for i in found if i < len(self.refs)),
            error_like=self._error_like_index in found,
            secret_hint=self._secret_hint_index in found,
        )


def _without_line_anchors(pattern: str) -> str:
    """Drop `^` anchors outside character classes: the prefilter sees raw lines with prefixes."""
    out: list[str] = []
    in_class = False
    escaped = False
    for index, char in enumerate(pattern):
        if escaped:
            out.append(char)
            escaped = False
            continue
        if char == "\\":
            escaped = True
            out.append(char)
            continue
        if char == "[" and not in_class:
            in_class = True
        elif char == "]" and in_class and pattern[index - 1] != "[":
            in_class = False
        elif char == "^" and not in_class:
            continue
        out.append(char)
    return "".join(out)


def load_catalogue(extra_paths: Iterable[Path] = ()) -> Catalogue:
    """Load the bundled signatures plus any user signature files or folders.

    Raises `InputError` for a user file that does not parse or does not follow the
    format; the bundled catalogue is checked by the test suite.
    """
    signatures: list[Signature] = []
    bundled = knowledge_dir("signatures")
    for entry in sorted(bundled.iterdir(), key=lambda e: e.name):
        if entry.name.endswith((".yaml", ".yml")):
            signatures.extend(parse_signature_file(entry, f"knowledge/signatures/{entry.name}"))
    for path in extra_paths:
        files = sorted(path.glob("*.y*ml")) if path.is_dir() else [path]
        if not path.exists():
            raise InputError(str(path), "no such signature file or directory")
        for file in files:
            signatures.extend(parse_signature_file(file, str(file)))
    shared_recovery = category_recovery()
    signatures = [
        s.model_copy(update={"recovery": [*s.recovery, *shared_recovery[s.category]]})
        if s.category in shared_recovery and s.role == "cause"
        else s
        for s in signatures
    ]
    seen: set[str] = set()
    for signature in signatures:
        if signature.id in seen:
            raise InputError(signature.id, "signature id is defined twice")
        seen.add(signature.id)
    _check_compiles(signatures)
    return Catalogue(signatures)


def parse_signature_file(entry: Traversable | Path, shown: str) -> list[Signature]:
    """Read one signature file; `shown` names it in errors."""
    try:
        raw = load_yaml(entry.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as err:
        raise InputError(shown, f"not valid YAML ({type(err).__name__})") from err
    except OSError as err:
        raise InputError(shown, err.strerror or "cannot be read") from err
    if not isinstance(raw, dict) or not isinstance(raw.get("signatures"), list):
        raise InputError(shown, "expected a mapping with a 'signatures' list")
    parsed: list[Signature] = []
    for position, item in enumerate(raw["signatures"], start=1):
        try:
            parsed.append(Signature.model_validate(item))
        except ValidationError as err:
            first = err.errors()[0]
            where = ".".join(str(part) for part in first["loc"])
            raise InputError(shown, f"signature #{position}: {where}: {first['msg']}") from err
    return parsed


def _check_compiles(signatures: list[Signature]) -> None:
    import re2

    for signature in signatures:
        rule = signature.context
        extra = [*rule.requires, *rule.excludes, *rule.decisive] if rule else []
        for pattern in [*signature.patterns, *signature.recovery, *extra]:
            try:
                re2.compile(pattern)
                re.compile(pattern)  # the scanner reads groups and context with Python's re
            except (re2.error, re.error) as err:
                raise InputError(signature.id, f"pattern {pattern!r} is not valid RE2 ({err})") from err
