"""`shipmate review` as a CI step runs it: a real subprocess on a real repository."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from tests.integration.test_cli import run
from tests.integration.test_review import SHOP, edit
from tests.support.git_repos import GitRepo
from tools.review.models import ReviewReport


@pytest.fixture
def change(tmp_path: Path) -> GitRepo:
    """A branch that pins nothing: the web image goes to :latest and a Service selects nothing."""
    repo = GitRepo(tmp_path / "shop")
    shutil.copytree(SHOP, repo.root, dirs_exist_ok=True)
    repo.commit("shop")
    repo.branch("feature")
    edit(repo, "k8s/web/deployment.yaml", "ghcr.io/acme/web:1.4.2", "ghcr.io/acme/web:latest")
    repo.commit("latest", {"k8s/web/extra-service.yaml": EXTRA_SERVICE})
    return repo


EXTRA_SERVICE = """apiVersion: v1
kind: Service
metadata:
  name: "web-@acme/admins <img src=x>"
  namespace: shop
spec:
  selector:
    app: nothing
  ports:
    - port: 80
"""


def test_text_output_and_exit_code_follow_fail_on(change: GitRepo) -> None:
    done = run("review", "--base", "main", "--repo", str(change.root))
    assert done.returncode == 1, done.stderr
    out = done.stdout.decode()
    assert "k8s/web/deployment.yaml:" in out
    assert "K8S_LATEST_TAG" in out
    assert "new problems" in out
    assert (
        run("review", "--base", "main", "--repo", str(change.root), "--fail-on", "critical").returncode == 0
    )


def test_json_is_the_documented_report(change: GitRepo) -> None:
    done = run("review", "--base", "main", "--format", "json", cwd=change.root)
    report = ReviewReport.model_validate_json(done.stdout)
    assert report.head == change.git("rev-parse", "HEAD")
    assert report.base == change.git("rev-parse", "main")
    assert {rf.finding.id for rf in report.findings if rf.status == "new"} >= {
        "K8S_LATEST_TAG",
        "K8S_SERVICE_NO_MATCH",
    }


def test_markdown_keeps_pull_request_text_as_data(change: GitRepo) -> None:
    done = run("review", "--base", "main", "--format", "markdown", cwd=change.root)
    text = done.stdout.decode()
    assert "## shipmate review" in text
    assert "<img" in text  # quoted, but only as code: GitHub renders no HTML and no mention there
    outside_code = re.sub(r"(`+).*?\1", "", re.sub(r"(?ms)^\s*(`{3,}).*?^\s*\1", "", text))
    assert "<img" not in outside_code
    assert "@acme/admins" not in outside_code
    assert "| Severity | New | Already there | Fixed |" in text


def test_sarif_to_stdout_and_to_a_file(change: GitRepo, tmp_path: Path) -> None:
    done = run("review", "--base", "main", "--format", "sarif", cwd=change.root)
    log = json.loads(done.stdout)
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]
    }
    assert "k8s/web/deployment.yaml" in uris
    target = tmp_path / "out.sarif"
    again = run("review", "--base", "main", "--sarif", str(target), "--format", "json", cwd=change.root)
    assert json.loads(target.read_text())["runs"][0]["results"]
    assert ReviewReport.model_validate_json(again.stdout)


def test_dry_run_prints_the_post_without_any_token(change: GitRepo) -> None:
    done = run(
        "review", "--base", "main", "--post", "github", "--dry-run", cwd=change.root, env={"GITHUB_TOKEN": ""}
    )
    text = done.stdout.decode()
    assert "# sticky comment" in text
    assert "<!-- shipmate-review -->" in text
    assert "# inline comment on k8s/web/deployment.yaml:" in text
    assert "# check run 'shipmate review': failure" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "yaml"], "--format: 'yaml' is not one of"),
        (["--post", "bitbucket"], "--post: 'bitbucket' is not one of"),
        (["--dry-run"], "--dry-run: shows what --post would post"),
        (["--base", "nope"], "nope: not a known commit"),
        (["--repo", "/no/such/folder"], "/no/such/folder: no such folder"),
        (["--post", "github"], "GITHUB_TOKEN"),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(change: GitRepo, args: list[str], message: str) -> None:
    done = run(
        "review", "--base", "main", *args, cwd=change.root, env={"GITHUB_TOKEN": "", "GITHUB_REPOSITORY": ""}
    )
    assert done.returncode == 2
    err = done.stderr.decode()
    assert message in err, err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_not_a_repository(tmp_path: Path) -> None:
    done = run("review", "--repo", str(tmp_path))
    assert done.returncode == 2
    assert "not inside a git repository" in done.stderr.decode()


def test_posting_to_github_end_to_end_and_again_without_rewriting(change: GitRepo, tmp_path: Path) -> None:
    from tests.servers.github_api import PR, REPO, TOKEN, github_api_server

    event = tmp_path / "event.json"
    event.write_text(json.dumps({"pull_request": {"number": PR}}))
    with github_api_server() as github:
        github.diff_lines = {
            f.path: set(f.changed_lines)
            for f in ReviewReport.model_validate_json(
                run("review", "--base", "main", "--format", "json", cwd=change.root).stdout
            ).files
        }
        env = {
            "GITHUB_TOKEN": TOKEN,
            "GITHUB_REPOSITORY": REPO,
            "GITHUB_API_URL": github.base_url,
            "GITHUB_EVENT_PATH": str(event),
            "XDG_DATA_HOME": str(tmp_path / "data"),
        }
        first = run("review", "--base", "main", "--post", "github", cwd=change.root, env=env)
        assert first.returncode == 1, first.stderr  # new findings at medium or above
        assert "comment created" in first.stderr.decode()
        assert len(github.issue_comments) == 1
        assert github.issue_comments[0]["body"].startswith("<!-- shipmate-review -->")
        latest_line = next(
            n
            for n, line in enumerate((change.root / "k8s/web/deployment.yaml").read_text().splitlines(), 1)
            if "web:latest" in line
        )
        assert ("k8s/web/deployment.yaml", latest_line) in {
            (c["path"], c["line"]) for c in github.review_comments
        }
        assert [run_["conclusion"] for run_ in github.check_runs] == ["failure"]
        writes = len(github.writes())

        again = run("review", "--base", "main", "--post", "github", cwd=change.root, env=env)
        assert "comment unchanged" in again.stderr.decode(), again.stderr
        assert len(github.writes()) == writes  # the same review posts nothing new
    audit = (tmp_path / "data" / "shipmate" / "audit.jsonl").read_text()
    assert '"event":"review.post"' in audit


CANARY = "sk-proj-" + "Wq8Rt5Yu2Io9Pa4Sd7Fg1Hj6Kl3"


def test_explain_adds_a_model_summary_from_the_findings_only(change: GitRepo) -> None:
    from tests.servers.openai_chat import answer, openai_chat_server

    edit(
        change,
        "k8s/web/deployment.yaml",
        "        volumeMounts:\n",
        f"        env:\n        - name: OPENAI_API_KEY\n          value: {CANARY}\n        volumeMounts:\n",
    )
    change.commit("key")
    with openai_chat_server() as server:
        server.queue(
            answer(
                "Pin the web image (k8s/web/deployment.yaml:41) and move the key to a Secret. @acme/admins"
            )
        )
        env = {"SHIPMATE_MODEL": "openai/stub", "SHIPMATE_API_BASE": server.base_url, "SHIPMATE_API_KEY": "k"}
        done = run("review", "--base", "main", "--explain", "--format", "markdown", cwd=change.root, env=env)
        sent = server.bodies_text()
    text = done.stdout.decode()
    assert "### Summary (openai/stub; check it against the findings)" in text
    assert "Pin the web image" in text
    assert "@\u200bacme/admins" in text  # the model's text cannot ping a team either
    assert "K8S_SECRET_ENV_VALUE" in sent
    assert "K8S_LATEST_TAG" in sent
    assert "<untrusted-data" in sent
    assert CANARY not in sent
    assert "readOnlyRootFilesystem" not in sent  # the findings, not the files


def test_explain_without_a_model_is_a_usage_error(change: GitRepo) -> None:
    done = run("review", "--base", "main", "--explain", cwd=change.root)
    assert done.returncode == 2
    assert "--explain: needs a model" in done.stderr.decode()
