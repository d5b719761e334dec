"""The parts of `shipmate review`: Markdown safety, kustomize and chart placement, classification, diffs."""

from __future__ import annotations

from pathlib import Path

from assistant.render.md_safe import code, fenced, plain, prose
from tests.support.git_repos import GitRepo
from tools.findings import Evidence, Finding, Severity
from tools.repo._git import open_repo
from tools.review.diff import changed_files
from tools.review.kustomize_index import KustomizeIndex
from tools.review.rendered import place_helm_output, place_kustomize_output
from tools.review.units import file_kind

HELM_OUTPUT = """---
# Source: api/templates/service.yaml
apiVersion: v1
kind: Service
metadata:
  name: api
---
# Source: api/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  replicas: 2
"""


def finding(line: int, resource: str = "Deployment/api", field: str | None = None) -> Finding:
    return Finding(
        id="K8S_X",
        category="K8S_X",
        title="t",
        severity=Severity.LOW,
        evidence=[Evidence(source="rendered", line=line, text="x")],
        confidence=1.0,
        engine="policy",
        resource=resource,
        field_path=field,
    )


def test_plain_text_cannot_become_markup_links_or_mentions() -> None:
    text = plain("<b>hi</b> @octo [x](http://e) `tick` *bold*\nnext")
    assert "<b>" not in text
    assert "@\u200bocto" in text
    assert "\\[x\\]" in text
    assert "\n" not in text
    assert prose("see `x` <script> @team") == "see `x` &lt;script&gt; @\u200bteam"


def test_code_spans_and_fences_cannot_be_closed_from_inside() -> None:
    assert code("a`b") == "`` a`b ``"
    assert code("plain") == "`plain`"
    block = fenced("```\nrm -rf /\n```\n", "text")
    assert block.startswith("````text\n")
    assert block.endswith("\n````")


def test_kustomize_index_follows_bases_generators_and_skips_remote(tmp_path: Path) -> None:
    (tmp_path / "base").mkdir()
    (tmp_path / "base/kustomization.yaml").write_text(
        "resources: [deploy.yaml]\nconfigMapGenerator:\n  - name: c\n    files: [app.conf, key=other.conf]\n"
    )
    (tmp_path / "base/deploy.yaml").write_text("kind: Deployment\n")
    (tmp_path / "prod").mkdir()
    (tmp_path / "prod/kustomization.yaml").write_text(
        "resources: [../base]\npatches:\n  - path: patch.yaml\n"
    )
    (tmp_path / "remote").mkdir()
    (tmp_path / "remote/kustomization.yaml").write_text(
        "resources:\n  - github.com/acme/app//deploy?ref=v1\n"
    )
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken/kustomization.yaml").write_text("resources: [unclosed\n")
    index = KustomizeIndex.build(tmp_path)
    assert index.owners("base/app.conf") == {"base"}
    assert index.owners("base/other.conf") == {"base"}
    assert index.affected("base/deploy.yaml") == {"base", "prod"}
    assert index.affected("prod/patch.yaml") == {"prod"}
    assert index.affected("prod/kustomization.yaml") == {"prod"}
    assert index.remote == {"remote"}
    assert "broken" in index.unreadable
    assert file_kind(tmp_path, "prod/patch.yaml", index) == "kustomize"


def test_rendered_findings_go_back_to_their_template_or_source_file(tmp_path: Path) -> None:
    assert place_helm_output(HELM_OUTPUT, "charts/api", finding(14)) == (
        "charts/api/templates/deployment.yaml",
        None,
    )
    assert place_helm_output(HELM_OUTPUT, "charts/api", finding(5)) == (
        "charts/api/templates/service.yaml",
        None,
    )
    (tmp_path / "base").mkdir()
    (tmp_path / "base/kustomization.yaml").write_text("resources: [deploy.yaml]\n")
    (tmp_path / "base/deploy.yaml").write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 2\n"
    )
    index = KustomizeIndex.build(tmp_path)
    placed = place_kustomize_output(
        tmp_path, "base", index, finding(1, "Deployment/prod-api", "spec.replicas")
    )
    assert placed == ("base/deploy.yaml", 6)
    unknown = place_kustomize_output(tmp_path, "base", index, finding(1, "Service/other"))
    assert unknown == ("base/kustomization.yaml", None)


def test_file_kinds(tmp_path: Path) -> None:
    (tmp_path / "k8s").mkdir()
    (tmp_path / "k8s/app.yaml").write_text("apiVersion: v1\nkind: ConfigMap\n")
    (tmp_path / "k8s/values.yaml").write_text("replicas: 2\n")
    (tmp_path / ".github/workflows").mkdir(parents=True)
    (tmp_path / ".github/workflows/ci.yaml").write_text("apiVersion: v1\nkind: x\n")
    (tmp_path / "chart/templates").mkdir(parents=True)
    (tmp_path / "chart/Chart.yaml").write_text("name: c\n")
    index = KustomizeIndex.build(tmp_path)
    kinds = {
        name: file_kind(tmp_path, name, index)
        for name in (
            "k8s/app.yaml",
            "k8s/values.yaml",
            ".github/workflows/ci.yaml",
            "chart/templates/x.yaml",
            "infra/main.tf",
            "prod.tfvars",
            "docker-compose.prod.yml",
            "compose.yaml",
            "README.md",
        )
    }
    assert kinds == {
        "k8s/app.yaml": "kubernetes",
        "k8s/values.yaml": "other",
        ".github/workflows/ci.yaml": "other",
        "chart/templates/x.yaml": "helm",
        "infra/main.tf": "terraform",
        "prod.tfvars": "terraform",
        "docker-compose.prod.yml": "compose",
        "compose.yaml": "compose",
        "README.md": "other",
    }


def test_diff_reads_odd_names_deletions_and_changed_lines(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "r")
    base = repo.commit("base", {"k8s/old app.yaml": "a: 1\nb: 2\nc: 3\n", "gone.yaml": "x: 1\n"})
    repo.remove("gone.yaml")
    repo.write({"k8s/old app.yaml": "a: 1\nb: 20\nc: 3\nd: 4\n", "k8s/café.yaml": "z: 1\n"})
    head = repo.commit("head")
    files = changed_files(open_repo(repo.root), base, head)
    assert [(f.path, f.status, f.changed_lines) for f in files] == [
        ("gone.yaml", "deleted", []),
        ("k8s/café.yaml", "added", [1]),
        ("k8s/old app.yaml", "modified", [2, 4]),
    ]


def test_the_plan_posts_suggestions_intact_and_fails_only_on_new_findings() -> None:
    from assistant.prbot.build import build_plan
    from assistant.prbot.http_retry import redacted
    from tools.review.models import ReviewFinding, ReviewReport, Suggestion

    token = finding(7, field="spec.template.spec").model_copy(update={"id": "K8S_SA_TOKEN_AUTOMOUNT"})
    new = ReviewFinding(
        finding=token,
        path="k8s/api.yaml",
        line=7,
        status="new",
        on_changed_line=True,
        suggestion=Suggestion(
            start_line=7, end_line=7, replacement="    spec:\n      automountServiceAccountToken: false\n"
        ),
    )
    old = ReviewFinding(
        finding=finding(3), path="k8s/api.yaml", line=3, status="existing", on_changed_line=False
    )
    report = ReviewReport(repository="r", base="a" * 40, head="b" * 40, findings=[new, old])
    plan = redacted(build_plan(report, Severity.LOW))
    assert [(c.path, c.line) for c in plan.inline] == [("k8s/api.yaml", 7)]
    assert "```suggestion\n    spec:\n      automountServiceAccountToken: false\n```" in plan.inline[0].body
    assert plan.check.conclusion == "failure"
    assert build_plan(report, Severity.HIGH).check.conclusion == "success"
    assert plan.head_sha == "b" * 40
