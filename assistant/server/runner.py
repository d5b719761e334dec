"""The real review runner: fetch the pull request into a cached clone, review it, post the result.

One clone per repository under the work folder, reused across jobs (a lock per repository keeps
two workers from fetching into it at once). The token travels to git as an http.extraheader in
the environment of the git process only (GIT_CONFIG_COUNT/KEY/VALUE), scoped to the code host's
URL: never in a URL, never in argv, never in the clone's config, never logged. The fetched files
are only exported and parsed by the review, never executed (no checkout, no hooks run).
"""

from __future__ import annotations

import base64
import re
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from pydantic import SecretStr

from assistant.server.models import ReviewJob, ReviewOutcome
from tools.findings import Severity

if TYPE_CHECKING:
    import httpx
    from git import Repo

    from tools.review.models import ModelSummary, ReviewReport

_SHA = re.compile(r"^[0-9a-f]{40}([0-9a-f]{24})?$")
_REF = re.compile(r"^[A-Za-z0-9._/-]+$")


def web_url_for(api_url: str) -> str:
    """The web root of a GitHub API: api.github.com -> https://github.com; GHES host/api/v3 -> host."""
    parts = urlsplit(api_url.rstrip("/"))
    if parts.hostname == "api.github.com":
        return "https://github.com"
    return f"{parts.scheme}://{parts.netloc}{parts.path.removesuffix('/api/v3')}"


class GitHubRunner:
    """Runs one ReviewJob: fetch base and head, `review_change`, `build_plan`, `post_github`."""

    def __init__(
        self,
        *,
        work_dir: Path,
        token: SecretStr,
        api_url: str = "https://api.github.com",
        fail_on: Severity = Severity.MEDIUM,
        clone_url_for: Callable[[str], str] | None = None,
        client_factory: Callable[[], httpx.Client] | None = None,
        explain: Callable[[ReviewReport], ModelSummary] | None = None,
    ) -> None:
        self.work_dir = work_dir
        self._token = token
        self._api_url = api_url.rstrip("/")
        self._fail_on = fail_on
        web = web_url_for(self._api_url)
        # Clone URLs come from our settings, not from the payload: the token only goes to our host.
        self._clone_url_for = clone_url_for or (lambda repository: f"{web}/{repository}.git")
        self._client_factory = client_factory
        self._explain = explain
        self._locks: dict[str, threading.Lock] = {}
        self._locks_guard = threading.Lock()

    def __call__(self, job: ReviewJob) -> ReviewOutcome:
        """Review and post; failures become a "failed" outcome with a one-line message."""
        from git import GitCommandError

        from assistant.prbot.http_retry import PostError
        from tools.errors import InputError

        started = time.perf_counter()
        try:
            outcome = self._run(job)
        except (InputError, PostError, GitCommandError, ValueError) as err:
            outcome = ReviewOutcome(status="failed", message=_one_line(err))
        return outcome.model_copy(update={"seconds": time.perf_counter() - started})

    def _run(self, job: ReviewJob) -> ReviewOutcome:
        from assistant.prbot.build import build_plan
        from assistant.prbot.github import post_github
        from assistant.prbot.targets import GitHubTarget
        from tools.errors import InputError
        from tools.review.review import review_change

        base_sha, head_sha, base_ref = job.base_sha, job.head_sha, job.base_ref
        if base_sha is None or head_sha is None:
            base_sha, head_sha, base_ref = self._pull_request_shas(job)
        for sha in (base_sha, head_sha):
            if not _SHA.match(sha):
                raise ValueError(f"not a commit id: {sha[:80]!r}")
        with self._lock(job.repository):
            clone = self._clone(job.repository)
            if not self._fetch(clone, job, base_sha, head_sha, base_ref):
                return ReviewOutcome(status="skipped", message=f"head {head_sha[:12]} is no longer on the PR")
            report = review_change(Path(str(clone.working_tree_dir)), base_sha, head_sha)
        if self._explain is not None:
            try:
                report.summary = self._explain(report)
            except InputError as err:  # the review stands without the model's summary
                report.notes.append(f"no model summary: {err}")
        plan = build_plan(report, self._fail_on)
        target = GitHubTarget(
            api_url=self._api_url, repository=job.repository, pr_number=job.pr_number, token=self._token
        )
        client = self._client_factory() if self._client_factory else None
        try:
            result = post_github(plan, target, client=client)
        finally:
            if client is not None:
                client.close()
        return ReviewOutcome(
            status="posted",
            findings=_new_by_severity(report),
            tokens=report.summary.tokens if report.summary else 0,
            cost=report.summary.cost_usd if report.summary else 0.0,
            message=f"comment {result.comment_action}, {result.inline_posted} inline comments posted",
        )

    def _pull_request_shas(self, job: ReviewJob) -> tuple[str, str, str | None]:
        """Base and head of the PR from the API (a comment event does not carry them)."""
        from assistant.prbot.http_retry import new_client

        client = self._client_factory() if self._client_factory else new_client()
        try:
            response = client.get(
                f"{self._api_url}/repos/{job.repository}/pulls/{job.pr_number}",
                headers={
                    "Authorization": f"Bearer {self._token.get_secret_value()}",
                    "Accept": "application/vnd.github+json",
                    "User-Agent": "shipmate",
                },
            )
        finally:
            client.close()
        if response.status_code != 200:
            raise ValueError(f"GitHub answered {response.status_code} for pull request {job.pr_number}")
        pr = response.json()
        return str(pr["base"]["sha"]), str(pr["head"]["sha"]), str(pr["base"].get("ref") or "") or None

    def _lock(self, repository: str) -> threading.Lock:
        with self._locks_guard:
            return self._locks.setdefault(repository.lower(), threading.Lock())

    def _clone(self, repository: str) -> Repo:
        from git import Repo

        path = self.work_dir / re.sub(r"[^A-Za-z0-9_.-]", "__", repository.lower())
        if (path / ".git").is_dir():
            return Repo(path)
        path.mkdir(parents=True, exist_ok=True)
        return Repo.init(path)

    def _fetch(self, clone: Repo, job: ReviewJob, base_sha: str, head_sha: str, base_ref: str | None) -> bool:
        """Fetch the PR head and the base; False when the head commit is not there any more."""
        from git import GitCommandError

        url = self._clone_url_for(job.repository)
        refspecs = [f"+refs/pull/{job.pr_number}/head:refs/shipmate/pull/{job.pr_number}"]
        if base_ref and _REF.match(base_ref) and not base_ref.startswith(("-", "/")):
            refspecs.append(f"+refs/heads/{base_ref}:refs/shipmate/base/{base_ref}")
        env = self.git_env(url)
        clone.git.fetch("--no-tags", "--quiet", "--", url, *refspecs, env=env)
        for sha in (base_sha, head_sha):
            if not _has_commit(clone, sha):
                try:  # a base that moved on, or a head force-pushed away: ask for the commit itself
                    clone.git.fetch("--no-tags", "--quiet", "--", url, sha, env=env)
                except GitCommandError:
                    if sha == head_sha:
                        return False
                    raise
        return True

    def git_env(self, url: str) -> dict[str, str]:
        """Environment for a git process talking to `url`: the token as a header for https URLs only."""
        env = {"GIT_TERMINAL_PROMPT": "0", "GIT_CONFIG_NOSYSTEM": "1"}
        parts = urlsplit(url)
        if parts.scheme == "https" and parts.netloc:
            basic = base64.b64encode(f"x-access-token:{self._token.get_secret_value()}".encode()).decode()
            env |= {
                "GIT_CONFIG_COUNT": "1",
                "GIT_CONFIG_KEY_0": f"http.{parts.scheme}://{parts.netloc}/.extraheader",
                "GIT_CONFIG_VALUE_0": f"AUTHORIZATION: basic {basic}",
            }
        return env


def _has_commit(clone: Repo, sha: str) -> bool:
    from git import GitCommandError

    try:
        clone.git.cat_file("-e", f"{sha}^{{commit}}")
    except GitCommandError:
        return False
    return True


def _new_by_severity(report: ReviewReport) -> dict[str, int]:
    counts: dict[str, int] = {}
    for item in report.findings:
        if item.status == "new":
            counts[item.finding.severity.value] = counts.get(item.finding.severity.value, 0) + 1
    return counts


def _one_line(err: Exception) -> str:
    # git's own explanation is in stderr; str() of a GitCommandError starts with "Cmd('git') failed".
    text = str(getattr(err, "stderr", "") or err)
    lines = [line.strip().removeprefix("stderr: ").strip("'") for line in text.splitlines() if line.strip()]
    return f"{type(err).__name__}: {lines[0] if lines else 'no detail'}"[:300]
