"""Recognise what kind of log an input is, from a sample of its first lines.

The kind decides how lines are normalised (CI timestamp prefixes, JSON escapes)
and which signatures apply (a signature may name the kinds it is meant for).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum


class SourceKind(StrEnum):
    """The kinds of input `shipmate diagnose` recognises."""

    KUBECTL_DESCRIBE = "kubectl_describe"
    KUBECTL_EVENTS = "kubectl_events"
    CONTAINER_LOG = "container_log"
    TERRAFORM = "terraform"
    GITHUB_ACTIONS = "github_actions"
    GITLAB_CI = "gitlab_ci"
    DOCKER_BUILD = "docker_build"
    JSONL = "jsonl"
    SYSLOG = "syslog"
    PYTHON_TRACEBACK = "python_traceback"
    JAVA_STACKTRACE = "java_stacktrace"
    GO_PANIC = "go_panic"
    NODE_STACKTRACE = "node_stacktrace"
    NGINX_INGRESS = "nginx_ingress"
    MODEL_SERVER = "model_server"


# A stack trace can appear anywhere in any log, far past the sample we look at.
TRACE_KINDS = frozenset(
    {SourceKind.PYTHON_TRACEBACK, SourceKind.JAVA_STACKTRACE, SourceKind.GO_PANIC, SourceKind.NODE_STACKTRACE}
)
# Kinds whose lines are an application's own output.
_APPLICATION_OUTPUT = frozenset(
    {
        SourceKind.CONTAINER_LOG,
        SourceKind.JSONL,
        SourceKind.SYSLOG,
        SourceKind.MODEL_SERVER,
        SourceKind.GITHUB_ACTIONS,
        SourceKind.GITLAB_CI,
        SourceKind.DOCKER_BUILD,
        SourceKind.NGINX_INGRESS,
        *TRACE_KINDS,
    }
)


@dataclass(frozen=True)
class KindGuess:
    """The primary kind of an input and every kind whose traces it shows."""

    primary: SourceKind
    traits: frozenset[SourceKind]
    json_lines: bool = False

    def admits(self, kinds: frozenset[SourceKind]) -> bool:
        """True when a signature limited to `kinds` applies to this input."""
        return not kinds or bool(kinds & self.traits)


def _share(lines: list[str], pattern: re.Pattern[str]) -> float:
    if not lines:
        return 0.0
    return sum(1 for line in lines if pattern.search(line)) / len(lines)


def _any(pattern: str, flags: int = re.MULTILINE) -> Callable[[str, list[str]], bool]:
    compiled = re.compile(pattern, flags)
    return lambda text, _lines: bool(compiled.search(text))


_GHA_PREFIX = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z ")
_GITLAB_PREFIX = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z \d\d[OE]\+? ")
_SYSLOG_LINE = re.compile(
    r"^(?:[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d|<\d+>1 \S+|\d{4}-\d\d-\d\dT\S+) \S+ [\w./@-]+(?:\[\d+\])?: "
)
_NGINX_ACCESS = re.compile(
    r"^\S+ - \S+ \[\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d [+-]\d{4}\] \"[A-Z]+ \S+ [^\"]*\" \d{3} "
)

_RULES: tuple[tuple[SourceKind, Callable[[str, list[str]], bool]], ...] = (
    (
        SourceKind.KUBECTL_DESCRIBE,
        lambda text, _lines: (
            bool(re.search(r"^Name:\s+\S", text, re.M))
            and bool(re.search(r"^(?:Namespace|Events|Containers|Conditions|Labels):", text, re.M))
        ),
    ),
    (
        SourceKind.KUBECTL_EVENTS,
        _any(
            r"^(?:NAMESPACE\s+)?LAST SEEN\s+TYPE\s+REASON\s+OBJECT|\"kind\":\s*\"(?:EventList|Event)\""
            r"|\"involvedObject\":"
        ),
    ),
    (SourceKind.GITHUB_ACTIONS, lambda text, lines: "##[" in text or _share(lines, _GHA_PREFIX) > 0.5),
    (
        SourceKind.GITLAB_CI,
        lambda text, lines: (
            "Running with gitlab-runner" in text
            or "section_start:" in text
            or _share(lines, _GITLAB_PREFIX) > 0.5
        ),
    ),
    (
        SourceKind.DOCKER_BUILD,
        _any(
            r"^#\d+ \[[^\]]*\d+/\d+\]|^Step \d+/\d+ : |^#\d+ \[internal\]|"
            r"=> \[internal\] load|failed to solve:"
        ),
    ),
    (
        SourceKind.TERRAFORM,
        _any(
            r"Terraform (?:used the selected providers|will perform|has been successfully initialized)|"
            r"^(?:\S+ )?Initializing (?:the backend|provider plugins|modules)\.\.\.|Plan: \d+ to add|"
            r"Apply complete!|^(?:\S+ )?│ Error: |\bterraform (?:init|plan|apply|validate)\b"
        ),
    ),
    (SourceKind.JSONL, lambda _text, lines: _json_share(lines) > 0.6),
    (
        SourceKind.MODEL_SERVER,
        _any(
            r"\bvllm\b|text_generation_(?:launcher|router|server)|tritonserver|\bTriton\b|TorchServe|"
            r"torchserve|\bollama\b|llama_model_loader|llama\.cpp|\bkserve\b|\bKServe\b|model_server",
            re.MULTILINE | re.IGNORECASE,
        ),
    ),
    (
        SourceKind.NGINX_INGRESS,
        lambda text, lines: (
            _share(lines, _NGINX_ACCESS) > 0.3
            or bool(
                re.search(
                    r"\[(?:error|warn|crit)\] \d+#\d+: \*\d+ |NGINX Ingress controller|ingress-nginx", text
                )
            )
        ),
    ),
    (
        SourceKind.SYSLOG,
        lambda text, lines: (
            _share(lines, _SYSLOG_LINE) > 0.5
            or bool(re.search(r"^-- (?:Logs begin at|Journal begins at|Boot [0-9a-f]+ --)", text, re.M))
        ),
    ),
    (SourceKind.PYTHON_TRACEBACK, _any(r"Traceback \(most recent call last\):")),
    (SourceKind.JAVA_STACKTRACE, _any(r"^\s+at [\w$.<>]+\([\w$.]*(?::\d+)?\)|Exception in thread \"")),
    (SourceKind.GO_PANIC, _any(r"^panic: |^goroutine \d+ \[\w+")),
    (
        SourceKind.NODE_STACKTRACE,
        _any(r"^\s+at .+\((?:node:internal/|/.+\.[cm]?js:\d+:\d+\))|^node:internal/"),
    ),
)


def _json_share(lines: list[str]) -> float:
    candidates = [line for line in lines if line.strip()]
    if not candidates:
        return 0.0
    parsed = 0
    for line in candidates[:200]:
        stripped = line.strip()
        if stripped.startswith("{") and stripped.endswith("}"):
            try:
                parsed += isinstance(json.loads(stripped), dict)
            except ValueError:
                continue
    return parsed / min(len(candidates), 200)


def detect_kind(sample: str) -> KindGuess:
    """Guess the kind of an input from the text of its first lines."""
    lines = sample.splitlines()[:400]
    text = "\n".join(lines)
    matched = [kind for kind, rule in _RULES if rule(text, lines)]
    primary = matched[0] if matched else SourceKind.CONTAINER_LOG
    traits = set(matched) | {primary} | TRACE_KINDS
    if primary in _APPLICATION_OUTPUT:
        traits.add(SourceKind.CONTAINER_LOG)
    json_like = primary is SourceKind.JSONL or sample.lstrip().startswith(("{", "["))
    return KindGuess(primary=primary, traits=frozenset(traits), json_lines=json_like)
