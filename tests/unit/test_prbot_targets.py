"""Reading the post target from CI variables: GitHub Actions and GitLab CI, with clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.prbot.targets import github_target_from_env, gitlab_target_from_env
from tools.errors import InputError

GITHUB = {"GITHUB_TOKEN": "ghs_token", "GITHUB_REPOSITORY": "octo/shop"}


def _event(tmp_path: Path, payload: object) -> str:
    path = tmp_path / "event.json"
    path.write_text(json.dumps(payload), encoding="utf-8")
    return str(path)


def test_github_target_reads_the_pr_number_from_the_pull_request_event(tmp_path: Path) -> None:
    env = {**GITHUB, "GITHUB_EVENT_PATH": _event(tmp_path, {"pull_request": {"number": 12}})}
    target = github_target_from_env(env)
    assert (target.api_url, target.repository, target.pr_number) == (
        "https://api.github.com",
        "octo/shop",
        12,
    )
    assert target.token.get_secret_value() == "ghs_token"
    assert "ghs_token" not in repr(target)


def test_github_target_reads_an_issue_comment_event_on_a_pr(tmp_path: Path) -> None:
    payload = {"issue": {"number": 3, "pull_request": {"url": "..."}}}
    env = {
        **GITHUB,
        "GITHUB_EVENT_PATH": _event(tmp_path, payload),
        "GITHUB_API_URL": "https://ghe.test/api/v3",
    }
    target = github_target_from_env(env)
    assert (target.pr_number, target.api_url) == (3, "https://ghe.test/api/v3")


def test_an_explicit_pr_number_wins_over_the_event() -> None:
    assert github_target_from_env(GITHUB, pr_number=9).pr_number == 9


@pytest.mark.parametrize(
    ("env", "pr", "subject", "words"),
    [
        ({"GITHUB_REPOSITORY": "octo/shop"}, 1, "GITHUB_TOKEN", "not set"),
        ({"GITHUB_TOKEN": "t"}, 1, "GITHUB_REPOSITORY", "not set"),
        ({**GITHUB, "GITHUB_REPOSITORY": "shop"}, 1, "GITHUB_REPOSITORY", "owner/name"),
        ({**GITHUB, "GITHUB_API_URL": "api.github.com"}, 1, "GITHUB_API_URL", "http(s) URL"),
        (GITHUB, None, "--pr", "pass --pr N"),
        (GITHUB, 0, "--pr", "at least 1"),
    ],
)
def test_github_target_errors_name_the_variable(
    env: dict[str, str], pr: int | None, subject: str, words: str
) -> None:
    with pytest.raises(InputError) as caught:
        github_target_from_env(env, pr_number=pr)
    assert caught.value.subject == subject
    assert words in caught.value.problem


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("{not json", "is not JSON"),
        (json.dumps({"push": {}}), "no pull_request.number"),
        (json.dumps({"issue": {"number": 4}}), "issue #4 is not a pull request"),
        (json.dumps(["a list"]), "no pull_request.number"),
    ],
)
def test_a_bad_event_file_is_named(tmp_path: Path, content: str, words: str) -> None:
    path = tmp_path / "event.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match="GITHUB_EVENT_PATH") as caught:
        github_target_from_env({**GITHUB, "GITHUB_EVENT_PATH": str(path)})
    assert words in caught.value.problem


def test_a_missing_event_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"GITHUB_EVENT_PATH: cannot read .*gone\.json"):
        github_target_from_env({**GITHUB, "GITHUB_EVENT_PATH": str(tmp_path / "gone.json")})


GITLAB = {
    "CI_API_V4_URL": "https://gitlab.example/api/v4",
    "CI_PROJECT_ID": "42",
    "CI_MERGE_REQUEST_IID": "5",
}


def test_gitlab_prefers_a_private_token_over_the_job_token() -> None:
    target = gitlab_target_from_env({**GITLAB, "GITLAB_TOKEN": "glpat-x", "CI_JOB_TOKEN": "job"})
    assert (target.token_kind, target.token.get_secret_value()) == ("private", "glpat-x")
    assert (target.api_url, target.project_id, target.mr_iid) == ("https://gitlab.example/api/v4", "42", 5)


def test_gitlab_falls_back_to_the_job_token() -> None:
    target = gitlab_target_from_env({**GITLAB, "CI_JOB_TOKEN": "job"}, mr_iid=8)
    assert (target.token_kind, target.mr_iid) == ("job", 8)


@pytest.mark.parametrize(
    ("env", "subject"),
    [
        (GITLAB, "GITLAB_TOKEN"),
        ({**GITLAB, "GITLAB_TOKEN": "t", "CI_PROJECT_ID": ""}, "CI_PROJECT_ID"),
        ({"GITLAB_TOKEN": "t", "CI_PROJECT_ID": "42"}, "CI_MERGE_REQUEST_IID"),
        ({**GITLAB, "GITLAB_TOKEN": "t", "CI_MERGE_REQUEST_IID": "five"}, "CI_MERGE_REQUEST_IID"),
        ({**GITLAB, "GITLAB_TOKEN": "t", "CI_API_V4_URL": "gitlab.example"}, "CI_API_V4_URL"),
    ],
)
def test_gitlab_target_errors_name_the_variable(env: dict[str, str], subject: str) -> None:
    with pytest.raises(InputError) as caught:
        gitlab_target_from_env(env)
    assert caught.value.subject == subject
