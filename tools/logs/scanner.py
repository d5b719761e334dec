"""Scan inputs block by block and tally what the signatures and the miner need.

The hot loop asks RE2 for the next line worth a look (one prefilter over raw
bytes), and only that line is decoded and matched in detail. Memory stays
bounded: tallies keep counts, the first and last occurrence and a few samples.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from tools.logs.blocks import block_reach
from tools.logs.catalogue import CompiledCatalogue, PatternRef, Signature
from tools.logs.kinds import KindGuess
from tools.logs.normalize import ANSI_BYTES, find_timestamp, shorten, strip_prefix, template_key
from tools.logs.sources import Window
from tools.logs.summaries import dominant_spans

MAX_SAMPLES_PER_SOURCE = 3
MAX_DECISIVE = 6
DECISIVE_PER_RULE = 2
MAX_TITLES_PER_SIGNATURE = 20
MAX_UNEXPLAINED_TEMPLATES = 20_000
MAX_SECRET_LINES = 5_000


@dataclass(frozen=True)
class LineRef:
    """A quoted line: where it is, what it says, when it happened."""

    source: str
    line: int
    text: str
    timestamp: str | None = None


@dataclass
class Tally:
    """Everything seen of one signature with one rendered title."""

    signature: int
    title: str
    count: int = 0
    first: LineRef | None = None
    last: LineRef | None = None
    samples: dict[str, list[LineRef]] = field(default_factory=dict)
    decisive: list[LineRef] = field(default_factory=list)
    last_line_by_source: dict[str, int] = field(default_factory=dict)
    worst: LineRef | None = None  # the first occurrence logged at error level or above

    def add(self, ref: LineRef, decisive: list[LineRef]) -> None:
        """Count one more matching line."""
        self.count += 1
        if self.first is None:
            self.first = ref
        self.last = ref
        per_source = self.samples.setdefault(ref.source, [])
        if len(per_source) < MAX_SAMPLES_PER_SOURCE and all(s.text != ref.text for s in per_source):
            per_source.append(ref)
        for line in decisive:
            if len(self.decisive) < MAX_DECISIVE and all(d.text != line.text for d in self.decisive):
                self.decisive.append(line)
        self.last_line_by_source[ref.source] = ref.line
        if self.worst is None and ref is not self.first and _ERROR_LEVEL.search(ref.text):
            self.worst = ref


_ERROR_LEVEL = re.compile(
    r"\b(?:ERROR|FATAL|CRITICAL|PANIC|SEVERE)\b|\blevel(?:name)?\W{1,4}(?:error|fatal|critical)\b|^[EF]\d{4} "
)


@dataclass
class Unexplained:
    """Error-like lines with the same template that no signature explains."""

    template: str
    count: int
    first: LineRef
    last: LineRef


@dataclass
class ScanState:
    """What a scan of all inputs has gathered."""

    tallies: dict[tuple[int, str], Tally] = field(default_factory=dict)
    recovered_at: dict[tuple[int, str], int] = field(default_factory=dict)
    unexplained: dict[str, Unexplained] = field(default_factory=dict)
    unexplained_overflow: int = 0
    titles_per_signature: dict[int, int] = field(default_factory=dict)
    secret_lines: set[str] = field(default_factory=set)  # distinct lines that may define a credential


class Scanner:
    """Feeds windows of one input through the catalogue into a shared `ScanState`."""

    def __init__(self, signatures: list[Signature], compiled: CompiledCatalogue, state: ScanState) -> None:
        self.signatures = signatures
        self.compiled = compiled
        self.state = state
        self._plain_titles: dict[int, str] = {}

    def scan(self, windows: Iterator[Window], source: str, kind: KindGuess) -> int:
        """Scan every window of one input; return the number of lines it has."""
        lines = 0
        ends_with_newline = True
        for window in windows:
            data, scan_from, scan_to = _clean(window, kind.json_lines)
            lines += window.new_lines
            if scan_to > scan_from:
                ends_with_newline = data[scan_to - 1 : scan_to] == b"\n"
            self._scan_region(data, scan_from, scan_to, window.first_line, source, kind)
        return lines + (0 if ends_with_newline else 1)

    def _scan_region(
        self, data: bytes, scan_from: int, scan_to: int, first_line: int, source: str, kind: KindGuess
    ) -> None:
        prefilter = self.compiled.prefilter
        position = scan_from
        counted_to = 0
        line_number = first_line
        while position < scan_to:
            match = prefilter.search(data, position, scan_to)
            if match is None:
                return
            start = data.rfind(b"\n", 0, match.start()) + 1
            end = data.find(b"\n", match.end())
            if end == -1:
                end = len(data)
            line_number += data.count(b"\n", counted_to, start)
            counted_to = start
            focus = match.start() - start
            raw = data[start:end]
            if len(raw) > 4 * 2000:  # decode only the part around the match of a huge line
                window_start = max(0, focus - 2000)
                raw = raw[window_start : focus + 4000]
                focus -= window_start
            self._line(raw.decode("utf-8", "replace"), focus, line_number, data, start, end, source, kind)
            position = end + 1

    def _line(
        self,
        text: str,
        focus: int,
        number: int,
        data: bytes,
        start: int,
        end: int,
        source: str,
        kind: KindGuess,
    ) -> None:
        text, timestamp = strip_prefix(text.rstrip("\r"))
        text = shorten(text, focus)
        found = self.compiled.matching(text)
        if found.secret_hint and len(self.state.secret_lines) < MAX_SECRET_LINES:
            self.state.secret_lines.add(text)
        ref = LineRef(source, number, text, timestamp or find_timestamp(text))
        matched: list[tuple[int, Signature, PatternRef, re.Match[str] | None, _Context]] = []
        for index in found.patterns:
            pattern = self.compiled.refs[index]
            signature = self.signatures[pattern.signature]
            if pattern.is_recovery:
                self.state.recovered_at[(pattern.signature, source)] = number
                continue
            if any(m[0] == pattern.signature for m in matched) or not kind.admits(signature.kinds):
                continue
            context = _Context(data, start, end, number)
            if self._context_holds(pattern.signature, signature, context):
                matched.append((pattern.signature, signature, pattern, pattern.regex.search(text), context))
        for signature_index, signature, pattern, match, context in _main_reasons(text, matched):
            groups = {k: v for k, v in (match.groupdict() if match else {}).items() if v}
            tally = self._tally(signature_index, signature, groups if pattern.has_groups else {})
            # the first occurrences carry the details; later repeats only count
            decisive = (
                self._decisive(signature_index, signature, context, source, text) if tally.count < 3 else []
            )
            tally.add(ref, decisive)
        explained = bool(matched)
        if not explained and found.error_like:
            self._unexplained(ref)

    def _context_holds(self, index: int, signature: Signature, context: _Context) -> bool:
        rule = signature.context
        if rule is None or not (rule.requires or rule.excludes):
            return True
        around = context.lines(rule.before, rule.after)
        joined = "\n".join(text for _, text in around)
        if rule.requires and not any(r.search(joined) for r in self.compiled.context_requires[index]):
            return False
        return not any(r.search(joined) for r in self.compiled.context_excludes[index])

    def _decisive(
        self, index: int, signature: Signature, context: _Context, source: str, text: str
    ) -> list[LineRef]:
        """Lines after the match that carry its specifics: signature rules, then the error block's details."""
        found: list[LineRef] = []
        regexes = self.compiled.context_decisive.get(index, [])
        if regexes and signature.context is not None:
            after = context.lines(0, signature.context.after, include_self=False)
            before = context.lines(signature.context.before, 0, include_self=False)[::-1]  # nearest first
            for regex in regexes:
                matches = [(n, t) for n, t in after if regex.search(t)][:DECISIVE_PER_RULE]
                matches = matches or [(n, t) for n, t in before if regex.search(t)][:DECISIVE_PER_RULE]
                found.extend(
                    LineRef(source, n, shorten(t)) for n, t in matches if all(ref.line != n for ref in found)
                )
        block = block_reach(text)
        if block is not None:
            reach, extract = block
            found.extend(
                LineRef(source, number, shorten(line))
                for number, line in extract(context.lines(0, reach, include_self=False))
                if all(ref.line != number for ref in found)
            )
        return found

    def _tally(self, index: int, signature: Signature, groups: dict[str, str]) -> Tally:
        title = render_title(signature.title, groups) if groups else self._plain_title(index, signature)
        key = (index, title)
        tally = self.state.tallies.get(key)
        if tally is None:
            used = self.state.titles_per_signature.get(index, 0)
            if used >= MAX_TITLES_PER_SIGNATURE:
                title = self._plain_title(index, signature)
                key = (index, title)
                tally = self.state.tallies.get(key)
            if tally is None:
                self.state.titles_per_signature[index] = used + 1
                tally = self.state.tallies[key] = Tally(index, title)
        return tally

    def _plain_title(self, index: int, signature: Signature) -> str:
        title = self._plain_titles.get(index)
        if title is None:
            title = self._plain_titles[index] = render_title(signature.title, {})
        return title

    def _unexplained(self, ref: LineRef) -> None:
        key = template_key(ref.text)
        entry = self.state.unexplained.get(key)
        if entry is not None:
            entry.count += 1
            entry.last = ref
        elif len(self.state.unexplained) < MAX_UNEXPLAINED_TEMPLATES:
            self.state.unexplained[key] = Unexplained(key, 1, ref, ref)
        else:
            self.state.unexplained_overflow += 1


_Matched = tuple[int, Signature, "PatternRef", "re.Match[str] | None", "_Context"]


def _main_reasons(text: str, matched: list[_Matched]) -> list[_Matched]:
    """On a scheduler summary, keep the signatures that match the reason holding back most nodes."""
    if len(matched) < 2:
        return matched
    spans = dominant_spans(text)
    if spans is None:
        return matched
    main = [m for m in matched if m[3] is not None and any(a <= m[3].start() < b for a, b in spans)]
    return main or matched


class _Context:
    """Lazy access to the lines around a matched line inside a window."""

    def __init__(self, data: bytes, start: int, end: int, number: int) -> None:
        self.data, self.start, self.end, self.number = data, start, end, number

    def lines(self, before: int, after: int, include_self: bool = True) -> list[tuple[int, str]]:
        out: list[tuple[int, str]] = []
        position = self.start
        for offset in range(1, before + 1):
            if position <= 0:
                break
            previous = self.data.rfind(b"\n", 0, position - 1) + 1
            out.insert(0, (self.number - offset, self._decode(previous, position - 1)))
            position = previous
        if include_self:
            out.append((self.number, self._decode(self.start, self.end)))
        position = self.end
        for offset in range(1, after + 1):
            if position >= len(self.data):
                break
            following = self.data.find(b"\n", position + 1)
            following = len(self.data) if following == -1 else following
            out.append((self.number + offset, self._decode(position + 1, following)))
            position = following
        return out

    def _decode(self, start: int, end: int) -> str:
        text = self.data[start : min(end, start + 4000)].decode("utf-8", "replace").rstrip("\r")
        return strip_prefix(text)[0]


class _KeepPlaceholder(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return f"<{key}>"


def render_title(template: str, groups: dict[str, str]) -> str:
    try:
        return template.format_map(_KeepPlaceholder({k: v[:120] for k, v in groups.items()}))
    except (ValueError, IndexError):
        return template


def _clean(window: Window, json_lines: bool) -> tuple[bytes, int, int]:
    """Remove colour codes (and JSON quote escapes) without moving line breaks."""
    data = window.data
    if b"\x1b" not in data and not (json_lines and b'\\"' in data):
        return data, window.scan_from, window.scan_to
    parts = [data[: window.scan_from], data[window.scan_from : window.scan_to], data[window.scan_to :]]
    cleaned = [_clean_part(part, json_lines) for part in parts]
    return b"".join(cleaned), len(cleaned[0]), len(cleaned[0]) + len(cleaned[1])


def _clean_part(part: bytes, json_lines: bool) -> bytes:
    if b"\x1b" in part:
        part = ANSI_BYTES.sub(b"", part)
    return part.replace(b'\\"', b'"') if json_lines else part
