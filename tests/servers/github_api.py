"""A local HTTP server that fakes the GitHub REST endpoints shipmate posts to, with in-memory state.

Endpoints: issue comments (list, create, edit), pull requests (get one: base and head as a test
set them with `set_pull`), pull request review comments (list, create), reviews (create), check
runs (list for a commit, create, update). Lists are paginated with a
Link header (`per_page` honoured up to `max_page_size`, which a test can lower). Review comments
on a line outside the diff get GitHub's 422 (the server knows the diff lines per path). Failures
can be queued (rate limits with reset headers, secondary limits, 500s); a wrong token gets 401.
Every request is recorded.

    with github_api_server() as gh:
        gh.diff_lines["app.py"] = {3, 4, 5}
        gh.fail(rate_limited(reset_in=5))
        post_github(plan, gh.target(), sleep=waits.append)
        assert gh.writes() == [...]
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from pydantic import SecretStr

from assistant.prbot.targets import GitHubTarget

TOKEN = "ghs_localTestToken0123456789abcdef"
REPO = "octo/shop"
PR = 7


@dataclass(frozen=True)
class Recorded:
    """One request as the server saw it."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any


@dataclass
class Failure:
    """An answer served instead of the real one to the next matching request."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] = field(default_factory=lambda: {"message": "injected failure"})
    method: str | None = None  # None: any method
    path_contains: str = ""  # "" : any path
    delay: float = 0.0  # seconds before answering (a client timeout test)

    def matches(self, method: str, path: str) -> bool:
        """Whether this failure is meant for that request."""
        return (self.method is None or self.method == method) and self.path_contains in path


def rate_limited(reset_in: float = 5, **match: Any) -> Failure:
    """GitHub's primary rate limit: 403 with x-ratelimit-remaining 0 and the reset epoch."""
    headers = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(time.time() + reset_in))}
    return Failure(403, headers, {"message": "API rate limit exceeded for installation ID 1."}, **match)


def secondary_limit(retry_after: int = 3, **match: Any) -> Failure:
    """GitHub's secondary rate limit: 403 with retry-after."""
    body = {"message": "You have exceeded a secondary rate limit. Please wait a few minutes."}
    return Failure(403, {"retry-after": str(retry_after)}, body, **match)


def too_many(retry_after: int = 2, **match: Any) -> Failure:
    """429 with retry-after."""
    return Failure(429, {"retry-after": str(retry_after)}, {"message": "Too Many Requests"}, **match)


def server_error(status: int = 500, **match: Any) -> Failure:
    """A 5xx."""
    return Failure(status, {}, {"message": "Server Error"}, **match)


@dataclass
class FakeGitHub:
    """State of the fake, readable and adjustable by a test."""

    base_url: str = ""
    token: str = TOKEN
    repository: str = REPO
    max_page_size: int = 100
    checks_forbidden: bool = False  # 403 on creating check runs (a token without checks: write)
    diff_lines: dict[str, set[int]] = field(default_factory=dict)  # RIGHT-side lines per path
    issue_comments: list[dict[str, Any]] = field(default_factory=list)
    review_comments: list[dict[str, Any]] = field(default_factory=list)
    reviews: list[dict[str, Any]] = field(default_factory=list)
    check_runs: list[dict[str, Any]] = field(default_factory=list)
    pulls: dict[int, dict[str, Any]] = field(default_factory=dict)  # GET /pulls/{n}, set with set_pull
    requests: list[Recorded] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    _ids: Iterator[int] = field(default_factory=lambda: iter(range(1000, 10**9)))

    def target(self, pr_number: int = PR, token: str | None = None) -> GitHubTarget:
        """A target pointing at this server."""
        return GitHubTarget(
            api_url=self.base_url,
            repository=self.repository,
            pr_number=pr_number,
            token=SecretStr(token or self.token),
        )

    def fail(self, *failures: Failure) -> None:
        """Queue failures; each is served once, to the first request it matches."""
        with self.lock:
            self.failures.extend(failures)

    def add_comment(self, body: str, user: str = "someone") -> dict[str, Any]:
        """An issue comment already on the PR."""
        comment_id = next(self._ids)
        comment = {
            "id": comment_id,
            "body": body,
            "user": {"login": user},
            "html_url": f"https://github.test/{self.repository}/pull/{PR}#issuecomment-{comment_id}",
        }
        self.issue_comments.append(comment)
        return comment

    def set_pull(
        self,
        base_sha: str,
        head_sha: str,
        *,
        number: int = PR,
        base_ref: str = "main",
        head_ref: str = "feature",
    ) -> dict[str, Any]:
        """Make pull request `number` exist with these base and head commits (replaces it if set)."""
        pull = {
            "number": number,
            "state": "open",
            "draft": False,
            "html_url": f"https://github.test/{self.repository}/pull/{number}",
            "base": {"ref": base_ref, "sha": base_sha, "repo": {"full_name": self.repository}},
            "head": {"ref": head_ref, "sha": head_sha, "repo": {"full_name": self.repository}},
        }
        with self.lock:
            self.pulls[number] = pull
        return pull

    def writes(self) -> list[tuple[str, str]]:
        """(method, path) of every request that changes state, in order."""
        return [(r.method, r.path) for r in self.requests if r.method in ("POST", "PATCH", "PUT", "DELETE")]

    def bodies_text(self) -> str:
        """Every request body as JSON text, to search for what must never leave the process."""
        return "\n".join(json.dumps(r.body) for r in self.requests if r.body is not None)

    def annotations(self, run_id: int) -> list[dict[str, Any]]:
        """Every annotation a check run holds (created plus appended)."""
        run = next(r for r in self.check_runs if r["id"] == run_id)
        return list(run["_annotations"])

    def new_id(self) -> int:
        """A fresh object id."""
        return next(self._ids)


def _page(state: FakeGitHub, items: list[dict[str, Any]], req: Recorded) -> tuple[int, Any, dict[str, str]]:
    """One page of `items` and its Link header, as GitHub paginates."""
    size = max(1, min(int(req.query.get("per_page", "30")), state.max_page_size))
    page = max(1, int(req.query.get("page", "1")))
    last = max(1, -(-len(items) // size))
    links = [f'<{state.base_url}{req.path}?{urlencode({**req.query, "page": last})}>; rel="last"']
    if page < last:
        links.insert(
            0, f'<{state.base_url}{req.path}?{urlencode({**req.query, "page": page + 1})}>; rel="next"'
        )
    headers = {"Link": ", ".join(links)}
    return 200, items[(page - 1) * size : page * size], headers


def _unprocessable(message: str) -> tuple[int, Any, dict[str, str]]:
    return 422, {"message": "Validation Failed", "errors": [message], "status": "422"}, {}


def _in_diff(state: FakeGitHub, comment: dict[str, Any]) -> bool:
    lines = state.diff_lines.get(str(comment.get("path")), set())
    wanted = [comment.get("line"), comment.get("start_line") or comment.get("line")]
    return all(line in lines for line in wanted)


def _add_review_comment(state: FakeGitHub, comment: dict[str, Any], commit_id: str) -> dict[str, Any]:
    made = {
        "id": state.new_id(),
        "path": comment["path"],
        "line": comment["line"],
        "start_line": comment.get("start_line"),
        "side": comment.get("side", "RIGHT"),
        "body": comment["body"],
        "commit_id": commit_id,
    }
    state.review_comments.append(made)
    return made


def _handle(state: FakeGitHub, req: Recorded) -> tuple[int, Any, dict[str, str]]:
    repo = f"/repos/{state.repository}"
    path, method, body = req.path, req.method, req.body or {}
    if not path.startswith(repo + "/"):
        return 404, {"message": "Not Found"}, {}
    rest = path[len(repo) :]
    if re.fullmatch(rf"/issues/{PR}/comments", rest):
        if method == "GET":
            return _page(state, state.issue_comments, req)
        return 201, state.add_comment(body["body"], user="shipmate[bot]"), {}
    if (m := re.fullmatch(r"/issues/comments/(\d+)", rest)) and method == "PATCH":
        comment = next((c for c in state.issue_comments if c["id"] == int(m[1])), None)
        if comment is None:
            return 404, {"message": "Not Found"}, {}
        comment["body"] = body["body"]
        return 200, comment, {}
    if (m := re.fullmatch(r"/pulls/(\d+)", rest)) and method == "GET":
        pull = state.pulls.get(int(m[1]))
        return (200, pull, {}) if pull is not None else (404, {"message": "Not Found"}, {})
    if re.fullmatch(rf"/pulls/{PR}/comments", rest):
        if method == "GET":
            return _page(state, state.review_comments, req)
        if not _in_diff(state, body):
            return _unprocessable("pull_request_review_thread.line must be part of the diff")
        return 201, _add_review_comment(state, body, body["commit_id"]), {}
    if re.fullmatch(rf"/pulls/{PR}/reviews", rest) and method == "POST":
        comments = body.get("comments", [])
        if not all(_in_diff(state, c) for c in comments):
            return _unprocessable("Line could not be resolved")
        review = {"id": state.new_id(), "body": body.get("body"), "event": body.get("event")}
        review["comments"] = [_add_review_comment(state, c, body["commit_id"])["id"] for c in comments]
        state.reviews.append(review)
        return 200, review, {}
    if (m := re.fullmatch(r"/commits/([0-9a-f]+)/check-runs", rest)) and method == "GET":
        runs = [
            _public_run(r)
            for r in reversed(state.check_runs)
            if r["head_sha"] == m[1] and r["name"] == req.query.get("check_name", r["name"])
        ]
        return 200, {"total_count": len(runs), "check_runs": runs[:1]}, {}
    if rest == "/check-runs" and method == "POST":
        if state.checks_forbidden:
            return 403, {"message": "Resource not accessible by integration"}, {}
        annotations = body.get("output", {}).get("annotations", [])
        if len(annotations) > 50:
            return _unprocessable("Only 50 annotations per request")
        run_id = state.new_id()
        run = {**body, "id": run_id, "html_url": f"https://github.test/{state.repository}/runs/{run_id}"}
        run["_annotations"] = list(annotations)
        state.check_runs.append(run)
        return 201, _public_run(run), {}
    if (m := re.fullmatch(r"/check-runs/(\d+)", rest)) and method == "PATCH":
        found = [r for r in state.check_runs if r["id"] == int(m[1])]
        if not found:
            return 404, {"message": "Not Found"}, {}
        run = found[0]
        annotations = body.get("output", {}).get("annotations", [])
        if len(annotations) > 50:
            return _unprocessable("Only 50 annotations per request")
        run["_annotations"].extend(annotations)
        run["output"] = {**run["output"], **{k: v for k, v in body["output"].items() if k != "annotations"}}
        return 200, _public_run(run), {}
    return 404, {"message": f"fake GitHub: no route {method} {path}"}, {}


def _public_run(run: dict[str, Any]) -> dict[str, Any]:
    output = {k: v for k, v in run.get("output", {}).items() if k != "annotations"}
    output["annotations_count"] = len(run["_annotations"])
    return {**{k: v for k, v in run.items() if not k.startswith("_")}, "output": output}


def _answer(state: FakeGitHub, req: Recorded) -> tuple[int, Any, dict[str, str]]:
    with state.lock:
        state.requests.append(req)
        if req.headers.get("authorization") != f"Bearer {state.token}":
            return 401, {"message": "Bad credentials", "status": "401"}, {}
        failure = next((f for f in state.failures if f.matches(req.method, req.path)), None)
        if failure is not None:
            state.failures.remove(failure)
            return failure.status, failure.body, {**failure.headers, "x-fake-delay": str(failure.delay)}
        return _handle(state, req)


@contextmanager
def github_api_server() -> Iterator[FakeGitHub]:
    """Run the fake on a free loopback port for the duration of the block."""
    state = FakeGitHub()
    with serve(state, _answer) as base_url:
        state.base_url = base_url
        yield state


@contextmanager
def serve(state: Any, answer: Callable[[Any, Recorded], tuple[int, Any, dict[str, str]]]) -> Iterator[str]:
    """Serve JSON answers computed by `answer(state, request)` on a loopback port; yields the base URL."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # see tests/servers/openai_chat.py

        def log_message(self, *_: object) -> None:
            return None

        def _any(self) -> None:
            split = urlsplit(self.path)
            raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            req = Recorded(
                method=self.command,
                path=split.path,
                query={k: v[-1] for k, v in parse_qs(split.query).items()},
                headers={k.lower(): v for k, v in self.headers.items()},
                body=json.loads(raw) if raw else None,
            )
            status, payload, headers = answer(state, req)
            time.sleep(float(headers.pop("x-fake-delay", 0)))
            try:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout test)
                self.close_connection = True

        do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _any

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
