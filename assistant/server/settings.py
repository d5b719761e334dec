"""Settings of `shipmate serve`: flags over environment variables, checked before anything starts."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from pydantic import BaseModel, Field, SecretStr, ValidationError

from tools.errors import InputError

SECRET_ENV = "SHIPMATE_WEBHOOK_SECRET"
ALLOWED_ENV = "SHIPMATE_ALLOWED_REPOS"
TOKEN_ENV = "GITHUB_TOKEN"
TOKEN_FILE_ENV = "SHIPMATE_GITHUB_TOKEN_FILE"
_PATTERN = re.compile(r"^[A-Za-z0-9_.-]+/(\*|[A-Za-z0-9_.-]+)$")


class ServeSettings(BaseModel):
    """Everything the webhook server needs; secrets stay SecretStr so they never print."""

    host: str = "127.0.0.1"
    port: int = Field(8080, ge=0, le=65535)
    concurrency: int = Field(2, ge=1, le=64, description="Reviews running at the same time.")
    queue_size: int = Field(50, ge=1, description="Jobs waiting at most; more get 503 + Retry-After.")
    max_body_bytes: int = Field(1_000_000, ge=1024)
    allowed_repos: list[str] = Field(description="owner/name or owner/* patterns; nothing else is served.")
    secret: SecretStr = Field(description="The webhook's HMAC secret.")
    work_dir: Path = Field(Path(".shipmate-serve"), description="Cached clones, one per repository.")
    drain_seconds: float = Field(30.0, ge=0, description="How long shutdown waits for queued jobs.")
    github_token: SecretStr | None = None
    github_api_url: str = "https://api.github.com"
    remembered_deliveries: int = Field(10_000, ge=1, description="Delivery ids kept to refuse replays.")
    retry_after_seconds: int = Field(10, ge=1, description="Retry-After sent with 503.")


def parse_allowlist(values: Sequence[str]) -> list[str]:
    """Patterns from flags or a comma/space separated variable; InputError naming a malformed one."""
    patterns: list[str] = []
    for value in values:
        for item in re.split(r"[,\s]+", value.strip()):
            if not item:
                continue
            if not _PATTERN.match(item):
                raise InputError(item, "not a repository pattern: use owner/name or owner/*")
            patterns.append(item)
    return patterns


def repo_allowed(repository: str, patterns: Sequence[str]) -> bool:
    """True when owner/name matches one pattern (case-insensitive, as GitHub names are)."""
    owner, _, name = repository.lower().partition("/")
    if not owner or not name:
        return False
    for pattern in patterns:
        p_owner, _, p_name = pattern.lower().partition("/")
        if p_owner == owner and p_name in ("*", name):
            return True
    return False


def _read_file(path: Path, what: str) -> SecretStr:
    """The stripped text of a mounted secret file; InputError naming the file when unreadable or empty."""
    try:
        text = path.read_text(encoding="utf-8").strip()
    except OSError as err:
        raise InputError(str(path), f"cannot read the {what} file ({err.strerror})") from err
    except UnicodeDecodeError as err:
        raise InputError(str(path), f"the {what} file is not UTF-8 text") from err
    if not text:
        raise InputError(str(path), f"the {what} file is empty")
    return SecretStr(text)


def read_secret(secret_file: Path | None, environ: Mapping[str, str]) -> SecretStr:
    """The HMAC secret from --secret-file (first) or SHIPMATE_WEBHOOK_SECRET; InputError when absent."""
    if secret_file is not None:
        return _read_file(secret_file, "secret")
    text = environ.get(SECRET_ENV, "").strip()
    if not text:
        raise InputError(
            "webhook secret",
            f"missing: set {SECRET_ENV} or pass --secret-file (unsigned webhooks are refused)",
        )
    return SecretStr(text)


def read_github_token(token_file: Path | None, environ: Mapping[str, str]) -> SecretStr | None:
    """The GitHub token from --github-token-file, else SHIPMATE_GITHUB_TOKEN_FILE, else GITHUB_TOKEN.

    A named file must be readable and non-empty (InputError otherwise); no source at all gives None.
    """
    if token_file is None and environ.get(TOKEN_FILE_ENV, "").strip():
        token_file = Path(environ[TOKEN_FILE_ENV].strip())
    if token_file is not None:
        return _read_file(token_file, "token")
    text = environ.get(TOKEN_ENV, "").strip()
    return SecretStr(text) if text else None


def load_serve_settings(
    environ: Mapping[str, str],
    *,
    secret_file: Path | None = None,
    github_token_file: Path | None = None,
    allow_repos: Sequence[str] = (),
    **flags: object,
) -> ServeSettings:
    """Settings from flags (`flags` with None meaning "not given") over the environment."""
    secret = read_secret(secret_file, environ)
    patterns = (
        parse_allowlist(allow_repos) if allow_repos else parse_allowlist([environ.get(ALLOWED_ENV, "")])
    )
    if not patterns:
        raise InputError(
            "allowed repositories", f"none: set {ALLOWED_ENV} or pass --allow-repo owner/name (or owner/*)"
        )
    values: dict[str, object] = {
        "allowed_repos": patterns,
        "secret": secret,
        "github_token": read_github_token(github_token_file, environ),
        "github_api_url": environ.get("GITHUB_API_URL", "").strip() or "https://api.github.com",
    }
    values.update({key: value for key, value in flags.items() if value is not None})
    try:
        return ServeSettings.model_validate(values)
    except ValidationError as err:
        first = err.errors()[0]
        where = "--" + "-".join(str(part) for part in first["loc"]).replace("_", "-")
        raise InputError(where, first["msg"].lower()) from err
