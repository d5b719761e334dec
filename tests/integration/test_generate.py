"""Blueprints validate clean for every parameter combination we test, and `shipmate generate` proposes them."""

from __future__ import annotations

import itertools
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.integration.test_cli import one_line_error, run
from tools.blueprints.registry import generate_blueprint
from tools.errors import InputError

COMBINATIONS = [
    {
        "image": image,
        "replicas": replicas,
        "autoscale_max": autoscale,
        "host": host,
        "health_path": health,
        "port": port,
    }
    for image, replicas, autoscale, host, health, port in itertools.product(
        ["nginxinc/nginx-unprivileged:1.27", "ghcr.io/acme/api@sha256:" + "b" * 64],
        ["1", "3"],
        ["0", "10"],
        ["", "api.example.com"],
        ["", "/healthz"],
        ["80", "8080"],
    )
]


@pytest.mark.parametrize("given", COMBINATIONS, ids=lambda g: "-".join(str(v)[:12] for v in g.values()))
def test_web_service_validates_clean(given: dict[str, Any]) -> None:
    generated = generate_blueprint("k8s-web-service", given)
    report = generated.validation
    assert (report.counts.invalid, report.counts.errors) == (0, 0)
    assert [f.id for f in report.findings] == []  # not only no high finding: none at all
    objects = [d for f in generated.files for d in yaml.safe_load_all(f.text)]
    kinds = [o["kind"] for o in objects]
    assert kinds[:2] == ["Deployment", "Service"]
    assert ("HorizontalPodAutoscaler" in kinds) == (int(given["autoscale_max"]) > int(given["replicas"]))
    assert ("Ingress" in kinds) == bool(given["host"])
    assert ("PodDisruptionBudget" in kinds) == (
        int(given["replicas"]) > 1 or "HorizontalPodAutoscaler" in kinds
    )
    container = objects[0]["spec"]["template"]["spec"]["containers"][0]
    assert container["image"] == given["image"]
    assert container["ports"][0]["containerPort"] == int(given["port"])


def test_unknown_and_bad_parameters_are_clear() -> None:
    with pytest.raises(InputError, match="has no such parameter"):
        generate_blueprint("k8s-web-service", {"image": "a:1", "replica": "3"})
    with pytest.raises(InputError, match="not a whole number"):
        generate_blueprint("k8s-web-service", {"image": "a:1", "replicas": "three"})
    with pytest.raises(InputError, match="needs it"):
        generate_blueprint("k8s-web-service", {})
    with pytest.raises(InputError, match="is not one of"):
        generate_blueprint("k8s-cathedral", {})


def test_cli_prints_with_stdout_and_the_output_validates(tmp_path: Path) -> None:
    result = run(
        "generate",
        "k8s",
        "deploy nginxinc/nginx-unprivileged:1.27 with 3 replicas, autoscale to 6",
        "--stdout",
    )
    assert result.returncode == 0, result.stderr
    (tmp_path / "out.yaml").write_bytes(result.stdout)
    validated = run("validate", str(tmp_path / "out.yaml"), "-f", "json")
    assert validated.returncode == 0, validated.stdout


def test_cli_writes_only_through_an_approved_proposal(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    ask = ("generate", "k8s", "deploy ghcr.io/acme/api:1.4.2 on port 8000", "--out", "k8s")
    shown = run(*ask, cwd=repo)
    assert "+++ b/k8s/api.yaml" in shown.stdout.decode()
    assert not (repo / "k8s").exists()
    proposal = re.search(r"--yes (edit-[0-9a-f]+)", shown.stderr.decode())
    assert proposal is not None
    applied = run(*ask, "--yes", proposal.group(1), cwd=repo)
    assert f"{proposal.group(1)}: applied" in applied.stderr.decode()
    assert "image: ghcr.io/acme/api:1.4.2" in (repo / "k8s" / "api.yaml").read_text()


def test_cli_refuses_an_ask_it_cannot_serve() -> None:
    one_line_error(run("generate", "k8s", "make me a sandwich"), "supported kubernetes blueprints")
    one_line_error(run("generate", "k8s", "deploy web:1", "--set", "replicas"), "expected key=value")


def test_cli_terraform_module_is_proposed_in_its_own_folder(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    ask = ("generate", "terraform", "an S3 bucket named acme-logs in eu-west-1", "--offline")
    shown = run(*ask, cwd=repo)
    assert shown.returncode == 0, shown.stderr
    for name in ("main.tf", "variables.tf", "outputs.tf", "versions.tf", "terraform.tfvars"):
        assert f"+++ b/tf-aws-s3/{name}" in shown.stdout.decode()
    assert not (repo / "tf-aws-s3").exists()
    ids = re.findall(r"--yes (edit-[0-9a-f]+)", shown.stderr.decode())
    assert len(ids) >= 5
    applied = run(*ask, *[arg for proposal in ids for arg in ("--yes", proposal)], cwd=repo)
    assert applied.returncode == 0, applied.stderr
    assert (
        'region                             = "eu-west-1"'
        in (repo / "tf-aws-s3" / "terraform.tfvars").read_text()
    )
    validated = run("validate", str(repo / "tf-aws-s3"), "-f", "json")
    assert validated.returncode == 0, validated.stdout


def test_cli_stdout_marks_each_file_of_a_module() -> None:
    result = run("generate", "tf", "an ECR repository named api", "--offline", "--stdout")
    assert result.returncode == 0, result.stderr
    heads = re.findall(r"^# --- (\S+)$", result.stdout.decode(), re.MULTILINE)
    assert set(heads) >= {"main.tf", "variables.tf", "outputs.tf", "versions.tf", "terraform.tfvars"}


def test_cli_an_ambiguous_ask_names_the_candidates_and_how_to_choose() -> None:
    one_line_error(
        run("generate", "terraform", "a bucket with versioning", "--offline"),
        "fits several blueprints equally: tf-aws-s3 (name, region",
    )
    chosen = run("generate", "terraform", "a bucket with versioning", "-b", "tf-aws-s3", "--stdout")
    assert chosen.returncode == 0, chosen.stderr
    one_line_error(run("generate", "terraform", "x", "-b", "k8s-web-service"), "is a kubernetes blueprint")


def test_cli_a_missing_required_parameter_names_the_set_to_give() -> None:
    one_line_error(run("generate", "terraform", "a gcs bucket on google cloud", "--offline"), "--set project")
