"""Which webhook events start a review, and which are ignored with a reason."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.server.events import Ignored, PayloadError, parse_event
from assistant.server.models import ReviewJob
from evals.perf.webhook import pull_request_payload


def comment_payload(body: str, association: str = "MEMBER", *, on_pr: bool = True) -> dict[str, Any]:
    issue: dict[str, Any] = {"number": 7}
    if on_pr:
        issue["pull_request"] = {"url": "https://api.github.com/repos/acme/api/pulls/7"}
    return {
        "action": "created",
        "issue": issue,
        "comment": {"body": body, "author_association": association, "user": {"login": "someone"}},
        "repository": {"full_name": "acme/api", "clone_url": "https://github.com/acme/api.git"},
    }


@pytest.mark.parametrize("action", ["opened", "synchronize", "reopened", "ready_for_review"])
def test_pull_request_actions_that_start_a_review(action: str) -> None:
    job = parse_event("pull_request", "d1", pull_request_payload(5, "a" * 40, action=action))
    assert isinstance(job, ReviewJob)
    assert (job.repository, job.pr_number, job.head_sha, job.base_sha) == ("acme/api", 5, "a" * 40, "b" * 40)
    assert (job.base_ref, job.installation_id, job.delivery_id, job.event) == (
        "main",
        42,
        "d1",
        "pull_request",
    )


@pytest.mark.parametrize("action", ["closed", "edited", "labeled", "assigned", None])
def test_other_pull_request_actions_are_ignored(action: str | None) -> None:
    payload = pull_request_payload(5, "a" * 40)
    payload["action"] = action
    result = parse_event("pull_request", "d1", payload)
    assert isinstance(result, Ignored)
    assert "does not start a review" in result.reason


def test_draft_is_ignored_until_ready() -> None:
    payload = pull_request_payload(5, "a" * 40, action="opened")
    payload["pull_request"]["draft"] = True
    assert parse_event("pull_request", "d", payload) == Ignored(
        "draft pull request (reviewed when marked ready)"
    )


@pytest.mark.parametrize("association", ["OWNER", "MEMBER", "COLLABORATOR"])
def test_review_command_from_people_with_write_access(association: str) -> None:
    job = parse_event("issue_comment", "d2", comment_payload("/shipmate review\nplease", association))
    assert isinstance(job, ReviewJob)
    assert (job.pr_number, job.head_sha, job.base_sha, job.event) == (7, None, None, "issue_comment")


@pytest.mark.parametrize(
    "association", ["CONTRIBUTOR", "FIRST_TIME_CONTRIBUTOR", "FIRST_TIMER", "NONE", None]
)
def test_review_command_from_strangers_and_fork_authors_is_ignored(association: str | None) -> None:
    result = parse_event("issue_comment", "d", comment_payload("/shipmate review", str(association)))
    assert isinstance(result, Ignored)
    assert "not an owner, member or collaborator" in result.reason


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("LGTM /shipmate review", "does not start with"),
        ("/shipmate reviewer", "does not start with"),
        ("/shipmate", "does not start with"),
        ("", "does not start with"),
    ],
)
def test_comments_that_are_not_the_command(body: str, reason: str) -> None:
    result = parse_event("issue_comment", "d", comment_payload(body))
    assert isinstance(result, Ignored)
    assert reason in result.reason


def test_comment_on_a_plain_issue_and_edited_comments_are_ignored() -> None:
    assert parse_event("issue_comment", "d", comment_payload("/shipmate review", on_pr=False)) == Ignored(
        "comment on an issue, not a pull request"
    )
    edited = comment_payload("/shipmate review")
    edited["action"] = "edited"
    assert isinstance(parse_event("issue_comment", "d", edited), Ignored)


def test_unhandled_events() -> None:
    assert parse_event("push", "d", {}) == Ignored("event 'push' is not handled")


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        (("pull_request", "number"), "7", "pull_request.number"),
        (("pull_request", "number"), True, "pull_request.number"),
        (("pull_request", "head"), None, "pull_request.head"),
        (("repository",), {}, "repository.full_name"),
    ],
)
def test_malformed_payload_names_the_field(path: tuple[str, ...], value: Any, field: str) -> None:
    payload = pull_request_payload(5, "a" * 40)
    target = payload
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(PayloadError, match=field.replace(".", r"\.")):
        parse_event("pull_request", "d", payload)
