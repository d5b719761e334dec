"""Post a review plan on a GitHub pull request: one sticky comment, inline comments, a check run.

Posting twice with the same plan writes nothing the second time: the sticky comment is found by
its marker and left alone when identical, inline comments already there are skipped, and a check
run with the same outcome on the head commit is kept. Texts are redacted before they leave.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx

from assistant.prbot.http_retry import HostApi, PostError, describe, holds_marker, new_client, redacted
from assistant.prbot.plan import Annotation, CheckRunPlan, InlineComment, PostPlan, PostResult
from assistant.prbot.targets import GitHubTarget

__all__ = ["MAX_INLINE", "PostError", "post_github"]

MAX_INLINE = 30  # a huge PR gets the first 30 inline comments; the sticky summary lists everything
ANNOTATIONS_PER_REQUEST = 50  # GitHub's limit per check-run request
SUMMARY_LIMIT = 65_535  # GitHub's limit on a check run's output.summary (and on a comment body)
_WRITE_HINT = "the token needs pull-requests: write; fork pull requests get a read-only token"


def post_github(
    plan: PostPlan,
    target: GitHubTarget,
    *,
    client: httpx.Client | None = None,
    max_retries: int = 3,
    sleep: Callable[[float], None] = time.sleep,
) -> PostResult:
    """Post `plan` on the pull request `target`; PostError (one line) when GitHub refuses.

    A check run refused with 403 (a token without checks: write, as on fork PRs) becomes a note.
    """
    own_client = client is None
    http = client or new_client()
    api = HostApi(
        client=http,
        base_url=target.api_url,
        headers={
            "Authorization": f"Bearer {target.token.get_secret_value()}",
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": "2022-11-28",
            "User-Agent": "shipmate",
        },
        host="GitHub",
        token_hint="GITHUB_TOKEN",
        max_retries=max_retries,
        sleep=sleep,
    )
    safe = redacted(plan)
    repo = f"/repos/{target.repository}"
    try:
        result = _post_summary(api, safe, f"{repo}/issues/{target.pr_number}")
        _post_inline(api, safe, f"{repo}/pulls/{target.pr_number}", result)
        _post_check_run(api, safe.head_sha, safe.check, repo, result)
    finally:
        if own_client:
            http.close()
    return result


def _post_summary(api: HostApi, plan: PostPlan, issue: str) -> PostResult:
    body = _truncated(plan.summary if plan.marker in plan.summary else f"{plan.marker}\n{plan.summary}")
    sticky = next(
        (c for c in api.paginate(f"{issue}/comments") if holds_marker(c.get("body"), plan.marker)), None
    )
    if sticky is None:
        answer = api.request("POST", f"{issue}/comments", json={"body": body})
        created = api.expect(answer, 201, on_403=_WRITE_HINT)
        return PostResult(host="github", comment_action="created", comment_url=_html_url(created))
    if _same_text(str(sticky.get("body")), body):
        return PostResult(host="github", comment_action="unchanged", comment_url=_html_url(sticky))
    repo = issue.rsplit("/issues/", 1)[0]
    path = f"{repo}/issues/comments/{sticky['id']}"
    updated = api.expect(api.request("PATCH", path, json={"body": body}), 200, on_403=_WRITE_HINT)
    return PostResult(host="github", comment_action="updated", comment_url=_html_url(updated))


def _post_inline(api: HostApi, plan: PostPlan, pull: str, result: PostResult) -> None:
    planned = list(dict.fromkeys(_key(c) for c in plan.inline))  # same comment planned twice: once
    if len(planned) > MAX_INLINE:
        result.notes.append(
            f"{len(planned) - MAX_INLINE} inline comments left out (at most {MAX_INLINE} per post); "
            "the summary comment lists every finding"
        )
        planned = planned[:MAX_INLINE]
    if not planned:
        return
    existing = {
        (str(c.get("path")), c.get("line"), _normal(str(c.get("body"))))
        for c in api.paginate(f"{pull}/comments")
    }
    by_key = {_key(c): c for c in plan.inline}
    todo = [by_key[k] for k in planned if (k[0], k[1], _normal(k[2])) not in existing]
    result.inline_skipped += len(planned) - len(todo)
    if not todo:
        return
    review = {
        "commit_id": plan.head_sha,
        "event": "COMMENT",
        "body": f"shipmate: {len(todo)} inline comment(s) on {plan.head_sha[:12]}",
        "comments": [_review_comment(c) for c in todo],
    }
    response = api.request("POST", f"{pull}/reviews", json=review)
    if response.status_code != 422:
        api.expect(response, 200, 201, on_403=_WRITE_HINT)
        result.inline_posted += len(todo)
        return
    # 422: a line is not in the diff (or the head moved); post one by one and skip the refused ones
    refused: list[str] = []
    for comment in todo:
        single = {"commit_id": plan.head_sha, **_review_comment(comment)}
        answer = api.request("POST", f"{pull}/comments", json=single)
        if answer.status_code == 422:
            refused.append(f"{comment.path}:{comment.line}")
            continue
        api.expect(answer, 201)
        result.inline_posted += 1
    if refused:
        result.inline_skipped += len(refused)
        result.notes.append(f"inline comments not on a line of the diff, left out: {', '.join(refused)}")


def _post_check_run(api: HostApi, head_sha: str, check: CheckRunPlan, repo: str, result: PostResult) -> None:
    summary = _truncated(check.summary)
    output = {"title": check.title, "summary": summary}
    listed = api.request(
        "GET", f"{repo}/commits/{head_sha}/check-runs", params={"check_name": check.name, "filter": "latest"}
    )
    if listed.status_code == 200:
        for run in listed.json().get("check_runs", []):
            if _same_run(run, check, summary):
                result.check_run_url = str(run.get("html_url") or "")
                result.notes.append(f"check run {check.name!r} unchanged")
                return
    batches = [
        check.annotations[i : i + ANNOTATIONS_PER_REQUEST]
        for i in range(0, len(check.annotations), ANNOTATIONS_PER_REQUEST)
    ] or [[]]
    body = {
        "name": check.name,
        "head_sha": head_sha,
        "status": "completed",
        "conclusion": check.conclusion,
        "output": {**output, "annotations": _annotations(batches[0])},
    }
    response = api.request("POST", f"{repo}/check-runs", json=body)
    if response.status_code == 403:
        result.notes.append(
            f"check run not created: {describe(response)} (check runs need a GitHub App token with "
            "checks: write, such as Actions' GITHUB_TOKEN; fork pull requests get a read-only one)"
        )
        return
    run = api.expect(response, 201)
    result.check_run_url = str(run.get("html_url") or "")
    for batch in batches[1:]:  # each PATCH appends its annotations to the run's
        patch = {"output": {**output, "annotations": _annotations(batch)}}
        api.expect(api.request("PATCH", f"{repo}/check-runs/{run['id']}", json=patch), 200)


def _same_run(run: dict[str, Any], check: CheckRunPlan, summary: str) -> bool:
    output = run.get("output") or {}
    return (
        run.get("status") == "completed"
        and run.get("conclusion") == check.conclusion
        and output.get("title") == check.title
        and _same_text(str(output.get("summary")), summary)
        and output.get("annotations_count") == len(check.annotations)
    )


def _review_comment(comment: InlineComment) -> dict[str, Any]:
    made: dict[str, Any] = {"path": comment.path, "line": comment.line, "side": "RIGHT", "body": comment.body}
    if comment.start_line is not None and comment.start_line < comment.line:
        made |= {"start_line": comment.start_line, "start_side": "RIGHT"}
    return made


def _annotations(batch: list[Annotation]) -> list[dict[str, Any]]:
    return [a.model_dump() for a in batch]


def _key(comment: InlineComment) -> tuple[str, int, str]:
    return (comment.path, comment.line, comment.body)


def _normal(text: str) -> str:
    return text.replace("\r\n", "\n").strip()


def _same_text(posted: str, planned: str) -> bool:
    return _normal(posted) == _normal(planned)


def _truncated(text: str) -> str:
    if len(text) <= SUMMARY_LIMIT:
        return text
    tail = "\n\n… (truncated: the full report is in the job's output)"
    return text[: SUMMARY_LIMIT - len(tail)] + tail


def _html_url(item: Any) -> str:
    return str(item.get("html_url") or "") if isinstance(item, dict) else ""
