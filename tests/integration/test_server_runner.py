"""The real runner end to end: a webhook delivery -> fetch into a cached clone -> review -> post.

The "remote" is a local git repository with refs/pull/7/head (as GitHub keeps them); the code
host is the fake GitHub REST server. Nothing leaves the machine.
"""

from __future__ import annotations

import base64
import io
import json
import subprocess
import time
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from assistant.server.models import ReviewJob
from assistant.server.runner import GitHubRunner, web_url_for
from evals.perf.webhook import running_server, serve_settings, signed_request
from tests.servers.github_api import PR, REPO, TOKEN, FakeGitHub, github_api_server

DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  replicas: 2
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
        - name: api
          image: registry.example.com/api:1.2.3
"""


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture
def origin(tmp_path: Path) -> tuple[Path, str, str]:
    """A repository with main and a pull request (refs/pull/7/head) that adds two problems."""
    repo = tmp_path / "origin"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "dev@example.com")
    git(repo, "config", "user.name", "Dev")
    (repo / "k8s").mkdir()
    (repo / "k8s" / "api.yaml").write_text(DEPLOYMENT)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    base = git(repo, "rev-parse", "HEAD")
    git(repo, "checkout", "-qb", "feature")
    changed = (
        DEPLOYMENT.replace("api:1.2.3", "api:latest")
        + "          securityContext:\n            privileged: true\n"
    )
    (repo / "k8s" / "api.yaml").write_text(changed)
    git(repo, "commit", "-qam", "use latest, run privileged")
    head = git(repo, "rev-parse", "HEAD")
    git(repo, "update-ref", f"refs/pull/{PR}/head", head)
    git(repo, "checkout", "-q", "main")
    return repo, base, head


def delivery(delivery_id: str, base: str, head: str) -> tuple[bytes, dict[str, str]]:
    payload = {
        "action": "synchronize",
        "pull_request": {
            "number": PR,
            "base": {"ref": "main", "sha": base},
            "head": {"ref": "feature", "sha": head},
        },
        "repository": {"full_name": REPO, "clone_url": "https://attacker.example/steal.git"},
    }
    return signed_request("pull_request", delivery_id, payload)


def comment_delivery(delivery_id: str, association: str) -> tuple[bytes, dict[str, str]]:
    """A "/shipmate review" comment on the PR: no shas in it, the runner asks the API for them."""
    payload = {
        "action": "created",
        "issue": {"number": PR, "pull_request": {"url": f"https://api.github.test/repos/{REPO}/pulls/{PR}"}},
        "comment": {
            "body": "/shipmate review please",
            "author_association": association,
            "user": {"login": "someone"},
        },
        "repository": {"full_name": REPO, "clone_url": "https://attacker.example/steal.git"},
    }
    return signed_request("issue_comment", delivery_id, payload)


def wait_reviews(live: object, count: int) -> str:
    deadline = time.monotonic() + 30
    while True:
        text = httpx.get(f"{live.url}/metrics").text  # type: ignore[attr-defined]
        done = sum(
            float(line.rsplit(" ", 1)[1])
            for line in text.splitlines()
            if line.startswith("shipmate_reviews_total{")
        )
        if done >= count:
            return text
        assert time.monotonic() < deadline, "reviews did not finish"
        time.sleep(0.05)


def runner_for(gh: FakeGitHub, work: Path, origin_path: Path) -> GitHubRunner:
    return GitHubRunner(
        work_dir=work,
        token=SecretStr(TOKEN),
        api_url=gh.base_url,
        clone_url_for=lambda _repo: str(origin_path),
    )


def test_delivery_is_fetched_reviewed_and_posted(origin: tuple[Path, str, str], tmp_path: Path) -> None:
    origin_path, base, head = origin
    work = tmp_path / "work"
    with github_api_server() as gh:
        gh.diff_lines["k8s/api.yaml"] = {15, 16, 17}
        runner = runner_for(gh, work, origin_path)
        with running_server(serve_settings(allowed_repos=["octo/*"]), runner) as live:
            body, headers = delivery("e2e-1", base, head)
            assert httpx.post(f"{live.url}/webhook", content=body, headers=headers).status_code == 202
            metrics = wait_reviews(live, 1)
            assert 'shipmate_reviews_total{outcome="posted"} 1.0' in metrics
            assert 'shipmate_review_findings_total{severity="critical"} 1.0' in metrics
            assert 'shipmate_review_findings_total{severity="medium"} 1.0' in metrics
            comments = list(gh.issue_comments)
            assert len(comments) == 1
            assert "<!-- shipmate-review -->" in comments[0]["body"]
            assert gh.check_runs[0]["head_sha"] == head
            assert gh.check_runs[0]["conclusion"] == "failure"
            writes = len(gh.writes())

            body, headers = delivery("e2e-2", base, head)  # same head again: the cached clone, nothing new
            assert httpx.post(f"{live.url}/webhook", content=body, headers=headers).status_code == 202
            wait_reviews(live, 2)
            assert len(gh.issue_comments) == 1
            assert not [w for w in gh.writes()[writes:] if "/issues/" in w[1]]
    clones = [p for p in work.iterdir() if p.is_dir()]
    assert [p.name for p in clones] == ["octo__shop"]
    assert git(clones[0], "rev-parse", f"refs/shipmate/pull/{PR}") == head
    assert TOKEN not in (clones[0] / ".git" / "config").read_text()
    assert not (clones[0] / "k8s").exists()  # nothing checked out: files are only exported and parsed


def test_review_comment_from_a_collaborator_is_reviewed_a_strangers_ignored(
    origin: tuple[Path, str, str], tmp_path: Path
) -> None:
    origin_path, base, head = origin
    log = io.StringIO()
    with github_api_server() as gh:
        gh.diff_lines["k8s/api.yaml"] = {15, 16, 17}
        gh.set_pull(base, head)
        runner = runner_for(gh, tmp_path / "work", origin_path)
        with running_server(serve_settings(allowed_repos=["octo/*"]), runner, log=log) as live:
            body, headers = comment_delivery("stranger-1", "NONE")
            answer = httpx.post(f"{live.url}/webhook", content=body, headers=headers)
            assert answer.status_code == 202
            assert answer.json() == {
                "status": "ignored",
                "message": "comment author is 'NONE', not an owner, member or collaborator",
            }
            assert gh.requests == []  # the stranger's comment reached neither the API nor a runner
            body, headers = comment_delivery("collaborator-1", "COLLABORATOR")
            answer = httpx.post(f"{live.url}/webhook", content=body, headers=headers)
            assert answer.status_code == 202
            assert answer.json()["status"] == "queued"
            metrics = wait_reviews(live, 1)
        assert 'shipmate_reviews_total{outcome="posted"} 1.0' in metrics
        assert 'shipmate_webhook_deliveries_total{result="ignored"} 1.0' in metrics
        # The comment carries no shas: the first request is the runner asking the API for them.
        first = gh.requests[0]
        assert (first.method, first.path) == ("GET", f"/repos/{REPO}/pulls/{PR}")
        assert first.headers["authorization"] == f"Bearer {TOKEN}"
        assert len(gh.issue_comments) == 1
        assert "<!-- shipmate-review -->" in gh.issue_comments[0]["body"]
        assert [run["head_sha"] for run in gh.check_runs] == [head]
        assert len(gh.reviews) == 1
        assert {c["commit_id"] for c in gh.review_comments} == {head}
    events = [json.loads(line) for line in log.getvalue().splitlines()]
    ignored = [e for e in events if e["event"] == "delivery_ignored"]
    assert [(e["delivery"], e["reason"]) for e in ignored] == [
        ("stranger-1", "comment author is 'NONE', not an owner, member or collaborator")
    ]
    started = [e["delivery"] for e in events if e["event"] == "review_started"]
    assert started == ["collaborator-1"]


def test_failures_become_one_line_outcomes(origin: tuple[Path, str, str], tmp_path: Path) -> None:
    origin_path, base, head = origin
    with github_api_server() as gh:
        missing = GitHubRunner(
            work_dir=tmp_path / "w1",
            token=SecretStr(TOKEN),
            api_url=gh.base_url,
            clone_url_for=lambda _repo: str(tmp_path / "nowhere"),
        )
        job = ReviewJob(
            delivery_id="f1",
            event="pull_request",
            repository=REPO,
            pr_number=PR,
            base_sha=base,
            head_sha=head,
            base_ref="main",
        )
        outcome = missing(job)
        assert outcome.status == "failed"
        assert outcome.message.startswith("GitCommandError: fatal:")
        assert "\n" not in outcome.message

        gone = job.model_copy(update={"head_sha": "f" * 40})
        skipped = runner_for(gh, tmp_path / "w2", origin_path)(gone)
        assert skipped.status == "skipped"
        assert "no longer on the PR" in skipped.message

        wrong_token = GitHubRunner(
            work_dir=tmp_path / "w3",
            token=SecretStr("ghs_wrong0000000000000000000000000000"),
            api_url=gh.base_url,
            clone_url_for=lambda _repo: str(origin_path),
        )
        refused = wrong_token(job)
        assert refused.status == "failed"
        assert "401" in refused.message
        assert "ghs_wrong" not in refused.message


def test_token_goes_to_git_only_as_a_header_scoped_to_the_host(tmp_path: Path) -> None:
    runner = GitHubRunner(
        work_dir=tmp_path, token=SecretStr("ghs_secretvalue"), api_url="https://api.github.com"
    )
    env = runner.git_env("https://github.com/acme/api.git")
    assert env["GIT_CONFIG_KEY_0"] == "http.https://github.com/.extraheader"
    header = env["GIT_CONFIG_VALUE_0"].removeprefix("AUTHORIZATION: basic ")
    assert base64.b64decode(header).decode() == "x-access-token:ghs_secretvalue"
    assert "GIT_CONFIG_COUNT" not in runner.git_env(str(tmp_path / "local"))
    assert web_url_for("https://api.github.com") == "https://github.com"
    assert web_url_for("https://ghe.example.com/api/v3/") == "https://ghe.example.com"


def test_with_a_model_each_review_carries_its_summary_and_counts_tokens(
    origin: tuple[Path, str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.config import load_settings
    from assistant.prbot.explain import explain_review
    from tests.servers.openai_chat import answer, auth_error, openai_chat_server

    origin_path, base, head = origin
    job = ReviewJob(
        delivery_id="m1", event="pull_request", repository=REPO, pr_number=PR, base_sha=base, head_sha=head
    )
    with github_api_server() as gh, openai_chat_server() as model:
        model.queue(answer("Pin the api image first.", prompt_tokens=120, completion_tokens=8))
        monkeypatch.setenv("SHIPMATE_MODEL", "openai/stub")
        monkeypatch.setenv("SHIPMATE_API_BASE", model.base_url)
        monkeypatch.setenv("SHIPMATE_API_KEY", "k")
        loaded = load_settings()
        runner = GitHubRunner(
            work_dir=tmp_path / "work",
            token=SecretStr(TOKEN),
            api_url=gh.base_url,
            clone_url_for=lambda _repo: str(origin_path),
            explain=lambda report: explain_review(report, loaded),
        )
        outcome = runner(job)
        assert outcome.status == "posted", outcome.message
        assert outcome.tokens == 128
        assert "Pin the api image first." in gh.issue_comments[0]["body"]
        model.queue(auth_error())  # the model refuses the key: the review is still posted, without a summary
        refused = runner(job.model_copy(update={"delivery_id": "m2"}))
        assert refused.status == "posted", refused.message
        assert refused.tokens == 0
        assert "no model summary" in gh.issue_comments[0]["body"]
        assert "Pin the api image first." not in gh.issue_comments[0]["body"]
