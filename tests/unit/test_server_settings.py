"""`shipmate serve` settings and signatures: what is refused before the server starts or parses."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.server.settings import (
    load_serve_settings,
    parse_allowlist,
    read_github_token,
    read_secret,
    repo_allowed,
)
from assistant.server.signatures import sign, signature_valid
from tools.errors import InputError

ENV = {"SHIPMATE_WEBHOOK_SECRET": "s3cret", "SHIPMATE_ALLOWED_REPOS": "acme/api, acme/web"}


def test_signature_of_the_raw_body_is_checked() -> None:
    body = b'{"zen": "Keep it logically awesome."}'
    header = sign("s3cret", body)
    assert header.startswith("sha256=")
    assert len(header) == 7 + 64
    assert signature_valid("s3cret", body, header)
    assert not signature_valid("s3cret", body + b" ", header)
    assert not signature_valid("other", body, header)
    assert not signature_valid("s3cret", body, None)
    assert not signature_valid("s3cret", body, header.replace("sha256=", "sha1="))
    assert not signature_valid("s3cret", body, "sha256=" + "0" * 64)


def test_github_documented_example_signature() -> None:
    # From GitHub's "Validating webhook deliveries" page.
    assert (
        sign("It's a Secret to Everybody", b"Hello, World!")
        == "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
    )


def test_allowlist_patterns() -> None:
    assert parse_allowlist(["acme/api, acme/*", " other/x "]) == ["acme/api", "acme/*", "other/x"]
    assert repo_allowed("acme/api", ["acme/api"])
    assert repo_allowed("ACME/Anything", ["acme/*"])
    assert not repo_allowed("acme-evil/api", ["acme/*"])
    assert not repo_allowed("other/api", ["acme/api"])
    assert not repo_allowed("acme", ["acme/*"])
    assert not repo_allowed("acme/api", [])
    for bad in ("acme", "*/*", "acme/api/x", "ac me/api", "https://github.com/acme/api"):
        with pytest.raises(InputError, match="owner/name"):
            parse_allowlist([bad])


def test_settings_from_environment_and_flags(tmp_path: Path) -> None:
    settings = load_serve_settings(ENV, port=9000, concurrency=None)
    assert settings.allowed_repos == ["acme/api", "acme/web"]
    assert settings.port == 9000
    assert settings.concurrency == 2
    assert settings.secret.get_secret_value() == "s3cret"
    assert "s3cret" not in repr(settings)
    assert settings.github_token is None
    assert settings.github_api_url == "https://api.github.com"
    secret_file = tmp_path / "secret"
    secret_file.write_text("from-file\n")
    flagged = load_serve_settings(
        {**ENV, "GITHUB_TOKEN": "ghs_x"}, secret_file=secret_file, allow_repos=["acme/*"]
    )
    assert flagged.secret.get_secret_value() == "from-file"
    assert flagged.allowed_repos == ["acme/*"]
    assert flagged.github_token is not None


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"SHIPMATE_ALLOWED_REPOS": "acme/api"}, "webhook secret: missing: set SHIPMATE_WEBHOOK_SECRET"),
        ({"SHIPMATE_WEBHOOK_SECRET": " ", "SHIPMATE_ALLOWED_REPOS": "a/b"}, "webhook secret: missing"),
        ({"SHIPMATE_WEBHOOK_SECRET": "x"}, "allowed repositories: none: set SHIPMATE_ALLOWED_REPOS"),
        ({"SHIPMATE_WEBHOOK_SECRET": "x", "SHIPMATE_ALLOWED_REPOS": " , "}, "allowed repositories: none"),
    ],
)
def test_refuses_to_start_without_secret_or_allowlist(environ: dict[str, str], expected: str) -> None:
    with pytest.raises(InputError) as caught:
        load_serve_settings(environ)
    assert str(caught.value).startswith(expected)
    assert "\n" not in str(caught.value)


def test_secret_file_problems(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read the secret file"):
        read_secret(tmp_path / "missing", {})
    empty = tmp_path / "empty"
    empty.write_text("\n")
    with pytest.raises(InputError, match="the secret file is empty"):
        read_secret(empty, {"SHIPMATE_WEBHOOK_SECRET": "env-is-not-used-when-a-file-is-named"})


def test_github_token_from_the_flag_file_then_the_variable_file_then_the_variable(tmp_path: Path) -> None:
    flagged, named = tmp_path / "flagged", tmp_path / "named"
    flagged.write_text("  ghs_fromFlagFile\n")
    named.write_text("ghs_fromEnvFile\n")
    environ = {"SHIPMATE_GITHUB_TOKEN_FILE": str(named), "GITHUB_TOKEN": "ghs_fromEnv"}

    def token(path: Path | None, env: dict[str, str]) -> str | None:
        found = read_github_token(path, env)
        return None if found is None else found.get_secret_value()

    assert token(flagged, environ) == "ghs_fromFlagFile"
    assert token(None, environ) == "ghs_fromEnvFile"
    assert token(None, {"SHIPMATE_GITHUB_TOKEN_FILE": " ", "GITHUB_TOKEN": "ghs_fromEnv"}) == "ghs_fromEnv"
    assert token(None, {}) is None
    settings = load_serve_settings({**ENV, "GITHUB_TOKEN": "ghs_fromEnv"}, github_token_file=flagged)
    assert settings.github_token is not None
    assert settings.github_token.get_secret_value() == "ghs_fromFlagFile"
    assert "ghs_fromFlagFile" not in repr(settings)


def test_token_file_problems_are_one_line_naming_the_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.write_text(" \n")
    binary = tmp_path / "binary"
    binary.write_bytes(b"\xff\xfe\x00")
    cases = [
        (tmp_path / "missing", "cannot read the token file (No such file or directory)"),
        (empty, "the token file is empty"),
        (tmp_path, "cannot read the token file (Is a directory)"),
        (binary, "the token file is not UTF-8 text"),
    ]
    for path, problem in cases:
        # A named file that fails is an error, never a silent fall back to GITHUB_TOKEN.
        with pytest.raises(InputError) as caught:
            read_github_token(path, {"GITHUB_TOKEN": "ghs_notUsed"})
        assert str(caught.value) == f"{path}: {problem}"
    with pytest.raises(InputError, match="cannot read the token file"):
        load_serve_settings({**ENV, "SHIPMATE_GITHUB_TOKEN_FILE": str(tmp_path / "missing")})


def test_out_of_range_flag_is_one_line() -> None:
    with pytest.raises(InputError, match=r"^--port: input should be less than or equal to 65535$"):
        load_serve_settings(ENV, port=70000)
    with pytest.raises(InputError, match=r"^--queue-size: "):
        load_serve_settings(ENV, queue_size=0)
