"""Switching policies off: the shipmate.dev/ignore annotation per object, and the run's options."""

from __future__ import annotations

from pathlib import Path

from tests.unit.test_k8s_policies_walker import HARDENED, broken, ids, run

PRIVILEGED = broken(
    "            allowPrivilegeEscalation: false\n",
    "            allowPrivilegeEscalation: false\n            privileged: true\n",
    broken("registry.example.com/web:1.2.3", "registry.example.com/web:latest"),
)


def test_the_broken_manifest_reports_both(tmp_path: Path) -> None:
    assert {"K8S_PRIVILEGED", "K8S_LATEST_TAG"} <= ids(run(tmp_path, PRIVILEGED))


def test_annotation_on_the_object_suppresses_the_named_ids_only(tmp_path: Path) -> None:
    text = broken(
        "  name: web\n  namespace: shop\n",
        '  name: web\n  namespace: shop\n  annotations:\n    shipmate.dev/ignore: "K8S_PRIVILEGED,K8S_LATEST_TAG"\n',
        PRIVILEGED,
    )
    found = ids(run(tmp_path, text))
    assert not found & {"K8S_PRIVILEGED", "K8S_LATEST_TAG"}
    assert ids(run(tmp_path, broken("K8S_PRIVILEGED,K8S_LATEST_TAG", "K8S_PRIVILEGED", text))) & {
        "K8S_PRIVILEGED",
        "K8S_LATEST_TAG",
    } == {"K8S_LATEST_TAG"}


def test_annotation_on_the_pod_template_counts_too(tmp_path: Path) -> None:
    text = broken(
        "      labels: {app: web}\n",
        "      labels: {app: web}\n      annotations: {shipmate.dev/ignore: k8s_privileged k8s_latest_tag}\n",
        PRIVILEGED,
    )
    assert not ids(run(tmp_path, text)) & {"K8S_PRIVILEGED", "K8S_LATEST_TAG"}


def test_annotation_on_a_cronjob_pod_template(tmp_path: Path) -> None:
    text = """\
apiVersion: batch/v1
kind: CronJob
metadata: {name: c, namespace: shop}
spec:
  schedule: "0 * * * *"
  jobTemplate:
    spec:
      template:
        metadata:
          annotations: {shipmate.dev/ignore: K8S_LATEST_TAG}
        spec:
          containers: [{name: a, image: busybox}]
"""
    found = ids(run(tmp_path, text))
    assert "K8S_LATEST_TAG" not in found
    assert "K8S_CPU_REQUEST" in found


def test_options_switch_ids_off_for_the_whole_run(tmp_path: Path) -> None:
    found = ids(run(tmp_path, PRIVILEGED, ignored=["K8S_PRIVILEGED", "k8s_latest_tag"]))
    assert not found & {"K8S_PRIVILEGED", "K8S_LATEST_TAG"}


def test_suppression_applies_to_set_checks(tmp_path: Path) -> None:
    no_budget = HARDENED[: HARDENED.index("---\n")]
    assert "K8S_NO_PDB" in ids(run(tmp_path, no_budget))
    assert "K8S_NO_PDB" not in ids(run(tmp_path, no_budget, ignored=["K8S_NO_PDB"]))
    annotated = broken(
        "  name: web\n  namespace: shop\n",
        "  name: web\n  namespace: shop\n  annotations: {shipmate.dev/ignore: K8S_NO_PDB}\n",
        no_budget,
    )
    assert "K8S_NO_PDB" not in ids(run(tmp_path, annotated))
