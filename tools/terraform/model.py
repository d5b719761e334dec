"""What a parsed Terraform configuration looks like to the checks: blocks with lines, grouped in modules."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Ref:
    """One reference found in an expression: `var.x`, `local.y`, `module.m`, `data.t.n` or `t.n`."""

    kind: str  # "var" | "local" | "module" | "data" | "resource"
    name: str  # "x", "y", "m", "t.n" (data and resource: type.name)
    line: int


@dataclass
class Block:
    """One HCL block (top-level or nested), or an object in a list attribute such as `ingress = [{...}]`.

    `attrs` holds values as python-hcl2 serialises them: literals as Python values, expressions
    as `${...}` strings.  `encoded` holds the decoded argument of `jsonencode(...)` attributes.
    """

    type: str
    labels: tuple[str, ...]
    source: str
    line: int
    end_line: int
    attrs: dict[str, Any] = field(default_factory=dict)
    attr_lines: dict[str, int] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)
    encoded: dict[str, Any] = field(default_factory=dict)
    refs: list[Ref] = field(default_factory=list)

    @property
    def address(self) -> str:
        """Terraform address: `aws_s3_bucket.logs`, `data.aws_iam_policy_document.p`, `var.x`."""
        if self.type == "resource" and len(self.labels) >= 2:
            return f"{self.labels[0]}.{self.labels[1]}"
        if self.type == "data" and len(self.labels) >= 2:
            return f"data.{self.labels[0]}.{self.labels[1]}"
        if self.type == "variable" and self.labels:
            return f"var.{self.labels[0]}"
        if self.type == "module" and self.labels:
            return f"module.{self.labels[0]}"
        return ".".join((self.type, *self.labels))

    @property
    def resource_type(self) -> str:
        """The first label of a resource or data block (`aws_s3_bucket`), else ''."""
        return self.labels[0] if self.type in ("resource", "data") and self.labels else ""

    def children(self, name: str) -> list[Block]:
        """Nested blocks called `name`, including objects of an attribute `name = [{...}]`."""
        found = [b for b in self.blocks if b.type == name]
        value = self.attrs.get(name)
        items = value if isinstance(value, list) else [value] if isinstance(value, dict) else []
        line = self.attr_lines.get(name, self.line)
        for item in items:
            if isinstance(item, dict):
                found.append(object_block(name, item, self.source, line))
        return found

    def line_of(self, attr: str) -> int:
        """Line of an attribute (or nested block) inside this block, else the block's own line."""
        if attr in self.attr_lines:
            return self.attr_lines[attr]
        for child in self.blocks:
            if child.type == attr:
                return child.line
        return self.line


def object_block(name: str, value: dict[str, Any], source: str, line: int) -> Block:
    """View an object value as a block, so checks treat `x { }` and `x = [{ }]` alike."""
    attrs = dict(value)
    return Block(name, (), source, line, line, attrs, dict.fromkeys(attrs, line))


@dataclass
class SourceFile:
    """A file that was read: its display name and lines (for evidence)."""

    path: Path
    display: str
    lines: list[str]


@dataclass
class Module:
    """A directory of `.tf` files read together; `focus` names the files the user asked about."""

    directory: Path
    files: list[SourceFile] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    focus: set[str] = field(default_factory=set)
    tfvars: dict[str, Any] = field(default_factory=dict)

    def of_type(self, kind: str, resource_type: str | None = None) -> Iterator[Block]:
        """Top-level blocks of one kind (`resource`, `variable`...), optionally of one resource type."""
        for block in self.blocks:
            if block.type == kind and (resource_type is None or block.resource_type == resource_type):
                yield block

    def line_text(self, source: str, line: int) -> str:
        """The text of a line of one of the module's files, or ''."""
        for file in self.files:
            if file.display == source and 1 <= line <= len(file.lines):
                return file.lines[line - 1]
        return ""
