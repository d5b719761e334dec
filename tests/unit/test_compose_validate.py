"""The Compose validator: the specification's schema, undefined references, COMPOSE_* checks, bad input."""

from __future__ import annotations

import pytest

from tools.compose.catalogue import CHECKS
from tools.compose.schema import compose_schema, schema_errors
from tools.compose.validate import validate_compose_text
from tools.findings import Severity
from tools.validation.report import ResourceStatus

HARDENED = """\
services:
  web:
    image: ghcr.io/acme/web:1.4.2
    user: "10001:10001"
    read_only: true
    cap_drop: [ALL]
    security_opt: ["no-new-privileges:true"]
    healthcheck:
      test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/healthz"]
    deploy:
      replicas: 2
      resources:
        limits: {cpus: "0.50", memory: 256M}
    networks: [frontend]
networks:
  frontend: {}
"""


def ids(text: str) -> list[str]:
    return [f.id for f in validate_compose_text(text, "compose.yaml").findings]


def test_a_hardened_file_is_valid_with_no_findings() -> None:
    report = validate_compose_text(HARDENED, "compose.yaml")
    assert report.target == "compose"
    assert (report.counts.files, report.counts.resources, report.counts.valid) == (1, 1, 1)
    assert report.findings == []
    assert report.results == []


def test_every_service_is_a_resource() -> None:
    two = HARDENED.replace("services:\n", "services:\n  worker:\n    image: ghcr.io/acme/w:1.0\n", 1)
    report = validate_compose_text(two, "compose.yaml")
    assert (report.counts.resources, report.counts.valid, report.counts.invalid) == (2, 2, 0)
    assert {f.resource for f in report.findings} == {"service/worker"}


def test_a_misspelt_key_makes_the_service_invalid_naming_service_and_field() -> None:
    report = validate_compose_text(HARDENED.replace("read_only", "readonly"), "compose.yaml")
    assert (report.counts.resources, report.counts.invalid) == (1, 1)
    [result] = report.results
    assert result.resource == "service/web"
    assert result.status is ResourceStatus.INVALID
    assert result.messages == [
        "services.web: Additional properties are not allowed ('readonly' was unexpected)"
    ]
    schema = [f for f in report.findings if f.id == "COMPOSE_SCHEMA"]
    assert [(f.severity, f.field_path, f.evidence[0].line) for f in schema] == [
        (Severity.HIGH, "services.web", 2)
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ("replicas: 2", "replicas: [2]"),
            'services.web.deploy.replicas: [2] is not of types "integer", "string"',
        ),
        (("cap_drop: [ALL]", "cap_drop: ALL"), 'services.web.cap_drop: "ALL" is not of type "array"'),
        (("memory: 256M", "memory: [1]"), "services.web.deploy.resources.limits.memory"),
        (("image: ghcr.io/acme/web:1.4.2", "image:"), 'services.web.image: null is not of type "string"'),
        (("test: [", "test: 5 #["), "services.web.healthcheck.test: 5 is not of type string, array"),
        (("deploy:\n", "deploy:\n      replica: 3\n"), "services.web.deploy: Additional properties"),
    ],
)
def test_schema_errors_name_the_field(change: tuple[str, str], message: str) -> None:
    report = validate_compose_text(HARDENED.replace(*change, 1), "compose.yaml")
    assert report.counts.invalid == 1
    assert any(m.startswith(message) for m in report.results[0].messages), report.results[0].messages


def test_extension_keys_interpolation_and_newer_keys_are_valid() -> None:
    text = HARDENED.replace(
        "    networks: [frontend]\n",
        "    networks: [frontend]\n    x-team: payments\n    gpus: all\n    post_start: [{command: echo hi}]\n"
        "    develop:\n      watch: [{path: ./src, action: sync, target: /app}]\n",
    ).replace("replicas: 2", "replicas: ${REPLICAS:-2}")
    assert schema_errors(_load(text)) == []
    assert validate_compose_text("x-common: &c {restart: always}\n" + text, "c.yaml").counts.valid == 1


def test_problems_outside_services_make_the_top_level_one_invalid_resource() -> None:
    report = validate_compose_text(HARDENED + "volumez: {}\n", "compose.yaml")
    assert (report.counts.resources, report.counts.valid, report.counts.invalid) == (2, 1, 1)
    assert report.results[0].resource == "(top level)"
    assert "'volumez' was unexpected" in report.results[0].messages[0]


@pytest.mark.parametrize(
    ("addition", "message"),
    [
        ("    secrets: [db_password]\n", "services.web.secrets[0]: refers to undefined secret db_password"),
        ("    volumes: ['data:/var/lib/data']\n", "services.web.volumes[0]: refers to undefined volume data"),
    ],
)
def test_undefined_references_are_errors(addition: str, message: str) -> None:
    text = HARDENED.replace("    networks: [frontend]\n", "    networks: [frontend, backend]\n" + addition)
    report = validate_compose_text(text, "compose.yaml")
    assert report.counts.invalid == 1
    assert "services.web.networks[1]: refers to undefined network backend" in report.results[0].messages
    assert message in report.results[0].messages
    assert "COMPOSE_UNDEFINED_REFERENCE" in [f.id for f in report.findings]


def test_bind_mounts_and_defined_names_are_not_undefined_references() -> None:
    text = HARDENED.replace(
        "    networks: [frontend]\n",
        "    networks: [frontend]\n    volumes: ['./conf:/etc/app:ro', 'data:/data', '/srv/x:/x']\n",
    )
    assert validate_compose_text(text + "volumes:\n  data: {}\n", "c.yaml").counts.invalid == 0


@pytest.mark.parametrize(
    ("change", "expected", "severity"),
    [
        (("read_only: true", "read_only: true\n    privileged: true"), "COMPOSE_PRIVILEGED", Severity.HIGH),
        (
            (
                "read_only: true",
                "read_only: true\n    volumes: ['/var/run/docker.sock:/var/run/docker.sock']",
            ),
            "COMPOSE_DOCKER_SOCKET",
            Severity.HIGH,
        ),
        (
            ("read_only: true", "read_only: true\n    network_mode: host"),
            "COMPOSE_HOST_NETWORK",
            Severity.HIGH,
        ),
        (("read_only: true", "read_only: true\n    pid: host"), "COMPOSE_HOST_NAMESPACE", Severity.HIGH),
        (
            ("cap_drop: [ALL]", "cap_drop: [ALL]\n    cap_add: [ALL]"),
            "COMPOSE_DANGEROUS_CAPABILITY",
            Severity.HIGH,
        ),
        (("cap_drop: [ALL]", "cap_drop: [NET_RAW]"), "COMPOSE_CAPABILITIES_NOT_DROPPED", Severity.LOW),
        (('user: "10001:10001"', "user: root"), "COMPOSE_RUN_AS_ROOT", Severity.MEDIUM),
        (('    user: "10001:10001"\n', ""), "COMPOSE_RUN_AS_ROOT", Severity.MEDIUM),
        (
            ('security_opt: ["no-new-privileges:true"]', "security_opt: []"),
            "COMPOSE_NO_NEW_PRIVILEGES",
            Severity.MEDIUM,
        ),
        (("read_only: true", "read_only: false"), "COMPOSE_WRITABLE_ROOT_FS", Severity.LOW),
        (
            ('limits: {cpus: "0.50", memory: 256M}', 'limits: {cpus: "0.50"}'),
            "COMPOSE_NO_RESOURCE_LIMITS",
            Severity.MEDIUM,
        ),
        (("ghcr.io/acme/web:1.4.2", "ghcr.io/acme/web"), "COMPOSE_LATEST_TAG", Severity.MEDIUM),
        (("ghcr.io/acme/web:1.4.2", "ghcr.io/acme/web:latest"), "COMPOSE_LATEST_TAG", Severity.MEDIUM),
        (
            ("read_only: true", "read_only: true\n    environment: {DB_PASSWORD: hunter2hunter2}"),
            "COMPOSE_SECRET_IN_ENVIRONMENT",
            Severity.HIGH,
        ),
        (
            ("read_only: true", "read_only: true\n    environment: [API_TOKEN=abcdef123456]"),
            "COMPOSE_SECRET_IN_ENVIRONMENT",
            Severity.HIGH,
        ),
    ],
)
def test_each_check_fires_with_its_severity(
    change: tuple[str, str], expected: str, severity: Severity
) -> None:
    report = validate_compose_text(HARDENED.replace(*change, 1), "compose.yaml")
    assert [f.id for f in report.findings] == [expected]
    finding = report.findings[0]
    assert finding.severity is severity is CHECKS[expected].severity
    assert finding.resource == "service/web"
    assert finding.evidence
    assert finding.evidence[0].source == "compose.yaml"
    assert finding.fix
    assert finding.references
    assert "hunter2" not in finding.model_dump_json()


def test_the_healthcheck_check_is_low_and_unsure_since_the_image_may_define_one() -> None:
    text = HARDENED.replace(HARDENED[HARDENED.index("    healthcheck:") : HARDENED.index("    deploy:")], "")
    [finding] = validate_compose_text(text, "compose.yaml").findings
    assert (finding.id, finding.severity, finding.confidence) == ("COMPOSE_NO_HEALTHCHECK", Severity.LOW, 0.7)


def test_secret_files_interpolation_and_digests_are_not_flagged() -> None:
    text = HARDENED.replace(
        "read_only: true",
        "read_only: true\n    environment:\n      DB_PASSWORD_FILE: /run/secrets/db\n      API_TOKEN: ${API_TOKEN}",
    ).replace("ghcr.io/acme/web:1.4.2", "ghcr.io/acme/web@sha256:" + "a" * 64)
    assert ids(text) == []


def test_a_duplicate_key_is_reported_low_with_its_line() -> None:
    text = HARDENED.replace("    read_only: true\n", "    read_only: true\n    read_only: true\n")
    [finding] = validate_compose_text(text, "compose.yaml").findings
    assert (finding.id, finding.severity, finding.evidence[0].line) == (
        "COMPOSE_DUPLICATE_KEY",
        Severity.LOW,
        6,
    )


BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
    for p, c in zip("abcdefg", "bcdefgh", strict=True)
)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty: no Compose file"),
        ("# only a comment\n", "empty: no Compose file"),
        ("services: [\n", "not valid YAML: "),
        ("services:\n\tweb: {}\n", "not valid YAML: "),
        (BOMB, "(a YAML bomb?)"),
        ("just words\n", "not a Compose file: the document is a single value, not a mapping"),
        ("- a\n- b\n", "not a Compose file: the document is a list, not a mapping"),
        ("services:\n", "no services"),
        ("version: '3.8'\n", "no services"),
        (HARDENED + "---\n" + HARDENED, "2 YAML documents"),
    ],
)
def test_bad_input_is_one_resource_in_error_with_a_clear_message(text: str, message: str) -> None:
    report = validate_compose_text(text, "bad.yaml")
    assert (report.counts.resources, report.counts.errors) == (1, 1)
    [result] = report.results
    assert result.status is ResourceStatus.ERROR
    assert message in result.messages[0]
    assert [f.id for f in report.findings] == ["COMPOSE_PARSE"]
    assert report.failed(Severity.HIGH)


def test_the_schema_is_closed_like_the_specification() -> None:
    schema = compose_schema()
    service = schema["$defs"]["Service"]
    assert service["additionalProperties"] is False
    assert service["patternProperties"] == {"^x-": {}}
    assert schema["additionalProperties"] is False
    assert service["properties"]["image"] == {"type": "string"}


def test_every_check_is_documented() -> None:
    for entry in CHECKS.values():
        assert entry.id.startswith("COMPOSE_")
        assert entry.title
        assert entry.rationale
        assert entry.fix
        assert entry.docs_url.startswith("https://docs.docker.com/")


def _load(text: str) -> object:
    import yaml

    return yaml.safe_load(text)
