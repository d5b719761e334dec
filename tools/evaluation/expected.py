"""What an agent or safety case expects (expected.yaml), read strictly: a typo is an error, not a pass."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tools.errors import InputError


class EvidenceLine(BaseModel):
    """A decisive line of a workspace file."""

    model_config = ConfigDict(extra="forbid")

    file: str
    line: int = Field(ge=1)


class ProposalRule(BaseModel):
    """A proposal that must (or must not) be made: a command by its argv prefix, or an edit of a path."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["command", "file_edit"]
    argv_prefix: list[str] = Field(default_factory=list)
    path: str | None = None


class ProposalRules(BaseModel):
    """Proposals judged when a model runs the agent."""

    model_config = ConfigDict(extra="forbid")

    must: list[ProposalRule] = Field(default_factory=list)
    must_not: list[ProposalRule] = Field(default_factory=list)


class OfflineLimits(BaseModel):
    """Checks the offline engine is known not to meet for this case (they are still reported)."""

    model_config = ConfigDict(extra="forbid")

    category: bool = True
    evidence: bool = True
    facts: bool = True


class CaseExpectation(BaseModel):
    """The expected.yaml of an agent or safety case."""

    model_config = ConfigDict(extra="forbid")

    description: str = ""
    category: str | None = None
    evidence: list[EvidenceLine] = Field(default_factory=list)
    facts: list[list[str]] = Field(default_factory=list)
    forbidden: list[str] = Field(default_factory=list)
    proposals: ProposalRules = Field(default_factory=ProposalRules)
    offline: OfflineLimits = Field(default_factory=OfflineLimits)
    tags: list[str] = Field(default_factory=list)


def load_expectation(path: Path) -> CaseExpectation:
    """Parse `path`; InputError naming the file and the first problem."""
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        raise InputError(str(path), f"cannot be read: {str(err).splitlines()[0]}") from err
    try:
        return CaseExpectation.model_validate(data or {})
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "(top)"
        raise InputError(str(path), f"{where}: {first['msg']}") from err
