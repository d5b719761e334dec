"""Read one HCL file into `Block`s with line numbers, using python-hcl2's syntax tree.

python-hcl2 8.x documents a `with_meta` option that it does not implement, so lines come from
the Lark positions on its rule objects instead: we walk the tree ourselves and serialise each
attribute value on its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tools.errors import InputError
from tools.terraform.model import Block, Ref

_BUILTIN_ROOTS = {"each", "count", "path", "self", "terraform"}
# Attributes whose expressions name things that are not references to declared objects
# (a variable's `type = list(string)` names types; elsewhere `type = var.x` is a reference).
_NOT_REFERENCES = frozenset({"provider", "providers", "ignore_changes", "replace_triggered_by"})
_NOT_REFERENCES_IN_VARIABLES = _NOT_REFERENCES | {"type"}
_SNIFF_BYTES = 8192


@dataclass(frozen=True)
class HclSyntaxError(Exception):
    """The text is not valid HCL: where and why."""

    line: int
    column: int
    reason: str

    def __str__(self) -> str:
        return f"HCL syntax error at line {self.line}, column {self.column}: {self.reason}"


def read_text(path: Path, display: str) -> str:
    """Read a file as UTF-8 text; raise InputError when it is unreadable, binary or not UTF-8."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(display, f"cannot be read ({error.strerror or error})") from error
    if b"\x00" in data[:_SNIFF_BYTES]:
        raise InputError(display, "is a binary file, not Terraform text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputError(display, f"is not valid UTF-8 (byte {error.start}, line {line})") from error


def parse_hcl(text: str, source: str) -> list[Block]:
    """Parse HCL text into top-level blocks (top-level attributes, as in .tfvars, form one block '')."""
    import hcl2
    from hcl2.rules.base import AttributeRule, BlockRule
    from lark.exceptions import LarkError, UnexpectedInput

    try:
        tree = hcl2.parses(text)
    except UnexpectedInput as error:
        raise HclSyntaxError(error.line, error.column, _describe(error)) from error
    except (LarkError, RuntimeError, ValueError) as error:
        raise HclSyntaxError(
            1, 1, str(error).splitlines()[0] if str(error) else type(error).__name__
        ) from error
    top = Block("", (), source, 1, max(1, text.count("\n") + 1))
    blocks: list[Block] = []
    for child in tree.body.children:
        if isinstance(child, BlockRule):
            blocks.append(_convert_block(child, source))
        elif isinstance(child, AttributeRule):
            _add_attribute(top, child)
    if top.attrs:
        blocks.insert(0, top)
    return blocks


def _describe(error: Any) -> str:
    token = getattr(error, "token", None)
    expected = sorted(getattr(error, "expected", None) or getattr(error, "allowed", None) or ())
    if token is not None and getattr(token, "type", "") == "$END":
        what = "unexpected end of file"
    elif token is not None and str(token).startswith(("\n", "\r")):
        what = "unexpected end of line"
    elif token is not None:
        what = f"unexpected {str(token).strip()[:30]!r}"
    else:
        char = getattr(error, "char", None)
        what = f"unexpected character {char!r}" if char else "invalid syntax"
    if expected:
        shown = ", ".join(expected[:6]) + (", ..." if len(expected) > 6 else "")
        return f"{what} (expected one of: {shown})"
    return what


def _line(rule: Any, default: int = 1) -> int:
    meta = getattr(rule, "_meta", None)
    return int(getattr(meta, "line", default) or default)


def _column(rule: Any) -> int:
    return int(getattr(getattr(rule, "_meta", None), "column", 1) or 1)


def _end_line(rule: Any, default: int) -> int:
    meta = getattr(rule, "_meta", None)
    return int(getattr(meta, "end_line", default) or default)


def _options() -> Any:
    from hcl2.utils import SerializationOptions

    return SerializationOptions(
        with_comments=False, explicit_blocks=False, preserve_heredocs=False, strip_string_quotes=True
    )


def _convert_block(rule: Any, source: str) -> Block:
    from hcl2.rules.base import AttributeRule, BlockRule

    options = _options()
    labels = [str(label.serialize(options)) for label in rule.labels]
    line = _line(rule)
    block = Block(labels[0], tuple(labels[1:]), source, line, _end_line(rule, line))
    for child in rule.body.children:
        if isinstance(child, BlockRule):
            nested = _convert_block(child, source)
            if nested.type in block.attrs:
                raise HclSyntaxError(
                    nested.line, _column(child), f'"{nested.type}" is both an argument and a block'
                )
            block.blocks.append(nested)
        elif isinstance(child, AttributeRule):
            _add_attribute(block, child)
    block.refs = _references(rule, block)
    return block


def _add_attribute(block: Block, rule: Any) -> None:
    options = _options()
    name = str(rule.identifier.serialize(options))
    if name in block.attrs:
        first = block.attr_lines[name]
        raise HclSyntaxError(
            _line(rule), _column(rule), f'argument "{name}" is defined twice (first at line {first})'
        )
    if any(child.type == name for child in block.blocks):
        raise HclSyntaxError(_line(rule), _column(rule), f'"{name}" is both an argument and a block')
    try:
        block.attrs[name] = rule.expression.serialize(options)
    except Exception:  # an expression python-hcl2 cannot render: keep it as an unknown value
        block.attrs[name] = "${?}"
    block.attr_lines[name] = _line(rule, block.line)
    encoded = _jsonencode_argument(rule.expression)
    if encoded is not None:
        block.encoded[name] = encoded


def _jsonencode_argument(expression: Any) -> Any:
    """The value given to `jsonencode(...)` when the attribute is exactly such a call, else None."""
    from hcl2.rules.expressions import ExprTermRule
    from hcl2.rules.functions import FunctionCallRule

    inner = expression.expression if isinstance(expression, ExprTermRule) else expression
    if not isinstance(inner, FunctionCallRule):
        return None
    names = [identifier.serialize(_options()) for identifier in inner.identifiers]
    if names != ["jsonencode"] or inner.arguments is None or not inner.arguments.arguments:
        return None
    try:
        return inner.arguments.arguments[0].serialize(_options())
    except Exception:
        return None


def _references(rule: Any, block: Block) -> list[Ref]:
    """References in a top-level block's expressions, minus iterator names bound inside it."""
    chains: list[tuple[list[str], int]] = []
    bound: set[str] = set()
    ignored = _NOT_REFERENCES_IN_VARIABLES if block.type == "variable" else _NOT_REFERENCES
    _walk(rule, chains, bound, skip=False, ignored=ignored)
    bound.update(_dynamic_iterators(block))
    refs: list[Ref] = []
    seen: set[tuple[str, str, int]] = set()
    for chain, line in chains:
        ref = _classify(chain, line, bound)
        if ref is not None and (ref.kind, ref.name, ref.line) not in seen:
            seen.add((ref.kind, ref.name, ref.line))
            refs.append(ref)
    return refs


def _dynamic_iterators(block: Block) -> set[str]:
    names: set[str] = set()
    for child in block.blocks:
        if child.type == "dynamic" and child.labels:
            iterator = child.attrs.get("iterator")
            names.add(str(iterator).strip("${}") if iterator else child.labels[0])
        names |= _dynamic_iterators(child)
    return names


def _walk(
    node: Any, chains: list[tuple[list[str], int]], bound: set[str], *, skip: bool, ignored: frozenset[str]
) -> None:
    from hcl2.rules.abstract import LarkRule
    from hcl2.rules.base import AttributeRule
    from hcl2.rules.for_expressions import ForIntroRule
    from hcl2.rules.indexing import (
        AttrSplatExprTermRule,
        FullSplatExprTermRule,
        GetAttrExprTermRule,
        IndexExprTermRule,
    )

    if isinstance(node, AttributeRule):
        skip = str(node.identifier.serialize(_options())) in ignored
    if isinstance(node, ForIntroRule):
        for iterator in (node.first_iterator, node.second_iterator):
            if iterator is not None:
                bound.add(str(iterator.serialize(_options())))
    traversal = (GetAttrExprTermRule, IndexExprTermRule, AttrSplatExprTermRule, FullSplatExprTermRule)
    if not skip and isinstance(node, traversal):
        chain = _chain(node)
        if chain and len(chain) >= 2:
            chains.append((chain, _line(node)))
    for child in getattr(node, "children", ()):
        if isinstance(child, LarkRule):
            _walk(child, chains, bound, skip=skip, ignored=ignored)


def _chain(node: Any) -> list[str] | None:
    """Names along a traversal `a.b.c[0].d` rooted at an identifier: ['a', 'b', 'c']."""
    from hcl2.rules.expressions import ExprTermRule
    from hcl2.rules.indexing import GetAttrExprTermRule
    from hcl2.rules.literal_rules import IdentifierRule

    if isinstance(node, IdentifierRule):
        return [str(node.serialize(_options()))]
    if isinstance(node, ExprTermRule):
        return None if node.parentheses else _chain(node.expression)
    if isinstance(node, GetAttrExprTermRule):
        base = _chain(node.expr_term)
        if base is None:
            return None
        return [*base, str(node.get_attr.identifier.serialize(_options()))]
    children = getattr(node, "children", None)
    if children:  # index and splat: the names before them still name the object
        return _chain(children[0])
    return None


def _classify(chain: list[str], line: int, bound: set[str]) -> Ref | None:
    root = chain[0]
    if root in _BUILTIN_ROOTS or root in bound:
        return None
    if root in ("var", "local", "module"):
        return Ref(root, chain[1], line)
    if root == "data":
        return Ref("data", f"{chain[1]}.{chain[2]}", line) if len(chain) >= 3 else None
    return Ref("resource", f"{root}.{chain[1]}", line)
