"""Posting a review on a (local, fake) GitLab: the sticky merge request note, retries, tokens, redaction."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assistant.prbot.gitlab import PostError, post_gitlab
from assistant.prbot.plan import MARKER, CheckRunPlan, InlineComment, PostPlan
from tests.servers.github_api import Failure, server_error
from tests.servers.gitlab_api import MR_IID, FakeGitLab, gitlab_api_server, too_many

SHA = "0123456789abcdef0123456789abcdef01234567"
NOTES = f"/api/v4/projects/42/merge_requests/{MR_IID}/notes"


def make_plan(summary: str = "2 findings", inline: int = 0) -> PostPlan:
    return PostPlan(
        head_sha=SHA,
        summary=f"{MARKER}\n## shipmate review\n{summary}",
        inline=[InlineComment(path="app.py", line=10 + i, body=f"finding {i}") for i in range(inline)],
        check=CheckRunPlan(conclusion="failure", title=summary, summary=summary),
    )


@pytest.fixture
def gl() -> Iterator[FakeGitLab]:
    with gitlab_api_server() as server:
        yield server


def test_first_post_creates_the_note_with_a_private_token(gl: FakeGitLab) -> None:
    gl.add_note("assigned to @dev", system=True)
    result = post_gitlab(make_plan(), gl.target(), sleep=lambda _: None)

    assert result.host == "gitlab"
    assert result.comment_action == "created"
    assert gl.writes() == [("POST", NOTES)]
    assert (
        result.comment_url
        == f"https://gitlab.test/group/shop/-/merge_requests/{MR_IID}#note_{gl.notes[-1]['id']}"
    )
    assert gl.requests[0].headers["private-token"] == gl.token
    assert "authorization" not in gl.requests[0].headers


def test_second_post_is_unchanged_and_a_changed_plan_edits_the_same_note(gl: FakeGitLab) -> None:
    post_gitlab(make_plan(), gl.target(), sleep=lambda _: None)
    note_id = gl.notes[0]["id"]

    again = post_gitlab(make_plan(), gl.target(), sleep=lambda _: None)
    assert again.comment_action == "unchanged"
    assert gl.writes() == [("POST", NOTES)]

    changed = post_gitlab(make_plan("1 finding"), gl.target(), sleep=lambda _: None)
    assert changed.comment_action == "updated"
    assert gl.writes()[-1] == ("PUT", f"{NOTES}/{note_id}")
    assert len(gl.notes) == 1
    assert "1 finding" in gl.notes[0]["body"]


def test_pagination_finds_the_note_on_page_three_by_project_path(gl: FakeGitLab) -> None:
    gl.max_page_size = 2
    for i in range(4):
        gl.add_note(f"chatter {i}")
    sticky = gl.add_note(f"{MARKER}\nold review")

    result = post_gitlab(make_plan(), gl.target(project="group/shop"), sleep=lambda _: None)

    assert result.comment_action == "updated"
    assert gl.writes() == [
        ("PUT", f"/api/v4/projects/group%2Fshop/merge_requests/{MR_IID}/notes/{sticky['id']}")
    ]
    pages = [r.query.get("page", "1") for r in gl.requests if r.path.endswith("/notes")]
    assert pages == ["1", "2", "3"]


def test_a_job_token_goes_in_the_job_token_header(gl: FakeGitLab) -> None:
    gl.token_header = "job-token"
    result = post_gitlab(make_plan(), gl.target(kind="job"), sleep=lambda _: None)
    assert result.comment_action == "created"
    assert "private-token" not in gl.requests[0].headers


def test_inline_comments_are_a_note_on_gitlab(gl: FakeGitLab) -> None:
    result = post_gitlab(make_plan(inline=3), gl.target(), sleep=lambda _: None)
    assert (result.inline_posted, result.inline_skipped) == (0, 0)
    assert any("3 inline comments not posted" in note for note in result.notes)


def test_429_and_5xx_are_retried_with_recorded_waits(gl: FakeGitLab) -> None:
    gl.fail(too_many(retry_after=2, method="GET"), server_error(502, method="POST"))
    waits: list[float] = []
    result = post_gitlab(make_plan(), gl.target(), sleep=waits.append)
    assert result.comment_action == "created"
    assert waits == [2.0, 1.0]


def test_a_bad_token_is_one_line_naming_the_variable(gl: FakeGitLab) -> None:
    with pytest.raises(PostError) as caught:
        post_gitlab(make_plan(), gl.target(token="glpat-wrongwrongwrongwrong00"), sleep=lambda _: None)
    assert str(caught.value) == "GitLab refused the token (401): check GITLAB_TOKEN"

    with pytest.raises(PostError, match=r"check CI_JOB_TOKEN \(job tokens cannot .* set GITLAB_TOKEN\)$"):
        post_gitlab(make_plan(), gl.target(kind="job"), sleep=lambda _: None)


def test_a_job_token_refused_by_the_merge_request_api_suggests_gitlab_token(gl: FakeGitLab) -> None:
    gl.token_header = "job-token"
    gl.fail(Failure(404, body={"message": "404 Not found"}, method="GET"))
    with pytest.raises(PostError, match=r"404 Not found \(with CI_JOB_TOKEN: .*set GITLAB_TOKEN\)$"):
        post_gitlab(make_plan(), gl.target(kind="job"), sleep=lambda _: None)


def test_an_unknown_merge_request_is_named(gl: FakeGitLab) -> None:
    with pytest.raises(PostError, match=r"refused GET /api/v4/projects/7/merge_requests/5: 404 Not found"):
        post_gitlab(make_plan(), gl.target(project="7"), sleep=lambda _: None)


def test_secrets_are_redacted_in_the_note(gl: FakeGitLab) -> None:
    token = "glpat-" + "Zx9Yw8Vu7Ts6Rq5Po4Nm"
    post_gitlab(make_plan(f"CI prints GITLAB_TOKEN={token}"), gl.target(), sleep=lambda _: None)
    assert token not in gl.bodies_text()
    assert "[REDACTED]" in gl.notes[0]["body"]
