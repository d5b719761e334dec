"""GitHub webhook payloads turned into review jobs, or a reason to ignore them.

Only two events start work: a pull request opened, pushed to, reopened or marked ready, and a
"/shipmate review" comment on a pull request by someone with write access to the repository
(OWNER, MEMBER, COLLABORATOR). Strangers and forks cannot trigger a review with a comment.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from assistant.server.models import ReviewJob

PR_ACTIONS = frozenset({"opened", "synchronize", "reopened", "ready_for_review"})
TRUSTED_ASSOCIATIONS = frozenset({"OWNER", "MEMBER", "COLLABORATOR"})
COMMAND = "/shipmate review"

T = TypeVar("T")


@dataclass(frozen=True)
class Ignored:
    """A verified delivery that asks for no work, and why."""

    reason: str


class PayloadError(ValueError):
    """The payload lacks a field the event must have (one line, names the field)."""


def repository_of(payload: dict[str, Any]) -> str | None:
    """owner/name of the delivery's repository, or None when the payload has none."""
    repository = payload.get("repository")
    if isinstance(repository, dict):
        name = repository.get("full_name")
        if isinstance(name, str) and "/" in name:
            return name
    return None


def parse_event(event: str, delivery_id: str, payload: dict[str, Any]) -> ReviewJob | Ignored:
    """The job a delivery asks for, or Ignored; PayloadError when a needed field is missing."""
    if event == "pull_request":
        return _pull_request(delivery_id, payload)
    if event == "issue_comment":
        return _issue_comment(delivery_id, payload)
    return Ignored(f"event {event!r} is not handled")


def _pull_request(delivery_id: str, payload: dict[str, Any]) -> ReviewJob | Ignored:
    action = payload.get("action")
    if action not in PR_ACTIONS:
        return Ignored(f"pull_request action {action!r} does not start a review")
    pr = _field(payload, "pull_request", dict)
    if pr.get("draft") is True:
        return Ignored("draft pull request (reviewed when marked ready)")
    base = _field(pr, "base", dict, "pull_request.base")
    head = _field(pr, "head", dict, "pull_request.head")
    return ReviewJob(
        delivery_id=delivery_id,
        event="pull_request",
        repository=_repository(payload),
        pr_number=_field(pr, "number", int, "pull_request.number"),
        base_sha=_field(base, "sha", str, "pull_request.base.sha"),
        head_sha=_field(head, "sha", str, "pull_request.head.sha"),
        base_ref=base.get("ref") if isinstance(base.get("ref"), str) else None,
        clone_url=_clone_url(payload),
        installation_id=_installation(payload),
    )


def _issue_comment(delivery_id: str, payload: dict[str, Any]) -> ReviewJob | Ignored:
    if payload.get("action") != "created":
        return Ignored(f"issue_comment action {payload.get('action')!r} does not start a review")
    issue = _field(payload, "issue", dict)
    if not isinstance(issue.get("pull_request"), dict):
        return Ignored("comment on an issue, not a pull request")
    comment = _field(payload, "comment", dict)
    body = comment.get("body")
    words = body.strip().split() if isinstance(body, str) else []
    if words[:2] != COMMAND.split():
        return Ignored(f"comment does not start with {COMMAND!r}")
    association = comment.get("author_association")
    if association not in TRUSTED_ASSOCIATIONS:
        return Ignored(f"comment author is {association!r}, not an owner, member or collaborator")
    return ReviewJob(
        delivery_id=delivery_id,
        event="issue_comment",
        repository=_repository(payload),
        pr_number=_field(issue, "number", int, "issue.number"),
        clone_url=_clone_url(payload),
        installation_id=_installation(payload),
    )


def _field(container: dict[str, Any], key: str, kind: type[T], name: str | None = None) -> T:
    value = container.get(key)
    # bool is an int in Python: a JSON true must not pass as a number.
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise PayloadError(f"payload field {name or key} is missing or not a {kind.__name__}")
    return value


def _repository(payload: dict[str, Any]) -> str:
    name = repository_of(payload)
    if name is None:
        raise PayloadError("payload field repository.full_name is missing")
    return name


def _clone_url(payload: dict[str, Any]) -> str:
    url = payload.get("repository", {}).get("clone_url")
    return url if isinstance(url, str) else ""


def _installation(payload: dict[str, Any]) -> int | None:
    installation = payload.get("installation")
    if isinstance(installation, dict) and isinstance(installation.get("id"), int):
        return int(installation["id"])
    return None
