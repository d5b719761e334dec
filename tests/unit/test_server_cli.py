"""`shipmate serve` on the command line: refusals before anything starts, and a light --help."""

from __future__ import annotations

import subprocess
import sys

import pytest
import typer
from typer.testing import CliRunner

from assistant.cli import serve_cmd
from tools.errors import InputError


def serve_app() -> typer.Typer:
    app = typer.Typer(add_completion=False, rich_markup_mode=None)

    @app.callback()
    def _root() -> None:
        """Test root."""

    app.command("serve", help=serve_cmd.HELP)(serve_cmd.serve)
    return app


def refusal(args: list[str], env: dict[str, str]) -> str:
    result = CliRunner().invoke(serve_app(), ["serve", *args], env=env)
    assert isinstance(result.exception, InputError), result.output
    message = str(result.exception)
    assert "\n" not in message
    return message


@pytest.fixture
def no_server_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SHIPMATE_WEBHOOK_SECRET", "SHIPMATE_ALLOWED_REPOS", "GITHUB_TOKEN", "GITHUB_API_URL"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.usefixtures("no_server_env")
def test_refuses_to_start_without_a_secret() -> None:
    message = refusal(["--allow-repo", "acme/api"], {"GITHUB_TOKEN": "t"})
    assert message.startswith("webhook secret: missing: set SHIPMATE_WEBHOOK_SECRET or pass --secret-file")


@pytest.mark.usefixtures("no_server_env")
def test_refuses_to_start_without_an_allowlist_or_a_token() -> None:
    env = {"SHIPMATE_WEBHOOK_SECRET": "s"}
    assert refusal([], {**env, "GITHUB_TOKEN": "t"}).startswith("allowed repositories: none")
    assert refusal(["--allow-repo", "acme"], env).startswith("acme: not a repository pattern")
    assert refusal(["--allow-repo", "acme/api"], env).startswith("GITHUB_TOKEN: missing")
    assert (
        refusal(["--allow-repo", "acme/api", "--concurrency", "0"], env)
        == "--concurrency: must be at least 1, not 0"
    )


def test_help_describes_the_command_and_imports_no_server_library() -> None:
    result = CliRunner().invoke(serve_app(), ["serve", "--help"])
    assert result.exit_code == 0
    for text in ("--allow-repo", "--secret-file", "--drain-seconds", "SHIPMATE_WEBHOOK_SECRET", "/readyz"):
        assert text in result.output
    code = (
        "import sys\nfrom typer.testing import CliRunner\nimport typer\nfrom assistant.cli import serve_cmd\n"
        "app = typer.Typer()\napp.callback()(lambda: None)\napp.command('serve')(serve_cmd.serve)\n"
        "assert CliRunner().invoke(app, ['serve', '--help']).exit_code == 0\n"
        "print(','.join(m for m in ('fastapi', 'uvicorn', 'starlette', 'prometheus_client', 'git') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
