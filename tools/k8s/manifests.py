"""Kubernetes objects read from files, folders and stdin, one at a time, with their lines.

Every document of every YAML or JSON input becomes a `Manifest`: an object (a `List`'s
items become one each), or an error that says what is wrong and on which line. A
broken document does not lose the rest of its file: reading resumes at the next `---`.
"""

from __future__ import annotations

import io
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from tools.errors import InputError
from tools.k8s.yaml_stream import Document, YamlProblem, documents

MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")
SNIFF_BYTES = 8192
STDIN = "-"
KUSTOMIZATION_FILES = ("kustomization.yaml", "kustomization.yml", "Kustomization")


@dataclass
class Manifest:
    """One Kubernetes object (or one document that could not become one)."""

    source: str
    line: int
    obj: dict[str, Any] | None = None
    error: str | None = None
    duplicates: list[tuple[str, int]] = field(default_factory=list)  # (field path, line)
    lines: dict[int, Any] = field(default_factory=dict, repr=False)

    @property
    def kind(self) -> str:
        """The object's kind ('' when missing)."""
        value = (self.obj or {}).get("kind")
        return value if isinstance(value, str) else ""

    @property
    def api_version(self) -> str:
        """The object's apiVersion ('' when missing)."""
        value = (self.obj or {}).get("apiVersion")
        return value if isinstance(value, str) else ""

    @property
    def metadata(self) -> dict[str, Any]:
        """The object's metadata mapping (empty when missing or malformed)."""
        value = (self.obj or {}).get("metadata")
        return value if isinstance(value, dict) else {}

    @property
    def name(self) -> str:
        """metadata.name, else generateName with a '*', else ''."""
        name = self.metadata.get("name")
        if isinstance(name, str) and name:
            return name
        generated = self.metadata.get("generateName")
        return f"{generated}*" if isinstance(generated, str) and generated else ""

    @property
    def namespace(self) -> str | None:
        """metadata.namespace, when set."""
        value = self.metadata.get("namespace")
        return value if isinstance(value, str) and value else None

    def label(self) -> str:
        """How a report names the object: Kind/name, or the file position when it has no kind."""
        if self.kind:
            return f"{self.kind}/{self.name or '(unnamed)'}"
        return f"{self.source}:{self.line}"

    def line_of(self, path: Sequence[str | int]) -> int:
        """The line of the deepest part of `path` that exists in the object."""
        line, node = self.line, self.obj
        for step in path:
            table = self.lines.get(id(node))
            if table is None:
                break
            if isinstance(node, dict) and isinstance(step, str) and step in node:
                line, node = table.get(step, line), node[step]
            elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
                line, node = table[step] if step < len(table) else line, node[step]
            else:
                break
        return line


@dataclass(frozen=True)
class InputFile:
    """A file to read; `explicit` when the user named it (not found by walking a folder)."""

    path: str
    explicit: bool


def manifest_files(paths: Sequence[str | Path], notes: list[str] | None = None) -> list[InputFile]:
    """Files to read: named files as they are, YAML and JSON files under folders, `-` for stdin.

    Inside folders, Helm charts and kustomize folders are left out (their files are
    templates and patches, not objects) with a note in `notes` saying how to render them.
    """
    found: list[InputFile] = []
    for raw in paths:
        text = str(raw)
        if text == STDIN:
            found.append(InputFile(STDIN, True))
            continue
        path = Path(text)
        if path.is_dir():
            found.extend(InputFile(f, False) for f in _walk(path, notes if notes is not None else []))
        elif path.exists():
            found.append(InputFile(text, True))
        else:
            raise InputError(text, "no such file or directory")
    return found


def _walk(root: Path, notes: list[str]) -> Iterator[str]:
    seen: set[tuple[int, int]] = set()
    for folder, subfolders, files in os.walk(root, followlinks=True):
        stat = os.stat(folder)
        if (stat.st_dev, stat.st_ino) in seen:  # a symlink loop: do not go round again
            subfolders[:] = []
            continue
        seen.add((stat.st_dev, stat.st_ino))
        if "Chart.yaml" in files:
            notes.append(
                f"{folder}: a Helm chart, not read; render it: helm template {folder} | shipmate validate -"
            )
            subfolders[:] = []
            continue
        if any(name in files for name in KUSTOMIZATION_FILES):
            notes.append(
                f"{folder}: a kustomization, not read; run: kustomize build {folder} | shipmate validate -"
            )
            subfolders[:] = []
            continue
        subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
        for name in sorted(files):
            if name.endswith(MANIFEST_SUFFIXES):
                yield os.path.join(folder, name)


def read_manifests(
    source: str, stdin: IO[bytes] | None = None, stdin_label: str = "stdin"
) -> Iterator[Manifest]:
    """Every object in one file (or stdin, shown as `stdin_label`), streamed document by document."""
    try:
        raw = _spooled(stdin or sys.stdin.buffer) if source == STDIN else open(source, "rb")  # noqa: SIM115
    except OSError as err:
        yield Manifest(source, 1, error=f"cannot read: {err.strerror or err}")
        return
    shown = stdin_label if source == STDIN else source
    with raw:
        if b"\x00" in raw.peek(SNIFF_BYTES)[:SNIFF_BYTES]:
            yield Manifest(shown, 1, error="binary data, not YAML or JSON")
            return
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="strict", newline=None)
        yield from _from_text(shown, text)


def _spooled(stream: IO[bytes]) -> io.BufferedRandom:
    """stdin copied to a temporary file, so a broken document can be skipped by re-reading."""
    spool = tempfile.TemporaryFile()  # noqa: SIM115
    shutil.copyfileobj(stream, spool, 1 << 20)
    spool.seek(0)
    return spool


def _from_text(source: str, text: IO[str]) -> Iterator[Manifest]:
    offset = 0
    while True:
        try:
            for document in documents(text, offset):
                yield from _objects(source, document)
            return
        except YamlProblem as problem:
            where = f"line {problem.line}" + (f", column {problem.column}" if problem.column else "")
            yield Manifest(source, problem.line, error=f"{problem.message} ({where})")
            resumed = _skip_to_next_document(text, problem.line, offset + 1)
            if resumed is None:
                return
            offset = resumed
        except UnicodeDecodeError:
            yield Manifest(source, max(offset, 1), error="not valid UTF-8 text")
            return


def _skip_to_next_document(text: IO[str], broken_line: int, resumed_at: int) -> int | None:
    """Position `text` at the first `---` line from `broken_line` on (and past `resumed_at`).

    Returns the number of lines before it.

    The parser reads ahead, so this re-reads the stream from its start (files are seekable;
    stdin is spooled to a temporary file first). None when no document follows.
    """
    text.seek(0)
    number = 0
    while True:
        position = text.tell()
        line = text.readline()
        if not line:
            return None
        number += 1
        if number >= broken_line and number > resumed_at and line.startswith("---"):
            text.seek(position)
            return number - 1


def _objects(source: str, document: Document) -> Iterator[Manifest]:
    value = document.value
    if value is None:
        return  # blank or comments only
    duplicates = [(_dotted(path), line) for path, line in document.duplicates]
    if not isinstance(value, dict):
        shape = "a list" if isinstance(value, list) else "a single value"
        yield Manifest(source, document.line, error=f"not a Kubernetes object: the document is {shape}")
        return
    items = value.get("items")
    kind = value.get("kind")
    if isinstance(kind, str) and kind.endswith("List") and isinstance(items, list):
        item_lines = document.lines.get(id(items), [])
        for index, item in enumerate(items):
            line = item_lines[index] if index < len(item_lines) else document.line
            if isinstance(item, dict):
                yield Manifest(source, line, item, None, [], document.lines)
            else:
                yield Manifest(source, line, error=f"item {index} of the {kind} is not an object")
        return
    yield Manifest(source, document.line, value, None, duplicates, document.lines)


def _dotted(path: Sequence[Any]) -> str:
    parts: list[str] = []
    for step in path:
        if isinstance(step, int):
            parts.append(f"[{step}]")
        else:
            parts.append(("." if parts else "") + str(step))
    return "".join(parts)
