"""Where a review is posted: a GitHub pull request or a GitLab merge request, read from CI variables."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr

from tools.errors import InputError

_REPOSITORY = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")


class GitHubTarget(BaseModel):
    """A pull request on GitHub (or GitHub Enterprise, through `api_url`)."""

    api_url: str = "https://api.github.com"
    repository: str = Field(description="owner/name")
    pr_number: int = Field(ge=1)
    token: SecretStr


class GitLabTarget(BaseModel):
    """A merge request on GitLab; `project_id` is the numeric id or the "group/name" path."""

    api_url: str = "https://gitlab.com/api/v4"
    project_id: str
    mr_iid: int = Field(ge=1)
    token: SecretStr
    token_kind: Literal["private", "job"] = Field(
        default="private", description="private: PRIVATE-TOKEN header (GITLAB_TOKEN); job: JOB-TOKEN."
    )


def github_target_from_env(environ: Mapping[str, str], pr_number: int | None = None) -> GitHubTarget:
    """The pull request to post on, from GitHub Actions variables; InputError naming what is missing.

    The PR number comes from `pr_number`, else from the event payload at GITHUB_EVENT_PATH
    (`pull_request.number`, or `issue.number` for a comment on a PR).
    """
    token = _required(environ, "GITHUB_TOKEN")
    repository = _required(environ, "GITHUB_REPOSITORY")
    if not _REPOSITORY.match(repository):
        raise InputError("GITHUB_REPOSITORY", f"expected owner/name, got {repository!r}")
    api_url = environ.get("GITHUB_API_URL", "").strip() or "https://api.github.com"
    _check_url("GITHUB_API_URL", api_url)
    number = pr_number if pr_number is not None else _pr_number_from_event(environ)
    if number < 1:
        raise InputError("--pr", f"a pull request number is at least 1, got {number}")
    return GitHubTarget(api_url=api_url, repository=repository, pr_number=number, token=SecretStr(token))


def gitlab_target_from_env(environ: Mapping[str, str], mr_iid: int | None = None) -> GitLabTarget:
    """The merge request to post on, from GitLab CI variables; InputError naming what is missing.

    GITLAB_TOKEN (sent as PRIVATE-TOKEN) is preferred over CI_JOB_TOKEN (sent as JOB-TOKEN).
    """
    token = environ.get("GITLAB_TOKEN", "").strip()
    kind: Literal["private", "job"] = "private"
    if not token:
        token = environ.get("CI_JOB_TOKEN", "").strip()
        kind = "job"
    if not token:
        raise InputError("GITLAB_TOKEN", "not set (nor CI_JOB_TOKEN): a token is needed to post the note")
    api_url = environ.get("CI_API_V4_URL", "").strip() or "https://gitlab.com/api/v4"
    _check_url("CI_API_V4_URL", api_url)
    project = _required(environ, "CI_PROJECT_ID")
    if mr_iid is None:
        raw = _required(environ, "CI_MERGE_REQUEST_IID")
        if not raw.isdigit():
            raise InputError("CI_MERGE_REQUEST_IID", f"expected a number, got {raw!r}")
        mr_iid = int(raw)
    if mr_iid < 1:
        raise InputError("--pr", f"a merge request iid is at least 1, got {mr_iid}")
    return GitLabTarget(
        api_url=api_url, project_id=project, mr_iid=mr_iid, token=SecretStr(token), token_kind=kind
    )


def _required(environ: Mapping[str, str], name: str) -> str:
    value = environ.get(name, "").strip()
    if not value:
        raise InputError(name, "not set: it is needed to post the review")
    return value


def _check_url(name: str, url: str) -> None:
    if not url.startswith(("https://", "http://")):
        raise InputError(name, f"expected an http(s) URL, got {url!r}")


def _pr_number_from_event(environ: Mapping[str, str]) -> int:
    path = environ.get("GITHUB_EVENT_PATH", "").strip()
    if not path:
        raise InputError("--pr", "no pull request number: pass --pr N or set GITHUB_EVENT_PATH")
    try:
        event = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise InputError("GITHUB_EVENT_PATH", f"cannot read {path}: {error.strerror}") from None
    except ValueError:
        raise InputError("GITHUB_EVENT_PATH", f"{path} is not JSON") from None
    for key in ("pull_request", "issue"):
        holder = event.get(key) if isinstance(event, dict) else None
        if not isinstance(holder, dict):
            continue
        number = holder.get("number")
        if isinstance(number, int) and not isinstance(number, bool):
            if key == "issue" and "pull_request" not in holder:
                raise InputError("GITHUB_EVENT_PATH", f"issue #{number} is not a pull request")
            return number
    raise InputError("GITHUB_EVENT_PATH", f"{path} holds no pull_request.number or issue.number: pass --pr N")
