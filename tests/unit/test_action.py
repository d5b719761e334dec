"""The GitHub Action (action.yml) and the CI workflows of docs/github-action.md: their safety properties
(no pull_request_target with the head checked out, minimal permissions, no script injection, inputs
that exist), and the action's review script run for real with bash and git on a local repository."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import REPO

ACTION: dict[str, Any] = yaml.safe_load((REPO / "action.yml").read_text())
DOC = (REPO / "docs" / "github-action.md").read_text()
ALLOWED_PERMISSIONS = {
    "contents": {"read"},
    "pull-requests": {"write", "read"},
    "checks": {"write", "read"},
    "actions": {"read"},
    "security-events": {"write"},
}
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def doc_blocks() -> list[Any]:
    """Every ```yaml block of docs/github-action.md, parsed."""
    return [yaml.safe_load(block) for block in re.findall(r"```yaml\n(.*?)```", DOC, re.DOTALL)]


def triggers(workflow: dict[str, Any]) -> dict[str, Any]:
    """The `on:` of a workflow (YAML 1.1 reads a bare `on` key as True)."""
    value = workflow.get("on", workflow.get(True))
    if isinstance(value, str):
        return {value: None}
    if isinstance(value, list):
        return dict.fromkeys(value)
    assert isinstance(value, dict)
    return value


def github_workflows() -> list[dict[str, Any]]:
    return [b for b in doc_blocks() if isinstance(b, dict) and "jobs" in b and (True in b or "on" in b)]


def steps_of(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def is_shipmate(step: dict[str, Any]) -> bool:
    return bool(re.fullmatch(r"[\w.-]+/shipmate@v[\w.]+|\./?", step.get("uses", "")))


def safety_problems(workflow: dict[str, Any]) -> list[str]:
    """What makes a workflow unsafe for pull requests from forks; empty when it is safe."""
    problems: list[str] = []
    on = triggers(workflow)
    privileged = {"pull_request_target", "workflow_run"} & set(on)
    if workflow.get("permissions") != {}:
        problems.append("the workflow must start from `permissions: {}`")
    for name, job in workflow["jobs"].items():
        granted = job.get("permissions")
        if not isinstance(granted, dict) or not granted:
            problems.append(f"job {name}: no permissions block")
            continue
        for scope, level in granted.items():
            if level not in ALLOWED_PERMISSIONS.get(scope, set()):
                problems.append(f"job {name}: {scope}: {level} is more than it needs")
    for step in steps_of(workflow):
        uses = step.get("uses", "")
        run = step.get("run", "")
        if EXPRESSION.search(run):
            problems.append(f"step {step.get('name', uses)}: ${{{{ }}}} inside a script (injection)")
        if privileged and (uses.startswith("actions/checkout") or is_shipmate(step)):
            problems.append(
                f"{sorted(privileged)} runs with a write token: it must not check out or review code"
            )
        if "pull_request" in on and "secrets." in json.dumps(step):
            problems.append("a secret is passed to a step of a pull_request run")
        if uses and not re.search(r"@v\d[\w.]*$", uses):
            problems.append(f"{uses}: pin an action to a release")
    return problems


# --- action.yml ---------------------------------------------------------------------------------


def test_action_is_composite_with_the_contracts_inputs_and_outputs() -> None:
    assert ACTION["runs"]["using"] == "composite"
    wanted = {"base", "head", "fail-on", "format", "post", "python-version", "github-token", "upload-sarif"}
    assert wanted <= set(ACTION["inputs"])
    assert ACTION["inputs"]["github-token"]["default"] == "${{ github.token }}"
    assert ACTION["inputs"]["base"]["default"] == "${{ github.event.pull_request.base.sha }}"
    assert ACTION["inputs"]["head"]["default"] == "${{ github.event.pull_request.head.sha }}"
    assert {"report", "exit-code"} <= set(ACTION["outputs"])
    assert all(value.get("description") for value in ACTION["inputs"].values())


def test_every_input_used_exists_and_every_input_is_used() -> None:
    text = json.dumps(ACTION["runs"])
    used = set(re.findall(r"inputs\.([\w-]+)", text))
    assert used == set(ACTION["inputs"])
    step_ids = {step.get("id") for step in ACTION["runs"]["steps"]}
    for step_id in re.findall(r"steps\.([\w-]+)\.outputs", json.dumps(ACTION)):
        assert step_id in step_ids


def test_scripts_never_expand_expressions_and_only_the_review_step_gets_the_token() -> None:
    for step in ACTION["runs"]["steps"]:
        if "run" in step:
            assert step["shell"] == "bash"
            assert not EXPRESSION.search(step["run"]), step.get("name")
        else:
            assert re.search(r"@v\d+$", step["uses"]), step["uses"]
    holders = [s["id"] for s in ACTION["runs"]["steps"] if "inputs.github-token" in json.dumps(s)]
    assert holders == ["review"]


def test_install_comes_from_the_actions_checkout_with_locked_dependencies() -> None:
    install = next(s for s in ACTION["runs"]["steps"] if s.get("name") == "Install shipmate")
    assert install["env"]["ACTION_PATH"] == "${{ github.action_path }}"
    assert 'pip install --quiet --disable-pip-version-check "uv==$UV_VERSION"' in install["run"]
    assert 'sync --frozen --no-dev --no-editable --project "$ACTION_PATH"' in install["run"]


# --- the review script, run for real -----------------------------------------------------------

FAKE_SHIPMATE = """#!{python}
import json, os, sys
with open(os.environ["RECORD"], "w") as out:
    json.dump({{"argv": sys.argv[1:], "token": os.environ.get("GITHUB_TOKEN")}}, out)
print("## shipmate review")
sys.exit(int(os.environ.get("FAKE_EXIT", "0")))
"""


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, check=True
    ).stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Path, str, str]:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.email", "test@example.com")
    git(root, "config", "user.name", "Test")
    (root / "app.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "base")
    base = git(root, "rev-parse", "HEAD")
    (root / "app.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n")
    git(root, "commit", "-q", "-am", "head")
    return root, base, git(root, "rev-parse", "HEAD")


def run_step(
    step_id: str, cwd: Path, env: dict[str, str]
) -> tuple[subprocess.CompletedProcess[str], dict[str, str]]:
    """The step's script under bash as the runner runs `shell: bash`; its GITHUB_OUTPUT as a dict."""
    step = next(s for s in ACTION["runs"]["steps"] if s.get("id") == step_id or s.get("name") == step_id)
    output = cwd.parent / "github_output"
    output.write_text("")
    full = {
        "PATH": os.environ["PATH"],
        "HOME": str(cwd.parent),
        "GITHUB_OUTPUT": str(output),
        "GITHUB_REPOSITORY": "acme/web",
        **env,
    }
    result = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
        cwd=cwd,
        env=full,
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    outputs = dict(line.split("=", 1) for line in output.read_text().splitlines() if "=" in line)
    return result, outputs


@pytest.fixture
def fake(tmp_path: Path) -> Path:
    path = tmp_path / "fake-shipmate"
    path.write_text(FAKE_SHIPMATE.format(python=sys.executable))
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def review_env(tmp_path: Path, fake: Path, base: str, head: str, **overrides: str) -> dict[str, str]:
    env = {
        "SHIPMATE": str(fake),
        "OUT_DIR": str(tmp_path / "out"),
        "RECORD": str(tmp_path / "record.json"),
        "GITHUB_TOKEN": "ghs_test_token",
        "BASE": base,
        "HEAD": head,
        "FAIL_ON": "medium",
        "FORMAT": "markdown",
        "POST": "auto",
        "UPLOAD_SARIF": "false",
        "HEAD_REPO": "acme/web",
        "ACTOR": "octocat",
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
    }
    return {**env, **overrides}


def test_same_repository_pull_request_posts_with_the_token(
    repo: tuple[Path, str, str], fake: Path, tmp_path: Path
) -> None:
    root, base, head = repo
    result, outputs = run_step("review", root, {**review_env(tmp_path, fake, base, head), "FAKE_EXIT": "1"})
    assert result.returncode == 0, result.stderr
    record = json.loads((tmp_path / "record.json").read_text())
    assert record["argv"] == [
        "review", "--repo", ".", "--format", "markdown", "--fail-on", "medium",
        "--base", base, "--head", head, "--post", "github",
    ]  # fmt: skip
    assert record["token"] == "ghs_test_token"
    assert outputs["exit-code"] == "1"
    assert Path(outputs["report"]).read_text() == "## shipmate review\n"
    assert "## shipmate review" in result.stdout
    assert (tmp_path / "summary.md").read_text() == "## shipmate review\n"


@pytest.mark.parametrize(
    ("overrides", "notice"),
    [
        ({"HEAD_REPO": "stranger/web"}, "fork"),
        ({"ACTOR": "dependabot[bot]"}, "Dependabot"),
        ({"POST": "none"}, ""),
    ],
)
def test_read_only_pull_requests_are_reviewed_without_posting_or_a_token(
    repo: tuple[Path, str, str], fake: Path, tmp_path: Path, overrides: dict[str, str], notice: str
) -> None:
    root, base, head = repo
    result, outputs = run_step("review", root, review_env(tmp_path, fake, base, head, **overrides))
    record = json.loads((tmp_path / "record.json").read_text())
    assert "--post" not in record["argv"]
    assert record["token"] is None
    assert outputs["exit-code"] == "0"
    assert notice in result.stdout


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"FORMAT": "html"}, "format must be text, json, markdown or sarif"),
        ({"POST": "gitlab"}, "post must be auto, github or none"),
        ({"UPLOAD_SARIF": "true"}, "upload-sarif needs format: sarif"),
        ({"BASE": "0" * 40}, "is not in the checkout: use actions/checkout with fetch-depth: 0"),
    ],
)
def test_bad_inputs_stop_with_one_error_and_exit_code_2(
    repo: tuple[Path, str, str], fake: Path, tmp_path: Path, overrides: dict[str, str], message: str
) -> None:
    root, base, head = repo
    result, outputs = run_step("review", root, review_env(tmp_path, fake, base, head, **overrides))
    assert outputs == {"exit-code": "2"}
    assert "::error title=shipmate::" in result.stdout
    assert message in result.stdout
    assert not (tmp_path / "record.json").exists()


def test_an_input_cannot_inject_shell_code(repo: tuple[Path, str, str], fake: Path, tmp_path: Path) -> None:
    root, _, head = repo
    evil = "$(touch pwned)`touch pwned2`;touch pwned3"
    _, outputs = run_step("review", root, review_env(tmp_path, fake, evil, head, FAIL_ON=evil))
    assert outputs["exit-code"] == "2"
    assert not list(root.glob("pwned*"))
    assert not list(tmp_path.glob("pwned*"))


@pytest.mark.parametrize(
    ("code", "message"), [("1", "new findings at or above 'high'"), ("2", "exit code 2")]
)
def test_the_last_step_fails_the_job_with_shipmates_exit_code(
    tmp_path: Path, code: str, message: str
) -> None:
    work = tmp_path / "w"
    work.mkdir()
    result, _ = run_step("Fail when shipmate did", work, {"CODE": code, "FAIL_ON": "high"})
    assert str(result.returncode) == code
    assert message in result.stdout


def test_the_real_review_command_takes_the_actions_arguments(
    repo: tuple[Path, str, str], tmp_path: Path
) -> None:
    shipmate = REPO / ".venv" / "bin" / "shipmate"
    helped = subprocess.run([str(shipmate), "review", "--help"], capture_output=True, text=True, check=False)
    if helped.returncode != 0:
        pytest.skip("`shipmate review` is not registered in this tree yet")
    root, base, head = repo
    env = review_env(tmp_path, shipmate, base, head, POST="none", FORMAT="json")
    result, outputs = run_step("review", root, env)
    assert outputs["exit-code"] in ("0", "1"), result.stdout + result.stderr
    assert json.loads(Path(outputs["report"]).read_text())


DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: nginx:latest
"""


def test_the_action_posts_a_sticky_review_through_the_real_command(
    repo: tuple[Path, str, str], tmp_path: Path
) -> None:
    """End to end on a local fake of the GitHub API: a comment and a check run, then no duplicate."""
    servers = pytest.importorskip("tests.servers.github_api")
    root, base, _ = repo
    (root / "web.yaml").write_text(DEPLOYMENT)
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "a deployment")
    head = git(root, "rev-parse", "HEAD")
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"pull_request": {"number": servers.PR}}))
    with servers.github_api_server() as gh:
        gh.diff_lines["web.yaml"] = set(range(1, DEPLOYMENT.count("\n") + 1))
        gh.diff_lines["app.yaml"] = {3}
        env = review_env(
            tmp_path,
            REPO / ".venv" / "bin" / "shipmate",
            base,
            head,
            GITHUB_TOKEN=gh.token,
            GITHUB_API_URL=gh.base_url,
            GITHUB_REPOSITORY=gh.repository,
            GITHUB_EVENT_PATH=str(event),
            HEAD_REPO=gh.repository,
        )
        first, outputs = run_step("review", root, env)
        assert outputs["exit-code"] == "1", first.stdout + first.stderr
        (comment,) = gh.issue_comments
        assert "latest" in comment["body"]
        assert gh.check_runs
        assert [p for m, p in gh.writes() if "/pulls/" in p] == [
            f"/repos/{gh.repository}/pulls/{servers.PR}/reviews"
        ]
        assert all(r.headers.get("authorization") == f"Bearer {gh.token}" for r in gh.requests)
        writes = len(gh.writes())
        again, outputs = run_step("review", root, env)
        assert outputs["exit-code"] == "1", again.stdout + again.stderr
        assert len(gh.issue_comments) == 1  # the same sticky comment, at most edited in place
        repeated = [w for w in gh.writes()[writes:] if w[0] == "POST" and "/check-runs" not in w[1]]
        assert repeated == [], "no second comment and no repeated inline review"


# --- docs/github-action.md ----------------------------------------------------------------------


def test_the_documented_workflows_are_safe_for_forks() -> None:
    workflows = github_workflows()
    assert len(workflows) == 3
    for workflow in workflows:
        assert safety_problems(workflow) == [], workflow["name"]
        assert "pull_request_target" not in triggers(workflow)


def test_documented_uses_of_the_action_give_only_inputs_it_has() -> None:
    outputs = set(ACTION["outputs"])
    used = 0
    for workflow in github_workflows():
        for step in steps_of(workflow):
            if is_shipmate(step):
                used += 1
                assert set(step.get("with", {})) <= set(ACTION["inputs"])
                assert step.get("with", {}).get("post", "auto") in ("auto", "github", "none")
                assert step.get("with", {}).get("format", "text") in ("text", "json", "markdown", "sarif")
        text = json.dumps(workflow)
        ids = {s.get("id"): is_shipmate(s) for s in steps_of(workflow)}
        for step_id, output in re.findall(r"steps\.([\w-]+)\.outputs\.([\w-]+)", text):
            assert ids[step_id], step_id
            assert output in outputs, output
    assert used == 2


def test_pull_request_runs_check_out_everything_without_keeping_credentials() -> None:
    for workflow in github_workflows():
        for step in steps_of(workflow):
            if step.get("uses", "").startswith("actions/checkout"):
                assert step["with"]["fetch-depth"] == 0
                assert step["with"]["persist-credentials"] is False
                assert "ref" not in step["with"]


def test_the_commenting_workflow_follows_the_reviewing_one_and_trusts_no_artifact() -> None:
    by_name = {w["name"]: w for w in github_workflows()}
    comment = next(w for w in by_name.values() if "workflow_run" in triggers(w))
    (followed,) = triggers(comment)["workflow_run"]["workflows"]
    assert "pull_request" in triggers(by_name[followed])
    script = next(s["run"] for s in steps_of(comment) if "run" in s)
    assert "*[!0-9]*" in script  # the PR number read from the artifact must be a number
    assert "HEAD_SHA" in script  # and the PR must still be at the reviewed commit
    assert triggers(comment)["workflow_run"]["types"] == ["completed"]


def test_the_checker_catches_an_unsafe_workflow() -> None:
    unsafe = yaml.safe_load(
        """
name: bad
on: pull_request_target
permissions: write-all
jobs:
  review:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with: {ref: "${{ github.event.pull_request.head.sha }}"}
      - run: echo "${{ github.event.pull_request.title }}"
      - uses: your-org/shipmate@main
"""
    )
    problems = " | ".join(safety_problems(unsafe))
    for expected in ("permissions: {}", "no permissions block", "injection", "must not check out", "pin"):
        assert expected in problems


def test_the_gitlab_job_runs_on_merge_requests_and_posts_to_gitlab() -> None:
    (gitlab,) = [b for b in doc_blocks() if isinstance(b, dict) and "jobs" not in b and "shipmate" in b]
    job = gitlab["shipmate"]
    assert job["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
    script = " ".join(job["script"])
    assert "shipmate review" in script
    assert "--post gitlab" in script
    assert '--base "$CI_MERGE_REQUEST_DIFF_BASE_SHA"' in script
    assert job["variables"]["GIT_DEPTH"] == "0"
    assert job["artifacts"]["when"] == "always"
