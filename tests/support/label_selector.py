"""Kubernetes label selectors (`app=web,tier!=cache,env in (prod,staging),!legacy`), as the API parses them."""

from __future__ import annotations

import re
from dataclasses import dataclass

_SET = re.compile(r"^([A-Za-z0-9./_-]+)\s+(in|notin)\s+\(([^)]*)\)$")
_EQ = re.compile(r"^([A-Za-z0-9./_-]+)\s*(==|=|!=)\s*([A-Za-z0-9._-]*)$")
_KEY = re.compile(r"^(!?)([A-Za-z0-9./_-]+)$")


@dataclass(frozen=True)
class Requirement:
    """One term: key, operator (=, !=, in, notin, exists, !exists) and its values."""

    key: str
    op: str
    values: tuple[str, ...] = ()

    def matches(self, labels: dict[str, str]) -> bool:
        """True when the labels satisfy the term."""
        value = labels.get(self.key)
        if self.op == "exists":
            return self.key in labels
        if self.op == "!exists":
            return self.key not in labels
        if self.op in ("=", "in"):
            return value is not None and value in self.values
        return value is None or value not in self.values  # != and notin match objects without the key


def _terms(selector: str) -> list[str]:
    """Split on commas outside parentheses."""
    terms, depth, current = [], 0, ""
    for char in selector:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            terms.append(current)
            current = ""
        else:
            current += char
    terms.append(current)
    return [t.strip() for t in terms if t.strip()]


def parse_selector(selector: str) -> list[Requirement]:
    """The requirements of a selector; ValueError with the API's wording when it does not parse."""
    result: list[Requirement] = []
    for term in _terms(selector):
        if m := _SET.match(term):
            values = tuple(v.strip() for v in m.group(3).split(",") if v.strip())
            result.append(Requirement(m.group(1), m.group(2), values))
        elif m := _EQ.match(term):
            result.append(Requirement(m.group(1), "!=" if m.group(2) == "!=" else "=", (m.group(3),)))
        elif m := _KEY.match(term):
            result.append(Requirement(m.group(2), "!exists" if m.group(1) else "exists"))
        else:
            raise ValueError(f"unable to parse requirement: found '{term}', expected: identifier")
    return result


def matches(requirements: list[Requirement], labels: dict[str, str]) -> bool:
    """True when every requirement holds (an empty selector matches everything)."""
    return all(r.matches(labels) for r in requirements)
