"""YAML documents as plain Python values, with the line of every key and item, streamed.

libyaml (PyYAML's C parser) turns the text into events; this module builds the values
itself instead of using PyYAML's constructor, because it must also:

- remember the line of every mapping key and sequence item (findings point at lines);
- report duplicate keys (YAML forbids them; PyYAML silently keeps the last);
- refuse YAML bombs: nesting deeper than `MAX_DEPTH`, or aliases that expand to more
  than `MAX_NODES` values, stop the document with an error before it is expanded;
- read scalars the way Kubernetes does (sigs.k8s.io/yaml): timestamps stay strings,
  mapping keys become strings (`5`, `true`), merge keys (`<<`) are honoured.

Aliases share the anchored value instead of copying it, so memory never grows with
expansion, and the node count guards whoever walks the value later.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

import yaml
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)

MAX_DEPTH = 100
MAX_NODES = 1_000_000
_RESOLVER = yaml.resolver.Resolver()
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_BOOLS = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}
_TAG = "tag:yaml.org,2002:"


class YamlProblem(Exception):
    """The document cannot be read; `line` and `column` are 1-based."""

    def __init__(self, message: str, line: int, column: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


@dataclass
class Document:
    """One YAML document: its value, where it starts, and where each key and item sits."""

    value: Any
    line: int
    end_line: int
    lines: dict[int, Any] = field(default_factory=dict)  # id(container) -> {key: line} | [line, ...]
    duplicates: list[tuple[list[Any], int]] = field(default_factory=list)  # (path, line)


class _Frame:
    __slots__ = (
        "anchor",
        "container",
        "is_map",
        "key",
        "key_line",
        "line",
        "lines",
        "merged",
        "path_key",
        "size",
    )

    def __init__(self, is_map: bool, path_key: Any, anchor: str | None, line: int) -> None:
        self.line = line  # where the mapping or sequence starts: its place in its parent
        self.container: Any = {} if is_map else []
        self.is_map = is_map
        self.key: Any = _NO_KEY
        self.key_line = 0
        self.lines: Any = {} if is_map else []
        self.path_key = path_key  # where this container sits in its parent
        self.anchor = anchor
        self.size = 1
        self.merged: set[str] = set()  # keys that came from a merge and may be overridden


_NO_KEY = object()
_MERGE = object()


def documents(stream: IO[str] | str, line_offset: int = 0) -> Iterator[Document]:
    """Every document of `stream`, one at a time; raises YamlProblem at the first broken one."""
    builder = _Builder(line_offset)
    try:
        for event in yaml.parse(stream, Loader=yaml.CSafeLoader):
            finished = builder.feed(event)
            if finished is not None:
                yield finished
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        message = " ".join(f"{err.context or ''} {err.problem or ''}".split()) or "invalid YAML"
        raise YamlProblem(
            message, (mark.line + 1 + line_offset) if mark else 1, (mark.column + 1) if mark else 0
        ) from err
    except yaml.YAMLError as err:
        raise YamlProblem(" ".join(str(err).split()), 1) from err


class _Builder:
    """Turns parser events into documents; one instance per stream."""

    def __init__(self, line_offset: int) -> None:
        self.line_offset = line_offset
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.doc = Document(None, 1, 1)
        self.nodes = 0

    def feed(self, event: Any) -> Document | None:
        """Take one event; returns the document it completes, if any."""
        kind = type(event)
        line = event.start_mark.line + 1 + self.line_offset
        if kind is ScalarEvent:
            value: Any = _scalar(event)
            size = 1
            if event.anchor:
                self.anchors[event.anchor] = (value, 1)
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            if len(self.stack) >= MAX_DEPTH:
                raise YamlProblem(f"nesting deeper than {MAX_DEPTH} levels (a YAML bomb?)", line)
            self.stack.append(_Frame(kind is MappingStartEvent, _path_key(self.stack), event.anchor, line))
            return None
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            frame = self.stack.pop()
            value, size, line = frame.container, frame.size, frame.line
            self.doc.lines[id(value)] = frame.lines
            if frame.anchor:
                self.anchors[frame.anchor] = (value, size)
        elif kind is AliasEvent:
            if event.anchor not in self.anchors:
                raise YamlProblem(f"unknown alias *{event.anchor}", line)
            value, size = self.anchors[event.anchor]
        elif kind is DocumentStartEvent:
            self.doc = Document(None, line, line)
            self.anchors.clear()
            self.nodes = 0
            return None
        elif kind is DocumentEndEvent:
            self.doc.end_line = line
            return self.doc
        else:
            return None
        # an alias counts as every value it stands for: that is what a reader will walk
        self.nodes += size if kind is AliasEvent else 1
        if self.nodes > MAX_NODES:
            raise YamlProblem(f"more than {MAX_NODES:,} values in one document (a YAML bomb?)", line)
        if self.stack:
            _place(self.stack, value, size, line, self.doc)
        else:
            self.doc.value = value
        return None


def _path_key(stack: list[_Frame]) -> Any:
    if not stack:
        return None
    top = stack[-1]
    return top.key if top.is_map else len(top.container)


def _place(stack: list[_Frame], value: Any, size: int, line: int, doc: Document) -> None:
    frame = stack[-1]
    frame.size += size
    if not frame.is_map:
        frame.container.append(value)
        frame.lines.append(line)
        return
    if frame.key is _NO_KEY:
        if isinstance(value, dict | list):
            raise YamlProblem("a mapping or sequence cannot be a mapping key", line)
        frame.key = value if value is _MERGE else _key_text(value)
        frame.key_line = line
        return
    key, frame.key = frame.key, _NO_KEY
    if key is _MERGE:
        _merge(frame, value, line)
        return
    if key in frame.container and key not in frame.merged:
        doc.duplicates.append(([f.path_key for f in stack[1:]] + [key], frame.key_line))
    frame.merged.discard(key)
    frame.container[key] = value
    frame.lines[key] = frame.key_line


def _merge(frame: _Frame, value: Any, line: int) -> None:
    for source in value if isinstance(value, list) else [value]:
        if not isinstance(source, dict):
            raise YamlProblem("a merge key (<<) needs a mapping or a list of mappings", line)
        for key, merged in source.items():
            if key not in frame.container:
                frame.container[key] = merged
                frame.lines[key] = frame.key_line
                frame.merged.add(key)


def _key_text(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _scalar(event: Any) -> Any:
    text = event.value
    plain = event.implicit[0]
    if event.tag is not None and event.tag != "!":
        return _tagged(event.tag, text)
    if not plain:
        return text
    if not text:
        return None
    first = text[0]
    if first.isalpha() and first not in "tTfFyYnNoO.":
        return text  # no bool, null, number or float special starts with these
    tag: str = _RESOLVER.resolve(yaml.ScalarNode, text, event.implicit)  # type: ignore[no-untyped-call]
    return _tagged(tag, text)


def _tagged(tag: str, text: str) -> Any:
    if not tag.startswith(_TAG):
        return text  # a local tag (!Ref and the like): keep the text
    name = tag[len(_TAG) :]
    if name in {"str", "timestamp", "binary"}:
        return text
    if name == "null":
        return None
    if name == "bool":
        return _BOOLS.get(text.lower(), bool(text))
    if name == "int":
        return int(text) if text.isdigit() else _CONSTRUCTOR.construct_yaml_int(yaml.ScalarNode(tag, text))
    if name == "float":
        return _CONSTRUCTOR.construct_yaml_float(yaml.ScalarNode(tag, text))
    if name == "merge":
        return _MERGE
    return text
