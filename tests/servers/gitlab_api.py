"""A local HTTP server that fakes the GitLab REST (v4) endpoints shipmate posts to, with in-memory state.

Endpoints: one merge request (get) and its notes (list, create, edit). The project is addressed
by its numeric id or its URL-encoded path. Notes are paginated with Link and X-Next-Page headers
(`per_page` honoured up to `max_page_size`). Tokens are checked in PRIVATE-TOKEN or JOB-TOKEN
(whichever `token_header` says); failures can be queued as with the GitHub fake.

    with gitlab_api_server() as gl:
        gl.fail(too_many(retry_after=2))
        post_gitlab(plan, gl.target(), sleep=waits.append)
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import unquote, urlencode

from pydantic import SecretStr

from assistant.prbot.targets import GitLabTarget
from tests.servers.github_api import Failure, Recorded, serve

TOKEN = "glpat-localTestToken0123456789"
PROJECT_ID = "42"
PROJECT_PATH = "group/shop"
MR_IID = 5


@dataclass
class FakeGitLab:
    """State of the fake, readable and adjustable by a test."""

    base_url: str = ""
    token: str = TOKEN
    token_header: str = "private-token"  # or "job-token"
    max_page_size: int = 100
    notes: list[dict[str, Any]] = field(default_factory=list)
    requests: list[Recorded] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    _next_id: int = 500

    def target(
        self, project: str = PROJECT_ID, token: str | None = None, kind: Literal["private", "job"] = "private"
    ) -> GitLabTarget:
        """A target pointing at this server."""
        return GitLabTarget(
            api_url=f"{self.base_url}/api/v4",
            project_id=project,
            mr_iid=MR_IID,
            token=SecretStr(token or self.token),
            token_kind=kind,
        )

    def fail(self, *failures: Failure) -> None:
        """Queue failures; each is served once, to the first request it matches."""
        self.failures.extend(failures)

    def add_note(self, body: str, *, system: bool = False) -> dict[str, Any]:
        """A note already on the merge request."""
        self._next_id += 1
        note = {"id": self._next_id, "body": body, "system": system, "author": {"username": "someone"}}
        self.notes.append(note)
        return note

    def writes(self) -> list[tuple[str, str]]:
        """(method, path) of every request that changes state, in order."""
        return [(r.method, r.path) for r in self.requests if r.method in ("POST", "PATCH", "PUT", "DELETE")]

    def bodies_text(self) -> str:
        """Every request body as JSON text."""
        return "\n".join(json.dumps(r.body) for r in self.requests if r.body is not None)


def too_many(retry_after: int = 2, **match: Any) -> Failure:
    """GitLab's 429 with Retry-After."""
    return Failure(429, {"Retry-After": str(retry_after)}, {"message": "Retry later"}, **match)


def _page(state: FakeGitLab, req: Recorded) -> tuple[int, Any, dict[str, str]]:
    size = max(1, min(int(req.query.get("per_page", "20")), state.max_page_size))
    page = max(1, int(req.query.get("page", "1")))
    last = max(1, -(-len(state.notes) // size))
    headers = {"X-Page": str(page), "X-Total-Pages": str(last), "X-Next-Page": ""}
    if page < last:
        following = f"{state.base_url}{req.path}?{urlencode({**req.query, 'page': page + 1})}"
        headers |= {"X-Next-Page": str(page + 1), "Link": f'<{following}>; rel="next"'}
    return 200, state.notes[(page - 1) * size : page * size], headers


def _handle(state: FakeGitLab, req: Recorded) -> tuple[int, Any, dict[str, str]]:
    # the raw path keeps "%2F" in a project path; unquote the project segment only
    m = re.fullmatch(r"/api/v4/projects/([^/]+)/merge_requests/(\d+)(/notes(?:/(\d+))?)?", req.path)
    if not m or unquote(m[1]) not in (PROJECT_ID, PROJECT_PATH) or int(m[2]) != MR_IID:
        return 404, {"message": "404 Not found"}, {}
    web_url = f"https://gitlab.test/{PROJECT_PATH}/-/merge_requests/{MR_IID}"
    if m[3] is None and req.method == "GET":
        return 200, {"iid": MR_IID, "web_url": web_url}, {}
    if m[3] == "/notes" and req.method == "GET":
        return _page(state, req)
    if m[3] == "/notes" and req.method == "POST":
        note = state.add_note(req.body["body"])
        note["author"] = {"username": "project_42_bot"}
        return 201, note, {}
    if m[4] and req.method == "PUT":
        found = [n for n in state.notes if n["id"] == int(m[4])]
        if not found:
            return 404, {"message": "404 Not found"}, {}
        note = found[0]
        note["body"] = req.body["body"]
        return 200, note, {}
    return 405, {"message": "405 Method Not Allowed"}, {}


def _answer(state: FakeGitLab, req: Recorded) -> tuple[int, Any, dict[str, str]]:
    state.requests.append(req)
    if req.headers.get(state.token_header) != state.token:
        return 401, {"message": "401 Unauthorized"}, {}
    failure = next((f for f in state.failures if f.matches(req.method, req.path)), None)
    if failure is not None:
        state.failures.remove(failure)
        return failure.status, failure.body, failure.headers
    return _handle(state, req)


@contextmanager
def gitlab_api_server() -> Iterator[FakeGitLab]:
    """Run the fake on a free loopback port for the duration of the block."""
    state = FakeGitLab()
    with serve(state, _answer) as base_url:
        state.base_url = base_url
        yield state
