"""Split documents into chunks by heading, with overlap, for the knowledge index.

Markdown (with optional YAML front matter), reStructuredText, HTML and plain text.
Each chunk keeps its heading path (`Probes > Readiness > Tuning`) so a citation can
name the section, and the document's tags (platform, taxonomy categories) so search
can filter on them. Long sections are cut into overlapping windows of words.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import PurePosixPath

import yaml

MAX_WORDS = 220
OVERLAP_WORDS = 40
FORMATS = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".rst": "rst",
    ".txt": "text",
    ".html": "html",
    ".htm": "html",
}

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.DOTALL)
_RST_UNDERLINE = re.compile(r"^([=\-~^\"'`#*+<>:.,_])\1{2,}\s*$")
_RUNBOOK_PLATFORM = re.compile(
    r"^Category: `(?P<category>[\w.]+)`\s*·\s*Platform:\s*(?P<platform>[\w, -]+)$", re.M
)


@dataclass(frozen=True)
class Document:
    """A file's text with the tags that apply to all its chunks."""

    source: str  # path as shown in citations
    text: str
    title: str
    platforms: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Chunk:
    """One searchable piece of a document."""

    id: str
    source: str
    title: str
    heading_path: tuple[str, ...]
    text: str
    index: int
    platforms: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()

    @property
    def heading(self) -> str:
        """The heading path as one line: `Probes > Readiness`."""
        return " > ".join(self.heading_path)


@dataclass
class _Section:
    path: tuple[str, ...]
    lines: list[str] = field(default_factory=list)


def document_format(path: str) -> str | None:
    """The format the chunker reads for a file name, or None when it is not a document."""
    return FORMATS.get(PurePosixPath(path).suffix.lower())


def parse_document(source: str, text: str) -> Document:
    """Read front matter (Markdown) or a runbook's `Category: · Platform:` line into tags."""
    meta: dict[str, object] = {}
    match = _FRONT_MATTER.match(text)
    if match and document_format(source) == "markdown":
        try:
            loaded = yaml.safe_load(match.group(1))
        except yaml.YAMLError:
            loaded = None
        if isinstance(loaded, dict):
            meta = loaded
            text = text[match.end() :]
    title = str(meta.get("title") or _first_heading(text) or PurePosixPath(source).stem)
    platforms = _as_tuple(meta.get("platform")) + _as_tuple(meta.get("platforms"))
    categories = _as_tuple(meta.get("categories"))
    runbook = _RUNBOOK_PLATFORM.search(text)
    if runbook:
        categories = categories or (runbook.group("category"),)
        platforms = platforms or tuple(p.strip() for p in runbook.group("platform").split(",") if p.strip())
    return Document(source, text, title, platforms, categories, _as_tuple(meta.get("tags")))


def chunk_document(document: Document) -> list[Chunk]:
    """The chunks of a document, in reading order."""
    kind = document_format(document.source) or "text"
    if kind == "html":
        sections = _html_sections(document.text)
    elif kind == "rst":
        sections = _rst_sections(document.text)
    elif kind == "markdown":
        sections = _markdown_sections(document.text)
    else:
        sections = [_Section((), document.text.splitlines())]
    chunks: list[Chunk] = []
    for section in sections:
        body = "\n".join(section.lines).strip()
        if not body:
            continue
        for piece in _windows(body):
            path = section.path or (document.title,)
            digest = hashlib.sha256(
                f"{document.source}\0{'/'.join(path)}\0{len(chunks)}\0{piece}".encode()
            ).hexdigest()
            chunks.append(
                Chunk(
                    id=digest[:24],
                    source=document.source,
                    title=document.title,
                    heading_path=path,
                    text=piece,
                    index=len(chunks),
                    platforms=document.platforms,
                    categories=document.categories,
                    tags=document.tags,
                )
            )
    return chunks


def _windows(body: str) -> list[str]:
    """The section itself, or overlapping windows of it when it is long."""
    words = body.split()
    if len(words) <= MAX_WORDS:
        return [body]
    step = MAX_WORDS - OVERLAP_WORDS
    return [
        " ".join(words[start : start + MAX_WORDS]) for start in range(0, len(words) - OVERLAP_WORDS, step)
    ]


def _markdown_sections(text: str) -> list[_Section]:
    sections = [_Section(())]
    stack: list[tuple[int, str]] = []
    in_fence = False
    for line in text.splitlines():
        if _FENCE.match(line):
            in_fence = not in_fence
        heading = None if in_fence else _MD_HEADING.match(line)
        if heading is None:
            sections[-1].lines.append(line)
            continue
        level = len(heading.group(1))
        stack = [(lvl, title) for lvl, title in stack if lvl < level] + [(level, heading.group(2).strip())]
        sections.append(_Section(tuple(title for _, title in stack)))
    return sections


def _rst_sections(text: str) -> list[_Section]:
    lines = text.splitlines()
    sections = [_Section(())]
    levels: list[str] = []  # underline characters in the order they first appear
    stack: list[tuple[int, str]] = []
    skip: set[int] = set()
    for number, line in enumerate(lines):
        if number in skip:
            continue
        following = lines[number + 1] if number + 1 < len(lines) else ""
        underline = _RST_UNDERLINE.match(following)
        if line.strip() and underline and len(following.strip()) >= len(line.strip()):
            marker = underline.group(1)
            if marker not in levels:
                levels.append(marker)
            level = levels.index(marker)
            stack = [(lvl, title) for lvl, title in stack if lvl < level] + [(level, line.strip())]
            sections.append(_Section(tuple(title for _, title in stack)))
            skip.add(number + 1)
            continue
        overline = number + 2 < len(lines) and _RST_UNDERLINE.match(lines[number + 2])
        if _RST_UNDERLINE.match(line) and overline:
            continue  # an overline: the title and its underline follow
        sections[-1].lines.append(line)
    return sections


class _HtmlText(HTMLParser):
    """Collects text, starting a new section at every h1-h6."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections = [_Section(())]
        self._stack: list[tuple[int, str]] = []
        self._heading_level: int | None = None
        self._heading_text: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skipping += 1
        elif len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
            self._heading_level = int(tag[1])
            self._heading_text = []
        elif tag in ("p", "br", "li", "pre", "div", "tr"):
            self.sections[-1].lines.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skipping = max(0, self._skipping - 1)
        elif self._heading_level is not None and tag == f"h{self._heading_level}":
            title = " ".join("".join(self._heading_text).split())
            level = self._heading_level
            self._stack = [(lvl, t) for lvl, t in self._stack if lvl < level] + [(level, title)]
            self.sections.append(_Section(tuple(t for _, t in self._stack)))
            self._heading_level = None

    def handle_data(self, data: str) -> None:
        if self._skipping:
            return
        if self._heading_level is not None:
            self._heading_text.append(data)
        elif data.strip():
            self.sections[-1].lines.append(data.strip())


def _html_sections(text: str) -> list[_Section]:
    parser = _HtmlText()
    parser.feed(text)
    parser.close()
    return parser.sections


def _first_heading(text: str) -> str | None:
    for line in text.splitlines():
        match = _MD_HEADING.match(line)
        if match:
            return match.group(2).strip()
    return None


def _as_tuple(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list | tuple):
        return tuple(str(v) for v in value)
    return (str(value),)
