"""`shipmate review`: what a change does to the manifests and Terraform it touches, for people and PR bots."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from assistant.cli.state import GlobalOptions
from tools.errors import InputError

if TYPE_CHECKING:
    from assistant.config import LoadedSettings
    from assistant.prbot.plan import PostPlan
    from tools.review.models import ReviewReport

HELP = """Review a change: validate the Kubernetes manifests, kustomizations, Helm charts,
Terraform modules and Compose files it touches, at the base and at the head, and
report what the change brings (new problems, on which line, with the fix), what
was already there, and what it fixed.

The change is HEAD (or --head) against its merge base with --base (default: the
remote's default branch, else main or master). Files are read from git, not from the
working tree. Each touched file is validated with what depends on it: the other
manifests of its folder, the Terraform modules calling a changed module, the overlays
of a changed kustomize base (rendered with `kubectl kustomize`), a chart (rendered
with `helm template` when helm is on PATH). A change that adds a Dockerfile and no
manifests gets generated ones to start from. With a model configured, --explain adds
its summary of the findings (the model sees the findings only, redacted).

Posting (--post github|gitlab) updates one sticky comment in place, adds inline
comments with suggestions on changed lines and a check run (GitHub), using
GITHUB_TOKEN, GITHUB_REPOSITORY and the PR number from --pr or GITHUB_EVENT_PATH;
or GITLAB_TOKEN / CI_JOB_TOKEN, CI_API_V4_URL, CI_PROJECT_ID and
CI_MERGE_REQUEST_IID. --dry-run prints what would be posted instead.

Examples:

  shipmate review

  shipmate review --base origin/main --format markdown

  shipmate review --base "$BASE_SHA" --head "$HEAD_SHA" --post github --sarif shipmate.sarif

  shipmate review --post github --pr 42 --dry-run

Exit codes: 0 no new finding at or above --fail-on, 1 new findings at or above it,
2 usage, input or posting error.
"""

FORMATS = ("text", "json", "markdown", "sarif")
HOSTS = ("github", "gitlab")


def review(
    ctx: typer.Context,
    base: str = typer.Option(
        None, "--base", help="Branch or commit the change goes into. [default: origin/HEAD, main or master]"
    ),
    head: str = typer.Option(None, "--head", help="Commit to review. [default: HEAD]"),
    repo: Path = typer.Option(Path("."), "--repo", help="The repository folder.", show_default=False),
    output_format: str = typer.Option(
        None, "--format", "-f", help="text, json, markdown or sarif. [default: text]", show_default=False
    ),
    post: str = typer.Option(None, "--post", help="Post the review: github or gitlab.", show_default=False),
    pr_number: int = typer.Option(None, "--pr", help="Pull request number (GitHub) when posting.", min=1),
    dry_run: bool = typer.Option(False, "--dry-run", help="With --post: print what would be posted."),
    sarif: Path = typer.Option(
        None, "--sarif", help="Also write SARIF to this file (for code scanning).", show_default=False
    ),
    fail_on: str = typer.Option(
        None,
        "--fail-on",
        help="Exit 1 when the change brings a finding at least this severe. [default: medium]",
        show_default=False,
    ),
    no_generate: bool = typer.Option(False, "--no-generate", help="No generated manifests for new services."),
    explain: bool = typer.Option(
        False, "--explain", help="Add a model's summary of the findings (needs a configured model)."
    ),
) -> None:
    """Review a change; see HELP."""
    from assistant.config import load_settings
    from tools.findings import Severity

    options: GlobalOptions = ctx.obj or GlobalOptions()
    if output_format is not None and output_format not in FORMATS:
        raise InputError("--format", f"{output_format!r} is not one of {', '.join(FORMATS)}")
    if post is not None and post not in HOSTS:
        raise InputError("--post", f"{post!r} is not one of {', '.join(HOSTS)}")
    if dry_run and post is None:
        raise InputError("--dry-run", "shows what --post would post: name the host with --post")
    if not repo.is_dir():
        raise InputError(str(repo), "no such folder")
    loaded = load_settings({"fail_on": fail_on}, start=repo.resolve())
    threshold = Severity(loaded.settings.fail_on)
    if explain and not loaded.settings.model:
        raise InputError("--explain", "needs a model: set SHIPMATE_MODEL or `model` in config")
    report = run_review(repo, base, head, loaded, generate=not no_generate)
    if explain:
        from assistant.prbot.explain import explain_review

        report.summary = explain_review(report, loaded)
    if sarif is not None:
        from assistant.render.review_formats import review_sarif
        from tools.atomic import write_atomically

        try:
            write_atomically(sarif, review_sarif(report).encode("utf-8"))
        except OSError as err:
            raise InputError(str(sarif), f"cannot write: {err.strerror or err}") from err
    if post is not None:
        from assistant.prbot.build import build_plan

        plan = build_plan(report, threshold)
        if dry_run:
            sys.stdout.write(plan_text(plan))
        else:
            _post(post, plan, pr_number, report, options)
    else:
        _print(report, output_format or loaded.settings.format, options)
    if report.failed(threshold):
        raise typer.Exit(1)


def run_review(
    repo: Path, base: str | None, head: str | None, loaded: LoadedSettings, generate: bool = True
) -> ReviewReport:
    """Review base...head in `repo` with the validation settings of `loaded`."""
    from assistant.config import configured_paths
    from tools.review.review import ReviewOptions, review_change

    settings = loaded.settings.validation
    options = ReviewOptions(
        kubernetes_version=settings.kubernetes_version,
        strict=settings.strict,
        crds=configured_paths(loaded, "validation.crds", settings.crds),
        schema_locations=configured_paths(loaded, "validation.schema_locations", settings.schema_locations),
        ignored_policies=settings.ignore,
        terraform_binary=settings.terraform_binary,
        generate=generate,
    )
    return review_change(repo, base, head, options=options)


def plan_text(plan: PostPlan) -> str:
    """What posting would do, for --dry-run: the comment, each inline comment and the check run."""
    parts = ["# sticky comment", "", plan.summary.rstrip(), ""]
    for comment in plan.inline:
        lines = f"{comment.start_line}-{comment.line}" if comment.start_line else f"{comment.line}"
        parts += [f"# inline comment on {comment.path}:{lines}", "", comment.body.rstrip(), ""]
    check = plan.check
    parts += [
        f"# check run {check.name!r}: {check.conclusion}, {len(check.annotations)} annotations",
        "",
        check.title,
        "",
    ]
    return "\n".join(parts)


def _post(
    host: str, plan: PostPlan, pr_number: int | None, report: ReviewReport, options: GlobalOptions
) -> None:
    from assistant.audit import AuditLog

    if host == "github":
        from assistant.prbot.github import post_github
        from assistant.prbot.http_retry import PostError
        from assistant.prbot.targets import github_target_from_env

        target = github_target_from_env(os.environ, pr_number)
        where = f"{target.repository}#{target.pr_number}"
        try:
            result = post_github(plan, target)
        except PostError as err:
            raise InputError("--post github", str(err)) from err
    else:
        from assistant.prbot.gitlab import post_gitlab
        from assistant.prbot.http_retry import PostError
        from assistant.prbot.targets import gitlab_target_from_env

        gitlab = gitlab_target_from_env(os.environ)
        where = f"{gitlab.project_id}!{gitlab.mr_iid}"
        try:
            result = post_gitlab(plan, gitlab)
        except PostError as err:
            raise InputError("--post gitlab", str(err)) from err
    AuditLog().append(
        "review.post",
        host=host,
        where=where,
        head=report.head,
        comment=result.comment_action,
        inline_posted=result.inline_posted,
        conclusion=plan.check.conclusion,
    )
    if not options.quiet:
        sys.stderr.write(
            f"shipmate: {host} {where}: comment {result.comment_action}, {result.inline_posted} inline"
            f" comments posted ({result.inline_skipped} skipped), check {plan.check.conclusion}\n"
        )
        for note in result.notes:
            sys.stderr.write(f"shipmate: note: {note}\n")


def _print(report: ReviewReport, output_format: str, options: GlobalOptions) -> None:
    if output_format == "json":
        from assistant.render.json_out import to_json

        sys.stdout.write(to_json(report))
    elif output_format == "markdown":
        from assistant.render.review_markdown import review_markdown

        sys.stdout.write(review_markdown(report))
    elif output_format == "sarif":
        from assistant.render.review_formats import review_sarif

        sys.stdout.write(review_sarif(report))
    else:
        from assistant.cli.console import make_console
        from assistant.render.review_formats import review_lines

        console = make_console(no_color=options.no_color)
        for line in review_lines(report, verbose=options.verbosity > 0, quiet=options.quiet):
            console.print(line)
