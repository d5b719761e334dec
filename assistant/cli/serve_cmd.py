"""`shipmate serve`: receive GitHub webhooks and review pull requests in the background."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from tools.errors import InputError

if TYPE_CHECKING:
    from tools.review.models import ModelSummary, ReviewReport

HELP = """Receive GitHub webhooks and review pull requests, posting the results.

Listens for pull_request events (opened, synchronize, reopened, ready_for_review)
and for "/shipmate review" comments by owners, members and collaborators. Each
accepted delivery becomes a job in a bounded queue; workers fetch the pull
request into a cached clone under --work-dir, run `shipmate review` on it and
post the sticky comment, inline comments and check run (docs/serve.md). With a
model configured (SHIPMATE_MODEL), each review also gets the model's summary.

Every delivery must be signed (X-Hub-Signature-256) with the webhook secret:
SHIPMATE_WEBHOOK_SECRET or --secret-file; the server refuses to start without
one. Only repositories in the allowlist are served: SHIPMATE_ALLOWED_REPOS
(comma separated) or --allow-repo, as owner/name or owner/*. The GitHub token
fetches and posts: --github-token-file (or SHIPMATE_GITHUB_TOKEN_FILE) naming a
file that holds it, else GITHUB_TOKEN (GITHUB_API_URL for GitHub Enterprise).

Endpoints: POST /webhook, GET /healthz, /readyz and /metrics (Prometheus).
SIGTERM drains: new deliveries get 503, queued jobs finish (--drain-seconds).

Examples:

  SHIPMATE_WEBHOOK_SECRET=... GITHUB_TOKEN=... shipmate serve --allow-repo 'acme/*'

  shipmate serve --secret-file /run/secrets/webhook --github-token-file /run/secrets/token

  shipmate serve --host 0.0.0.0 --allow-repo acme/api --allow-repo acme/web --concurrency 4
"""


def serve(
    ctx: typer.Context,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8080, "--port", help="Port to listen on."),
    concurrency: int = typer.Option(2, "--concurrency", help="Reviews running at the same time."),
    queue_size: int = typer.Option(50, "--queue-size", help="Jobs waiting at most; more get 503."),
    max_body_bytes: int = typer.Option(1_000_000, "--max-body-bytes", help="Largest webhook body accepted."),
    allow_repo: list[str] = typer.Option(
        None,
        "--allow-repo",
        help="Repository to serve, owner/name or owner/* (repeatable). [default: SHIPMATE_ALLOWED_REPOS]",
        show_default=False,
    ),
    secret_file: Path = typer.Option(
        None,
        "--secret-file",
        help="File holding the webhook secret. [default: SHIPMATE_WEBHOOK_SECRET]",
        show_default=False,
        readable=False,  # checked when read, so an unreadable file is one line naming it, not a usage error
    ),
    github_token_file: Path = typer.Option(
        None,
        "--github-token-file",
        help="File holding the GitHub token. [default: SHIPMATE_GITHUB_TOKEN_FILE, else GITHUB_TOKEN]",
        show_default=False,
        readable=False,
    ),
    work_dir: Path = typer.Option(
        Path(".shipmate-serve"), "--work-dir", help="Folder for the cached clones, one per repository."
    ),
    drain_seconds: float = typer.Option(
        30.0, "--drain-seconds", help="On SIGTERM, how long queued and running reviews may still take."
    ),
) -> None:
    """Serve the webhook until SIGTERM or Ctrl-C, then drain the queue."""
    from assistant.server.settings import load_serve_settings

    for name, value, lowest in (
        ("--concurrency", concurrency, 1),
        ("--queue-size", queue_size, 1),
        ("--max-body-bytes", max_body_bytes, 1024),
        ("--port", port, 0),
    ):
        if value < lowest:
            raise InputError(name, f"must be at least {lowest}, not {value}")
    if drain_seconds < 0:
        raise InputError("--drain-seconds", "must not be negative")
    settings = load_serve_settings(
        os.environ,
        secret_file=secret_file,
        github_token_file=github_token_file,
        allow_repos=allow_repo or (),
        host=host,
        port=port,
        concurrency=concurrency,
        queue_size=queue_size,
        max_body_bytes=max_body_bytes,
        work_dir=work_dir,
        drain_seconds=drain_seconds,
    )
    if settings.github_token is None:
        raise InputError(
            "GITHUB_TOKEN",
            "missing: set it or pass --github-token-file (the server needs it to fetch pull requests"
            " and post reviews)",
        )
    try:
        settings.work_dir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise InputError(str(settings.work_dir), f"cannot create the work folder ({err.strerror})") from err

    from assistant.server.runner import GitHubRunner
    from assistant.server.serving import run_server

    runner = GitHubRunner(
        work_dir=settings.work_dir.resolve(),
        token=settings.github_token,
        api_url=settings.github_api_url,
        explain=_model_summary(),
    )
    unfinished = run_server(settings, runner)
    if unfinished:
        # Review threads still running past the drain timeout cannot be joined: leave without them.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(1)


def _model_summary() -> Callable[[ReviewReport], ModelSummary] | None:
    """With a model configured (SHIPMATE_MODEL or config), each review gets its summary; else none."""
    from assistant.config import load_settings

    loaded = load_settings()
    if not loaded.settings.model:
        return None
    from assistant.prbot.explain import explain_review

    return lambda report: explain_review(report, loaded)
