"""Mask secrets in text before it leaves the process (terminal, JSON, PR comment, LLM).

Two layers: the detectors of `detect-secrets` (a maintained library: cloud keys,
tokens, JWTs, private keys, `password=` style keywords) and a few patterns of our
own for shapes it does not cover in free text (passwords inside URLs, bearer
tokens, OpenAI-style keys, PEM blocks split over lines).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

MASK = "[REDACTED]"

# Detectors that flag things which are not secrets in logs (public IPs) or that
# only work on quoted strings of source code (entropy detectors fire on words).
_SKIPPED_DETECTORS = {"IPPublicDetector", "Base64HighEntropyString", "HexHighEntropyString"}

_TOKEN_CHARS = r"A-Za-z0-9_\-+/=.~"
_OWN_PATTERNS: tuple[re.Pattern[str], ...] = (
    # scheme://user:password@host
    re.compile(r"(?<=://)[^/\s:@]+:(?P<secret>[^@\s/]+)(?=@)"),
    # Authorization: Bearer xxx / Basic xxx, token=xxx in headers and query strings
    re.compile(r"(?i)\b(?:bearer|basic|token)\s+(?P<secret>[A-Za-z0-9_\-.=+/]{12,})"),
    # KEY=value / key: value where the key names a credential
    re.compile(
        r"(?i)(?P<key>[\w.-]*(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|"
        r"private[_-]?key|credentials?)[\w.-]*)[\"']?\s*[=:]\s*[\"']?(?P<secret>[^\s\"'&,;<>{}$*]{4,})"
    ),
    # provider key shapes
    re.compile(r"\b(?P<secret>sk-(?:proj-|ant-)?[A-Za-z0-9_\-]{16,})"),
    re.compile(r"\b(?P<secret>(?:ghp|gho|ghu|ghs|ghr|github_pat)_[A-Za-z0-9_]{20,})"),
    re.compile(r"\b(?P<secret>glpat-[A-Za-z0-9_\-]{20,})"),
    re.compile(r"\b(?P<secret>xox[abposr]-[A-Za-z0-9\-]{10,})"),
    re.compile(r"\b(?P<secret>AIza[0-9A-Za-z_\-]{35})"),
    re.compile(r"\b(?P<secret>eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,})"),
    # the body lines of a PEM private key (the BEGIN line itself is harmless)
    re.compile(r"^\s*(?P<secret>[A-Za-z0-9+/]{40,}={0,2})\s*$"),
    re.compile(r"(?P<secret>-----BEGIN [A-Z ]*PRIVATE KEY-----.*?(?:-----END [A-Z ]*PRIVATE KEY-----|$))"),
)


class Redactor:
    """Masks secrets in lines of text; remembers every secret it has seen.

    Secrets seen once are masked everywhere afterwards, so a password quoted in
    an error line is also masked where it appears alone in a later line.
    """

    def __init__(self, extra_secrets: Iterable[str] = ()) -> None:
        self._known: set[str] = {s for s in extra_secrets if len(s) >= 4}

    def learn(self, lines: Iterable[str]) -> None:
        """Remember the secrets these lines hold, to mask them wherever they appear later."""
        for line in lines:
            self._redact_line(line)

    def redact(self, text: str) -> str:
        """Return `text` with every secret replaced by [REDACTED]."""
        if not text:
            return text
        lines = text.split("\n")
        return "\n".join(self._redact_line(line) for line in lines)

    def _redact_line(self, line: str) -> str:
        found = {
            value
            for kind, value in _detect_with_library(line)
            if kind != "Secret Keyword" or not _follows_reference_key(line, value)
        }
        for pattern in _OWN_PATTERNS:
            for match in pattern.finditer(line):
                value = match.group("secret")
                if value and MASK not in value and not _names_a_reference(match):
                    found.add(value)
        found = {
            value
            for value in found
            if not _CODE_REFERENCE.match(value) and value.strip("\"'").lower() not in _PLAIN_SCALARS
        }
        found |= self._more_secrets(line)
        here = {token for value in found for token in _expand_to_tokens(line, value)}
        self._known.update(value for value in here if _worth_remembering(value))
        for secret in sorted(here | self._known, key=len, reverse=True):
            if secret in line:
                line = line.replace(secret, self._mask(secret))
        return line

    def _mask(self, secret: str) -> str:
        """What replaces `secret` (subclasses give each secret its own stable placeholder)."""
        return MASK

    def _more_secrets(self, line: str) -> set[str]:
        """Secrets found by a subclass's extra detectors (none here)."""
        return set()


_TOKEN_RE = re.compile(f"[{_TOKEN_CHARS}]+")


def _expand_to_tokens(line: str, value: str) -> set[str]:
    """Grow a short detected value to the whole token around it (detectors may return a prefix)."""
    if len(value) >= 8:
        return {value}
    return {token.group() for token in _TOKEN_RE.finditer(line) if value in token.group()} or {value}


_FILE_NAME_KEY = re.compile(r"\.(?:txt|ya?ml|json|toml|ini|cfg|conf|pem|crt|key|env|md|log|tf|tfvars)$")
_REFERENCE_KEY_ENDINGS = ("name", "ref", "file", "path", "id", "keys", "type", "length", "expiry", "required")


def _names_a_reference(match: re.Match[str]) -> bool:
    """`SecretName: db-creds` or `token_file=/var/run/...` name a secret; they do not hold one."""
    key = (match.groupdict().get("key") or "").lower()
    # `secrets.yaml: not found` names a file, it does not hold a secret
    return key.endswith(_REFERENCE_KEY_ENDINGS) or bool(_FILE_NAME_KEY.search(key))


# `password = var.db_password`, `${DB_PASSWORD}`, `{{ .Values.password }}`: code that points at a
# secret held elsewhere, not the secret itself
_CODE_REFERENCE = re.compile(
    r"^(?:(?:var|local|module|data|each|self)\.[\w.\[\]\"'*-]+|\$\{[^}]*\}?|\{\{[^}]*(?:\}\})?|\$\([\w-]+\)?)$"
)
# YAML and JSON scalars that no secret is (`automountServiceAccountToken: false`, `password: null`).
_PLAIN_SCALARS = frozenset({"true", "false", "null", "none", "yes", "no", "on", "off", "~", "[]", "{}"})
_REFERENCE_KEY_BEFORE = re.compile(r"(?i)(?:name|ref|file|path|id)[\"']?\s*[=:]\s*[\"']?$")


def _follows_reference_key(line: str, value: str) -> bool:
    position = line.find(value)
    return position > 0 and bool(_REFERENCE_KEY_BEFORE.search(line[:position]))


def _worth_remembering(value: str) -> bool:
    """Only distinctive values are masked wherever they appear later; plain words are not."""
    return len(value) >= 8 and not value.isalpha()


def _detect_with_library(line: str) -> list[tuple[str, str]]:
    values: list[tuple[str, str]] = []
    for plugin in _library_plugins():
        for secret in plugin.analyze_line(filename="input.yaml", line=line, line_number=1, context=None):
            value = getattr(secret, "secret_value", None)
            if value:
                values.append((str(secret.type), str(value)))
    return values


@lru_cache(maxsize=1)
def _library_plugins() -> tuple[Any, ...]:
    from detect_secrets.settings import default_settings, get_plugins

    with default_settings():
        plugins = get_plugins()
    return tuple(p for p in plugins if type(p).__name__ not in _SKIPPED_DETECTORS)
