"""Post a review plan on a GitLab merge request: one sticky note, found again by its marker.

GitLab gets the summary only (no inline discussions, no check run): the note is created once,
edited in place when the review changes and left alone when it has not. Text is redacted first.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import quote

import httpx

from assistant.prbot.http_retry import HostApi, PostError, holds_marker, new_client, redacted
from assistant.prbot.plan import PostPlan, PostResult
from assistant.prbot.targets import GitLabTarget

__all__ = ["PostError", "post_gitlab"]

NOTE_LIMIT = 1_000_000  # GitLab's limit on a note body
_JOB_TOKEN_HINT = "job tokens cannot reach merge request notes on most GitLab versions: set GITLAB_TOKEN"


def post_gitlab(
    plan: PostPlan,
    target: GitLabTarget,
    *,
    client: httpx.Client | None = None,
    max_retries: int = 3,
    sleep: Callable[[float], None] = time.sleep,
) -> PostResult:
    """Post `plan`'s summary as the merge request's sticky note; PostError (one line) when GitLab refuses."""
    own_client = client is None
    http = client or new_client()
    token = target.token.get_secret_value()
    header = "PRIVATE-TOKEN" if target.token_kind == "private" else "JOB-TOKEN"
    api = HostApi(
        client=http,
        base_url=target.api_url,
        headers={header: token, "Accept": "application/json", "User-Agent": "shipmate"},
        host="GitLab",
        token_hint="GITLAB_TOKEN" if target.token_kind == "private" else f"CI_JOB_TOKEN ({_JOB_TOKEN_HINT})",
        max_retries=max_retries,
        sleep=sleep,
    )
    safe = redacted(plan)
    mr = f"/projects/{quote(target.project_id, safe='')}/merge_requests/{target.mr_iid}"
    try:
        result = _post_note(api, safe, mr)
    except PostError as error:
        if target.token_kind == "job" and "CI_JOB_TOKEN" not in str(error):
            raise PostError(f"{error} (with CI_JOB_TOKEN: {_JOB_TOKEN_HINT})") from None
        raise
    finally:
        if own_client:
            http.close()
    if safe.inline:
        result.notes.append(
            f"{len(safe.inline)} inline comments not posted: on GitLab the note holds the whole review"
        )
    return result


def _post_note(api: HostApi, plan: PostPlan, mr: str) -> PostResult:
    merge_request = api.expect(api.request("GET", mr), 200)
    web_url = str(merge_request.get("web_url") or "") if isinstance(merge_request, dict) else ""
    body = plan.summary if plan.marker in plan.summary else f"{plan.marker}\n{plan.summary}"
    body = body[:NOTE_LIMIT]
    notes = api.paginate(f"{mr}/notes", {"sort": "asc", "order_by": "created_at"})
    sticky = next(
        (n for n in notes if not n.get("system") and holds_marker(n.get("body"), plan.marker)),
        None,
    )
    if sticky is None:
        created = api.expect(api.request("POST", f"{mr}/notes", json={"body": body}), 201)
        return PostResult(host="gitlab", comment_action="created", comment_url=_note_url(web_url, created))
    if _normal(str(sticky.get("body"))) == _normal(body):
        return PostResult(host="gitlab", comment_action="unchanged", comment_url=_note_url(web_url, sticky))
    updated = api.expect(api.request("PUT", f"{mr}/notes/{sticky['id']}", json={"body": body}), 200)
    return PostResult(host="gitlab", comment_action="updated", comment_url=_note_url(web_url, updated))


def _note_url(web_url: str, note: object) -> str:
    if not web_url or not isinstance(note, dict) or "id" not in note:
        return web_url
    return f"{web_url}#note_{note['id']}"


def _normal(text: str) -> str:
    return text.replace("\r\n", "\n").strip()
