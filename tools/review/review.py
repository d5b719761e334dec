"""`review_change`: validate what a change (base...head) touches and say what it made better or worse."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path, PurePosixPath

from tools.repo._git import open_repo
from tools.review.checks import ReviewOptions, TreeResult, check_tree
from tools.review.compare import compare
from tools.review.diff import changed_files
from tools.review.models import ChangedFile, ReviewCounts, ReviewReport
from tools.review.refs import resolve_range
from tools.review.units import Units, plan_units

__all__ = ["ReviewOptions", "review_change"]


def review_change(
    root: Path, base: str | None = None, head: str | None = None, *, options: ReviewOptions | None = None
) -> ReviewReport:
    """Review the change from the merge base of `base` and `head` to `head` in the repository at `root`.

    Both sides are exported from git (the working tree is not read), the touched units are
    validated on each, and head findings are marked new or existing; base findings gone at
    head are listed as fixed. `base` defaults to the remote's default branch (or main or
    master); `head` to HEAD. Raises InputError for a folder outside git or unknown refs.
    """
    options = options or ReviewOptions()
    started = time.perf_counter()
    repo = open_repo(root)
    base_sha, head_sha = resolve_range(repo, base, head)
    changes = changed_files(repo, base_sha, head_sha)
    top = Path(str(repo.working_tree_dir))
    report = ReviewReport(repository=str(top), base=base_sha, head=head_sha)
    with tempfile.TemporaryDirectory(prefix="shipmate-review-") as scratch:
        from tools.review.snapshot import export_commit

        head_tree, base_tree = Path(scratch) / "head", Path(scratch) / "base"
        export_commit(repo, head_sha, head_tree)
        if changes:
            export_commit(repo, base_sha, base_tree)
        typed, units = plan_units(head_tree, changes, base_tree if changes else None)
        report.files = typed
        head_result = check_tree(head_tree, units, options) if _any(units) else TreeResult()
        base_result = TreeResult()
        if _any(units):
            base_result = check_tree(base_tree, _base_units(base_tree, units, typed), options)
        findings, fixed = compare(head_result, base_result, typed)
        changed = {c.path: set(c.changed_lines) for c in typed}
        from tools.review.suggestions import add_suggestions

        add_suggestions(head_tree, findings, changed)
        report.findings, report.fixed = findings, fixed
        report.notes = list(dict.fromkeys(head_result.notes))
        if any(PurePosixPath(c.path).name == ".shipmate.toml" for c in typed):
            report.notes.append(
                "this change edits .shipmate.toml, which decides what shipmate checks (ignored policies,"
                " CRDs, Kubernetes version): review that part by hand"
            )
        if options.generate:
            from tools.review.generated import generate_for_new_services

            report.generated = generate_for_new_services(head_tree, typed, top.name, head_sha)
    report.counts = ReviewCounts(
        files_changed=len(typed),
        files_reviewed=sum(1 for c in typed if c.kind != "other" and not c.binary),
        new=sum(1 for f in findings if f.status == "new"),
        existing=sum(1 for f in findings if f.status == "existing"),
        fixed=len(fixed),
        invalid_objects=head_result.invalid_objects,
    )
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def _any(units: Units) -> bool:
    return bool(
        units.kubernetes_folders
        or units.kustomizations
        or units.charts
        or units.terraform_modules
        or units.compose_files
    )


def _base_units(base_tree: Path, head_units: Units, changes: list[ChangedFile]) -> Units:
    """The head's units as the base had them, plus the old folders and names of renamed files."""
    old = [(c.kind, c.old_path) for c in changes if c.old_path]
    old_kubernetes = {_parent(path) for kind, path in old if kind == "kubernetes"}
    old_modules = {_parent(path) for kind, path in old if kind == "terraform"}
    old_compose = {path for kind, path in old if kind == "compose"}
    return Units(
        kubernetes_folders={
            f for f in head_units.kubernetes_folders | old_kubernetes if (base_tree / f).is_dir()
        },
        kustomizations={k for k in head_units.kustomizations if (base_tree / k).is_dir()},
        charts={c for c in head_units.charts if (base_tree / c / "Chart.yaml").is_file()},
        terraform_modules={m for m in head_units.terraform_modules | old_modules if (base_tree / m).is_dir()},
        compose_files={f for f in head_units.compose_files | old_compose if (base_tree / f).is_file()},
    )


def _parent(path: str) -> str:
    parent = PurePosixPath(path).parent.as_posix()
    return "" if parent == "." else parent
