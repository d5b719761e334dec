"""Secrets are masked by detect-secrets' detectors and our own free-text patterns."""

from __future__ import annotations

import pytest

from tools.redaction.secrets import MASK, Redactor

SECRETS = [
    ("postgres://app:S3cr3tPassw0rd!@db:5432/app", "S3cr3tPassw0rd!"),
    (
        "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    ),
    ("aws_access_key_id = AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLE"),
    (
        "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJlc2lnbmF0dXJl",
        "eyJhbGciOiJIUzI1NiJ9",
    ),
    ("cloning with ghp_abcdefghijklmnopqrstuvwxyz0123456789", "ghp_abcdefghijklmnopqrstuvwxyz0123456789"),
    ("OPENAI_API_KEY: sk-proj-abcdefghijklmnopqrstuvwx", "sk-proj-abcdefghijklmnopqrstuvwx"),
    ('{"password": "Sup3rS3cret!", "user": "app"}', "Sup3rS3cret!"),
    ("curl -H 'X-Api-Key: 0123456789abcdef0123' https://api", "0123456789abcdef0123"),
    ("gitlab token glpat-abcdefghij0123456789", "glpat-abcdefghij0123456789"),
]


@pytest.mark.parametrize(("line", "secret"), SECRETS)
def test_secret_is_masked(line: str, secret: str) -> None:
    redacted = Redactor().redact(line)
    assert secret not in redacted
    assert MASK in redacted


def test_a_secret_seen_once_is_masked_everywhere_after() -> None:
    redactor = Redactor()
    redactor.redact("export DB_PASSWORD=hunter2hunter2")
    assert redactor.redact("login with hunter2hunter2 failed") == f"login with {MASK} failed"


@pytest.mark.parametrize(
    "line",
    [
        'Error: secret "db-credentials" not found',
        "    SecretName:  db-credentials",
        "      DB_PASSWORD:  <set to the key 'password' in secret 'db'>  Optional: false",
        "x509: certificate signed by unknown authority",
        "dial tcp 10.0.0.5:5432: connect: connection refused",
        'FATAL:  password authentication failed for user "app"',
    ],
)
def test_diagnostic_text_is_left_alone(line: str) -> None:
    assert Redactor().redact(line) == line


def test_private_key_block_is_masked() -> None:
    block = "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7bq98v4m0pZ0Xb1uCk2mRUoj4Hk2p6M9H6ZtkPzV0k3L\n-----END RSA"
    assert "MIIEpAIBAAKCAQEA7bq98" not in Redactor().redact(block)


@pytest.mark.parametrize(
    "line",
    [
        "automountServiceAccountToken: false",
        "token: true",
        "password: null",
        'password: "false"',
        "secret: ~",
    ],
)
def test_plain_scalars_after_credential_keys_are_not_secrets(line: str) -> None:
    assert Redactor().redact(line) == line
