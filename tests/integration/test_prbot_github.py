"""Posting a review on a (local, fake) GitHub: sticky comment, inline review, check run, retries, redaction."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest

from assistant.prbot.github import MAX_INLINE, PostError, post_github
from assistant.prbot.plan import MARKER, Annotation, CheckRunPlan, InlineComment, PostPlan
from tests.servers.github_api import (
    Failure,
    FakeGitHub,
    github_api_server,
    rate_limited,
    secondary_limit,
    server_error,
    too_many,
)

SHA = "0123456789abcdef0123456789abcdef01234567"


def make_plan(
    summary: str = "2 findings", inline: int = 2, annotations: int = 2, title: str = "2 findings"
) -> PostPlan:
    """A plan with `inline` comments on app.py lines 10, 11, ... and as many annotations."""
    return PostPlan(
        head_sha=SHA,
        summary=f"{MARKER}\n## shipmate review\n{summary}",
        inline=[InlineComment(path="app.py", line=10 + i, body=f"finding {i}") for i in range(inline)],
        check=CheckRunPlan(
            conclusion="failure",
            title=title,
            summary=summary,
            annotations=[
                Annotation(
                    path="app.py",
                    start_line=10 + i,
                    end_line=10 + i,
                    annotation_level="warning",
                    title=f"rule {i}",
                    message=f"finding {i}",
                )
                for i in range(annotations)
            ],
        ),
    )


@pytest.fixture
def gh() -> Iterator[FakeGitHub]:
    with github_api_server() as server:
        server.diff_lines["app.py"] = set(range(1, 200))
        yield server


def test_first_post_creates_comment_review_and_check_run_with_github_headers(gh: FakeGitHub) -> None:
    gh.add_comment("looks good to me")
    result = post_github(make_plan(), gh.target(), sleep=lambda _: None)

    assert result.comment_action == "created"
    assert result.comment_url.endswith(f"#issuecomment-{gh.issue_comments[-1]['id']}")
    assert (result.inline_posted, result.inline_skipped) == (2, 0)
    assert result.check_run_url.startswith("https://github.test/")
    assert [m for m, _ in gh.writes()] == ["POST", "POST", "POST"]
    review = gh.reviews[0]
    assert review["event"] == "COMMENT"
    assert len(review["comments"]) == 2
    sent = next(r.body for r in gh.requests if r.path.endswith("/reviews"))
    assert sent["commit_id"] == SHA
    assert sent["comments"][0] == {"path": "app.py", "line": 10, "side": "RIGHT", "body": "finding 0"}
    run = gh.check_runs[0]
    assert (run["status"], run["conclusion"], run["head_sha"]) == ("completed", "failure", SHA)
    headers = gh.requests[0].headers
    assert headers["accept"] == "application/vnd.github+json"
    assert headers["x-github-api-version"] == "2022-11-28"
    assert headers["user-agent"] == "shipmate"


def test_second_post_of_the_same_plan_writes_nothing(gh: FakeGitHub) -> None:
    plan = make_plan()
    post_github(plan, gh.target(), sleep=lambda _: None)
    writes_before = len(gh.writes())

    again = post_github(plan, gh.target(), sleep=lambda _: None)

    assert again.comment_action == "unchanged"
    assert (again.inline_posted, again.inline_skipped) == (0, 2)
    assert len(gh.writes()) == writes_before
    assert len(gh.issue_comments) == 1
    assert len(gh.review_comments) == 2
    assert len(gh.check_runs) == 1
    assert any("unchanged" in note for note in again.notes)


def test_a_changed_plan_edits_the_same_comment_and_adds_only_new_inline_comments(gh: FakeGitHub) -> None:
    post_github(make_plan(inline=2), gh.target(), sleep=lambda _: None)
    sticky_id = gh.issue_comments[0]["id"]

    changed = post_github(
        make_plan("3 findings", inline=3, title="3 findings"), gh.target(), sleep=lambda _: None
    )

    assert changed.comment_action == "updated"
    assert ("PATCH", f"/repos/octo/shop/issues/comments/{sticky_id}") in gh.writes()
    assert len(gh.issue_comments) == 1
    assert "3 findings" in gh.issue_comments[0]["body"]
    assert (changed.inline_posted, changed.inline_skipped) == (1, 2)
    assert len(gh.review_comments) == 3
    assert len(gh.check_runs) == 2  # a new run: a run's annotations can only be appended to


def test_pagination_finds_the_sticky_comment_on_page_three(gh: FakeGitHub) -> None:
    gh.max_page_size = 2
    for i in range(4):
        gh.add_comment(f"chatter {i}")
    sticky = gh.add_comment(f"{MARKER}\nold review")
    gh.add_comment("more chatter")

    result = post_github(make_plan(inline=0), gh.target(), sleep=lambda _: None)

    assert result.comment_action == "updated"
    assert ("PATCH", f"/repos/octo/shop/issues/comments/{sticky['id']}") in gh.writes()
    pages = [r.query.get("page", "1") for r in gh.requests if r.path.endswith("/issues/7/comments")]
    assert pages == ["1", "2", "3"]  # stops at the marker, never reads page 4
    assert len(gh.issue_comments) == 6


def test_a_person_quoting_the_review_is_never_overwritten(gh: FakeGitHub) -> None:
    quoted = gh.add_comment(f"> {MARKER}\n> ## shipmate review\nI disagree with this")
    result = post_github(make_plan(inline=0), gh.target(), sleep=lambda _: None)
    assert result.comment_action == "created"
    assert quoted["body"].endswith("I disagree with this")
    assert len(gh.issue_comments) == 2


def test_inline_comments_already_posted_on_a_later_page_are_skipped(gh: FakeGitHub) -> None:
    gh.max_page_size = 1
    post_github(make_plan(inline=3), gh.target(), sleep=lambda _: None)
    again = post_github(make_plan(inline=3), gh.target(), sleep=lambda _: None)
    assert (again.inline_posted, again.inline_skipped) == (0, 3)
    assert len(gh.review_comments) == 3


def test_a_line_outside_the_diff_falls_back_to_single_comments_and_is_skipped(gh: FakeGitHub) -> None:
    gh.diff_lines["app.py"] = {10, 12}
    result = post_github(make_plan(inline=3), gh.target(), sleep=lambda _: None)

    assert (result.inline_posted, result.inline_skipped) == (2, 1)
    assert any("app.py:11" in note for note in result.notes)
    assert sorted(c["line"] for c in gh.review_comments) == [10, 12]
    singles = [r for r in gh.requests if r.method == "POST" and r.path.endswith("/pulls/7/comments")]
    assert len(singles) == 3
    assert all(r.body["commit_id"] == SHA for r in singles)


def test_a_multi_line_comment_sends_start_line_and_side(gh: FakeGitHub) -> None:
    plan = make_plan(inline=0)
    plan.inline.append(InlineComment(path="app.py", line=14, start_line=12, body="block"))
    post_github(plan, gh.target(), sleep=lambda _: None)
    sent = next(r.body for r in gh.requests if r.path.endswith("/reviews"))["comments"][0]
    assert (sent["start_line"], sent["start_side"], sent["line"], sent["side"]) == (12, "RIGHT", 14, "RIGHT")


def test_inline_comments_are_capped(gh: FakeGitHub) -> None:
    result = post_github(make_plan(inline=MAX_INLINE + 5), gh.target(), sleep=lambda _: None)
    assert result.inline_posted == MAX_INLINE
    assert len(gh.review_comments) == MAX_INLINE
    assert any("5 inline comments left out" in note for note in result.notes)


def test_annotations_go_fifty_per_request(gh: FakeGitHub) -> None:
    post_github(make_plan(annotations=120), gh.target(), sleep=lambda _: None)
    run = gh.check_runs[0]
    assert len(gh.annotations(run["id"])) == 120
    patches = [r for r in gh.requests if r.method == "PATCH" and "/check-runs/" in r.path]
    assert [len(r.body["output"]["annotations"]) for r in patches] == [50, 20]


def test_a_token_without_checks_write_is_a_note_not_a_failure(gh: FakeGitHub) -> None:
    gh.checks_forbidden = True
    result = post_github(make_plan(), gh.target(), sleep=lambda _: None)
    assert result.comment_action == "created"
    assert result.inline_posted == 2
    assert result.check_run_url == ""
    assert any("checks: write" in note and "403" in note for note in result.notes)


def test_rate_limits_are_waited_for_then_retried(gh: FakeGitHub) -> None:
    gh.fail(
        rate_limited(reset_in=5, method="GET"),
        secondary_limit(retry_after=3, method="POST"),
        too_many(retry_after=2, method="POST", path_contains="/reviews"),
    )
    waits: list[float] = []
    started = time.monotonic()
    result = post_github(make_plan(), gh.target(), sleep=waits.append)

    assert result.comment_action == "created"
    assert result.inline_posted == 2
    assert len(waits) == 3
    assert 4.0 <= waits[0] <= 7.0  # until x-ratelimit-reset, plus a second of margin
    assert waits[1:] == [3.0, 2.0]
    assert time.monotonic() - started < 5  # recorded, not slept


def test_server_errors_back_off_exponentially_then_give_up(gh: FakeGitHub) -> None:
    gh.fail(server_error(), server_error(502))
    waits: list[float] = []
    post_github(make_plan(), gh.target(), sleep=waits.append)
    assert waits == [1.0, 2.0]

    gh.fail(*[server_error(503, method="GET") for _ in range(3)])
    waits.clear()
    with pytest.raises(
        PostError, match=r"^GitHub API kept failing \(GET /repos/octo/shop/issues/7/comments\): 503"
    ):
        post_github(make_plan(), gh.target(), sleep=waits.append, max_retries=2)
    assert waits == [1.0, 2.0]


def test_a_bad_token_is_one_line_at_once(gh: FakeGitHub) -> None:
    waits: list[float] = []
    with pytest.raises(PostError) as caught:
        post_github(make_plan(), gh.target(token="ghp_wrongTokenWrongTokenWrong0000"), sleep=waits.append)
    assert str(caught.value) == "GitHub refused the token (401): check GITHUB_TOKEN"
    assert waits == []
    assert len(gh.requests) == 1


def test_a_refused_comment_names_the_call(gh: FakeGitHub) -> None:
    gh.repository = "octo/other"  # the target's repository does not exist here
    with pytest.raises(PostError, match=r"refused GET /repos/octo/shop/issues/7/comments: 404 Not Found"):
        post_github(
            make_plan(), gh.target().model_copy(update={"repository": "octo/shop"}), sleep=lambda _: None
        )


def test_an_unreachable_host_is_retried_then_reported() -> None:
    with github_api_server() as gone:
        target = gone.target()
    waits: list[float] = []
    with pytest.raises(PostError, match=r"^GitHub API unreachable \(GET .*\) after 3 attempts: ConnectError"):
        post_github(make_plan(), target, sleep=waits.append, max_retries=2)
    assert waits == [1.0, 2.0]


def test_secrets_are_redacted_in_everything_the_server_receives(gh: FakeGitHub) -> None:
    aws = "AKIAIOSFODNN7EXAMPLE"
    pat = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"
    plan = make_plan(f"the config holds aws_access_key_id = {aws}")
    plan.inline.append(InlineComment(path="app.py", line=20, body=f"token: {pat} is committed"))
    plan.check.annotations[0].message = f"key {aws} in app.py"
    post_github(plan, gh.target(), sleep=lambda _: None)

    received = gh.bodies_text()
    assert aws not in received
    assert pat not in received
    assert received.count("[REDACTED]") >= 4
    assert MARKER in gh.issue_comments[0]["body"]
    assert gh.check_runs[0]["head_sha"] == SHA  # the SHA is not mistaken for a key


def test_a_caller_supplied_client_is_used_and_left_open(gh: FakeGitHub) -> None:
    with httpx.Client(timeout=5) as client:
        post_github(make_plan(), gh.target(), client=client, sleep=lambda _: None)
        assert not client.is_closed


def test_a_write_that_timed_out_is_not_sent_again(gh: FakeGitHub) -> None:
    gh.fail(Failure(201, body={"id": 1}, method="POST", delay=0.5))
    with httpx.Client(timeout=0.1) as client, pytest.raises(PostError, match=r"not retried"):
        post_github(make_plan(), gh.target(), client=client, sleep=lambda _: None)
    assert len(gh.writes()) == 1


def test_a_read_only_token_is_told_what_permission_is_missing(gh: FakeGitHub) -> None:
    gh.fail(Failure(403, body={"message": "Resource not accessible by integration"}, method="POST"))
    with pytest.raises(PostError) as caught:
        post_github(make_plan(), gh.target(), sleep=lambda _: None)
    assert str(caught.value) == (
        "GitHub API refused POST /repos/octo/shop/issues/7/comments: 403 Resource not accessible by integration "
        "(the token needs pull-requests: write; fork pull requests get a read-only token)"
    )
