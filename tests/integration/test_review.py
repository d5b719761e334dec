"""`review_change` on real git repositories: a realistic pull request against a clean shop repository."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.support.git_repos import GitRepo
from tools.errors import InputError
from tools.findings import Severity
from tools.review.models import ReviewFinding, ReviewReport
from tools.review.review import ReviewOptions, review_change

SHOP = Path(__file__).parent.parent / "data" / "review" / "shop"
OPEN_SSH = """
resource "aws_security_group" "admin" {
  name = "admin"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
"""


@pytest.fixture
def shop(tmp_path: Path) -> GitRepo:
    """The shop repository on main (clean but for one ConfigMap in the default namespace), on a branch."""
    repo = GitRepo(tmp_path / "shop")
    shutil.copytree(SHOP, repo.root, dirs_exist_ok=True)
    repo.commit("shop")
    repo.branch("feature")
    return repo


def edit(repo: GitRepo, name: str, old: str, new: str) -> None:
    path = repo.root / name
    text = path.read_text()
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new))


def found(report: ReviewReport, policy: str) -> list[ReviewFinding]:
    return [rf for rf in report.findings if rf.finding.id == policy]


def line_of(repo: GitRepo, name: str, text: str) -> int:
    lines = (repo.root / name).read_text().splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


def test_a_clean_change_has_nothing_new(shop: GitRepo) -> None:
    shop.commit(
        "more replicas",
        {
            "k8s/web/deployment.yaml": (SHOP / "k8s/web/deployment.yaml")
            .read_text()
            .replace("replicas: 2", "replicas: 3")
        },
    )
    report = review_change(shop.root, "main")
    assert report.counts.new == 0
    assert [f.path for f in report.files] == ["k8s/web/deployment.yaml"]
    assert report.files[0].kind == "kubernetes"
    assert report.files[0].changed_lines == [9]
    assert not report.failed(Severity.INFO)


def test_new_problems_on_changed_lines_in_a_manifest_a_module_and_a_kustomize_base(shop: GitRepo) -> None:
    edit(shop, "k8s/web/deployment.yaml", "ghcr.io/acme/web:1.4.2", "ghcr.io/acme/web:latest")
    edit(
        shop,
        "deploy/base/deployment.yaml",
        "runAsNonRoot: true\n        runAsUser: 10001\n",
        "runAsUser: 0\n",
    )
    (shop.root / "infra/modules/bucket/main.tf").write_text(
        (shop.root / "infra/modules/bucket/main.tf").read_text() + OPEN_SSH
    )
    shop.commit("feature")
    report = review_change(shop.root, "main")

    latest = found(report, "K8S_LATEST_TAG")
    assert [(rf.path, rf.line, rf.status, rf.on_changed_line) for rf in latest] == [
        ("k8s/web/deployment.yaml", line_of(shop, "k8s/web/deployment.yaml", "web:latest"), "new", True)
    ]
    ssh = found(report, "TF_AWS_SG_OPEN_SSH")
    assert len(ssh) == 1
    assert ssh[0].path == "infra/modules/bucket/main.tf"
    assert ssh[0].line == line_of(shop, "infra/modules/bucket/main.tf", "ingress {")
    assert ssh[0].on_changed_line
    assert ssh[0].status == "new"
    kinds = {f.path: f.kind for f in report.files}
    assert kinds == {
        "deploy/base/deployment.yaml": "kustomize",
        "infra/modules/bucket/main.tf": "terraform",
        "k8s/web/deployment.yaml": "kubernetes",
    }
    if shutil.which("kubectl"):
        # rendered twice (the base and the prod overlay), placed back on the base file's changed line
        root_user = found(report, "K8S_RUN_AS_ROOT")
        assert {rf.finding.resource for rf in root_user} == {"Deployment/api", "Deployment/prod-api"}
        line = line_of(shop, "deploy/base/deployment.yaml", "runAsUser: 0")
        assert {(rf.path, rf.line, rf.status) for rf in root_user} == {
            ("deploy/base/deployment.yaml", line, "new")
        }
        assert found(report, "K8S_NO_PDB")[0].status == "existing"
    # the existing ConfigMap finding is in a file the change did not touch: not reported
    assert not found(report, "K8S_DEFAULT_NAMESPACE")
    assert report.failed(ssh[0].finding.severity)


def test_a_change_that_breaks_an_untouched_file_is_reported_there(shop: GitRepo) -> None:
    edit(shop, "k8s/web/deployment.yaml", "app.kubernetes.io/name: web", "app.kubernetes.io/name: web-v2")
    shop.commit("rename the app label")
    report = review_change(shop.root, "main")
    broken = found(report, "K8S_SERVICE_NO_MATCH")
    assert [(rf.path, rf.status, rf.on_changed_line) for rf in broken] == [
        ("k8s/web/service.yaml", "new", False)
    ]


def test_existing_problems_follow_renames_and_fixed_ones_are_listed(shop: GitRepo) -> None:
    shop.git("mv", "k8s/web/config.yaml", "k8s/web/configmap.yaml")
    shop.commit("rename")
    report = review_change(shop.root, "main")
    assert [(f.path, f.old_path, f.status) for f in report.files] == [
        ("k8s/web/configmap.yaml", "k8s/web/config.yaml", "renamed")
    ]
    assert [(rf.finding.id, rf.status) for rf in report.findings] == [("K8S_DEFAULT_NAMESPACE", "existing")]
    assert not report.fixed

    edit(shop, "k8s/web/configmap.yaml", "  name: web-config\n", "  name: web-config\n  namespace: shop\n")
    shop.commit("namespace")
    report = review_change(shop.root, "main")
    assert report.counts.new == 0
    assert [(f.id, f.path) for f in report.fixed] == [("K8S_DEFAULT_NAMESPACE", "k8s/web/configmap.yaml")]


def test_a_changed_module_brings_its_callers_into_the_review(shop: GitRepo) -> None:
    edit(shop, "infra/modules/bucket/main.tf", 'variable "name" {', 'variable "bucket_name" {')
    shop.commit("rename the variable")
    report = review_change(shop.root, "main")
    undeclared = [rf for rf in report.findings if rf.status == "new"]
    assert undeclared, report
    paths = {rf.path for rf in undeclared}
    assert "infra/modules/bucket/main.tf" in paths  # var.name is now undeclared in the module


def test_suggestions_are_one_local_edit_that_fixes_the_finding(shop: GitRepo) -> None:
    text = (SHOP / "k8s/web/deployment.yaml").read_text()
    shop.commit(
        "api", {"k8s/api/deployment.yaml": text.replace("      automountServiceAccountToken: false\n", "")}
    )
    report = review_change(shop.root, "main")
    token = found(report, "K8S_SA_TOKEN_AUTOMOUNT")
    assert len(token) == 1
    suggestion = token[0].suggestion
    assert suggestion is not None
    changed = set(next(f for f in report.files if f.path == "k8s/api/deployment.yaml").changed_lines)
    assert set(range(suggestion.start_line, suggestion.end_line + 1)) <= changed
    lines = (shop.root / "k8s/api/deployment.yaml").read_text().splitlines(keepends=True)
    lines[suggestion.start_line - 1 : suggestion.end_line] = [suggestion.replacement]
    shop.commit("apply the suggestion", {"k8s/api/deployment.yaml": "".join(lines)})
    assert not found(review_change(shop.root, "main"), "K8S_SA_TOKEN_AUTOMOUNT")


def test_a_new_service_without_manifests_gets_generated_ones(shop: GitRepo) -> None:
    shop.commit(
        "billing",
        {
            "services/billing/Dockerfile": "FROM python:3.12-slim\nEXPOSE 9000\n",
            "services/billing/app.py": "print('hi')\n",
        },
    )
    report = review_change(shop.root, "main")
    assert len(report.generated) == 1
    generated = report.generated[0]
    assert generated.service == "services/billing"
    assert generated.parameters["port"] == "9000"
    assert generated.parameters["name"] == "billing"
    assert generated.problems == 0
    assert "containerPort: 9000" in "".join(generated.files.values())
    assert not review_change(shop.root, "main", options=ReviewOptions(generate=False)).generated
    # a change elsewhere does not hide the new service; manifests naming it anywhere do
    edit(shop, "k8s/web/deployment.yaml", "replicas: 2", "replicas: 3")
    shop.commit("unrelated")
    assert [g.service for g in review_change(shop.root, "main").generated] == ["services/billing"]
    billing = (SHOP / "k8s/web/service.yaml").read_text().replace("name: web", "name: billing")
    shop.commit("billing manifests", {"k8s/billing/service.yaml": billing})
    assert not review_change(shop.root, "main").generated


def test_a_chart_without_helm_is_a_note_and_remote_kustomizations_are_not_fetched(shop: GitRepo) -> None:
    shop.commit(
        "chart and remote base",
        {
            "charts/api/values.yaml": "replicas: 3\n",
            ".shipmate.toml": '[validation]\nignore = ["K8S_LATEST_TAG"]\n',
            "deploy/overlays/prod/kustomization.yaml": "resources:\n  - ../../base\n  - https://github.com/acme/x//deploy?ref=v1\n",
        },
    )
    report = review_change(shop.root, "main")
    assert any("not rendered (offline)" in note for note in report.notes)
    assert any("edits .shipmate.toml" in note for note in report.notes)
    if not shutil.which("helm"):
        assert any(note.startswith("charts/api: Helm chart not rendered") for note in report.notes)


def test_bad_files_in_a_change_are_reported_not_fatal(shop: GitRepo) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(8)
    )
    shop.commit(
        "bad files",
        {
            "k8s/bad/empty.yaml": "",
            "k8s/bad/binary.yaml": b"apiVersion: v1\nkind: \x00\xff\xfe\x00",
            "k8s/bad/latin1.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: caf\xe9\n".encode(
                "latin-1"
            ),
            "k8s/bad/bomb.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\n" + bomb,
            "k8s/bad/long.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: long\ndata:\n  x: "
            + "y" * 2_000_000
            + "\n",
            "logo.png": b"\x89PNG\r\n\x1a\n" + bytes(range(256)),
        },
    )
    report = review_change(shop.root, "main")
    assert next(f for f in report.files if f.path == "logo.png").binary
    assert report.counts.invalid_objects >= 2  # the binary and the latin-1 files cannot be read


def test_refs_and_folders_that_cannot_be_reviewed(shop: GitRepo, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a known commit"):
        review_change(shop.root, "no-such-branch")
    with pytest.raises(InputError, match="not a commit, branch or tag name"):
        review_change(shop.root, "--output=/tmp/x")
    (tmp_path / "plain").mkdir()
    with pytest.raises(InputError, match="not inside a git repository"):
        review_change(tmp_path / "plain", "main")
    lonely = GitRepo(tmp_path / "lonely", branch="trunk")
    lonely.commit("first", {"a.yaml": "x: 1\n"})
    with pytest.raises(InputError, match="no origin/HEAD"):
        review_change(lonely.root)
    with pytest.raises(InputError, match="no commits yet"):
        review_change(GitRepo(tmp_path / "empty").root, "main")


def test_the_bundled_pull_request_of_make_demo(tmp_path: Path) -> None:
    example = Path(__file__).parent.parent.parent / "examples" / "review"
    repo = GitRepo(tmp_path / "demo")
    shutil.copytree(example / "base", repo.root, dirs_exist_ok=True)
    repo.commit("shop")
    repo.branch("feature")
    shutil.copytree(example / "change", repo.root, dirs_exist_ok=True)
    repo.commit("feature")
    report = review_change(repo.root, "main")
    assert {rf.finding.id for rf in report.findings if rf.status == "new"} == {
        "TF_AWS_SG_OPEN_SSH",
        "K8S_LATEST_TAG",
        "K8S_SA_TOKEN_AUTOMOUNT",
    }
    assert [g.service for g in report.generated] == ["services/billing"]
    assert report.generated[0].problems == 0


def test_deleting_a_file_can_break_the_files_left(shop: GitRepo) -> None:
    shop.git("checkout", "-q", "main")
    shop.commit("ingress", {"k8s/web/ingress.yaml": INGRESS})
    shop.git("checkout", "-q", "-B", "feature")
    shop.remove("k8s/web/service.yaml")
    shop.commit("drop the service")
    report = review_change(shop.root, "main")
    assert [(f.path, f.status) for f in report.files] == [("k8s/web/service.yaml", "deleted")]
    # the untouched Ingress now routes to nothing (judged: the set still has a Service there)
    backend = found(report, "K8S_INGRESS_BACKEND")
    assert [(rf.path, rf.status, rf.on_changed_line) for rf in backend] == [
        ("k8s/web/ingress.yaml", "new", False)
    ]
    assert "no Service web" in backend[0].finding.evidence[0].text


INGRESS = """apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: shop
spec:
  ingressClassName: nginx
  tls:
    - hosts: [shop.example.com]
      secretName: shop-tls
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: web
                port:
                  number: 80
---
apiVersion: v1
kind: Service
metadata:
  name: admin
  namespace: shop
spec:
  selector:
    app.kubernetes.io/name: web
  ports:
    - name: http
      port: 8081
      targetPort: http
"""
