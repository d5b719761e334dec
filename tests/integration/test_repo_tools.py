"""The read-only repository tools on real git repositories in temporary folders."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tools.errors import InputError
from tools.repo import list_files, read_file, repo_diff, repo_log, repo_status


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True
    ).stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "Test")
    git(root, "config", "user.email", "test@example.com")
    (root / "k8s").mkdir()
    (root / "k8s" / "deploy.yaml").write_text("replicas: 1\nimage: api:1.0\n")
    (root / "README.md").write_text("# app\n")
    (root / ".gitignore").write_text("*.log\n")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "first")
    (root / "k8s" / "deploy.yaml").write_text("replicas: 2\nimage: api:1.0\n")
    git(root, "commit", "-q", "-am", "two replicas")
    return root


def test_status_names_the_branch_and_every_kind_of_change(repo: Path) -> None:
    assert repo_status(repo).clean
    (repo / "README.md").write_text("# app\nmore\n")
    (repo / "new.yaml").write_text("a: 1\n")
    (repo / "debug.log").write_text("ignored\n")
    (repo / "staged.txt").write_text("s\n")
    git(repo, "add", "staged.txt")
    git(repo, "mv", "k8s/deploy.yaml", "k8s/api.yaml")
    status = repo_status(repo)
    assert status.branch == "main"
    assert status.head == git(repo, "rev-parse", "HEAD")
    assert status.top == str(repo)
    staged = {(c.path, c.change, c.old_path) for c in status.staged}
    assert staged == {("staged.txt", "added", None), ("k8s/api.yaml", "renamed", "k8s/deploy.yaml")}
    assert [(c.path, c.change) for c in status.unstaged] == [("README.md", "modified")]
    assert status.untracked == ["new.yaml"]
    assert not status.clean


def test_status_of_a_new_repository_and_a_detached_head(tmp_path: Path, repo: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    git(empty, "init", "-q")
    status = repo_status(empty)
    assert status.head is None
    assert repo_log(empty).commits == []
    git(repo, "checkout", "-q", "HEAD~1")
    assert repo_status(repo).branch is None


def test_diff_of_the_working_tree_the_index_and_a_ref(repo: Path) -> None:
    (repo / "README.md").write_text("# app\nmore\n")
    working = repo_diff(repo)
    assert working.files == ["README.md"]
    assert "+more\n" in working.diff
    assert repo_diff(repo, staged=True).diff == ""
    git(repo, "add", "README.md")
    assert repo_diff(repo, staged=True).files == ["README.md"]
    against = repo_diff(repo, ref="HEAD~1")
    assert against.ref == git(repo, "rev-parse", "HEAD~1")
    assert set(against.files) == {"README.md", "k8s/deploy.yaml"}
    only = repo_diff(repo, ref="HEAD~1", paths=["k8s"])
    assert only.files == ["k8s/deploy.yaml"]
    assert "-replicas: 1\n+replicas: 2\n" in only.diff
    cut = repo_diff(repo, ref="HEAD~1", max_chars=20)
    assert cut.truncated
    assert len(cut.diff) == 20


def test_diff_refuses_unknown_and_option_like_refs_and_paths_outside(repo: Path) -> None:
    with pytest.raises(InputError, match="not a known commit"):
        repo_diff(repo, ref="no-such-branch")
    with pytest.raises(InputError, match="not a commit, branch or tag name"):
        repo_diff(repo, ref="--output=/tmp/x")
    with pytest.raises(InputError, match="outside"):
        repo_diff(repo, paths=["../elsewhere"])


def test_log_newest_first_limited_and_by_path(repo: Path) -> None:
    log = repo_log(repo)
    assert [c.summary for c in log.commits] == ["two replicas", "first"]
    assert log.commits[0].author == "Test"
    assert log.commits[0].sha == git(repo, "rev-parse", "HEAD")
    assert len(repo_log(repo, max_count=1).commits) == 1
    assert [c.summary for c in repo_log(repo, path="README.md").commits] == ["first"]
    with pytest.raises(InputError, match="at least 1"):
        repo_log(repo, max_count=0)


def test_not_a_repository_is_a_clear_error(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    for call in (repo_status, repo_diff, repo_log, list_files):
        with pytest.raises(InputError, match="not inside a git repository"):
            call(plain)
    with pytest.raises(InputError, match="not a folder"):
        repo_status(tmp_path / "missing")


def test_read_file_numbers_lines_and_reads_a_slice(repo: Path) -> None:
    (repo / "long.txt").write_text("".join(f"line {n}\n" for n in range(1, 11)))
    whole = read_file(repo, "k8s/deploy.yaml")
    assert whole.text == "     1 | replicas: 2\n     2 | image: api:1.0\n"
    assert (whole.total_lines, whole.end_line, whole.truncated) == (2, 2, False)
    part = read_file(repo, "long.txt", start_line=4, max_lines=3)
    assert part.text.splitlines() == ["     4 | line 4", "     5 | line 5", "     6 | line 6"]
    assert (part.start_line, part.end_line, part.total_lines, part.truncated) == (4, 6, 10, True)
    with pytest.raises(InputError, match="past the end"):
        read_file(repo, "long.txt", start_line=11)


def test_read_file_cuts_long_lines_and_refuses_binary_outside_and_git_internals(
    repo: Path, tmp_path: Path
) -> None:
    (repo / "wide.txt").write_text("x" * 2000 + "\n")
    wide = read_file(repo, "wide.txt")
    assert wide.truncated
    assert "1500 more characters cut" in wide.text
    (repo / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0")
    with pytest.raises(InputError, match="binary"):
        read_file(repo, "image.png")
    (tmp_path / "secret.txt").write_text("s\n")
    with pytest.raises(InputError, match="outside"):
        read_file(repo, "../secret.txt")
    with pytest.raises(InputError, match="outside"):
        read_file(repo, str(tmp_path / "secret.txt"))
    (repo / "link").symlink_to(tmp_path / "secret.txt")
    with pytest.raises(InputError, match="outside"):
        read_file(repo, "link")
    with pytest.raises(InputError, match=r"inside \.git"):
        read_file(repo, ".git/config")
    with pytest.raises(InputError, match="no such file"):
        read_file(repo, "nope.txt")
    with pytest.raises(InputError, match="not a regular file"):
        read_file(repo, "k8s")


def test_list_files_tracked_and_untracked_but_not_ignored(repo: Path) -> None:
    (repo / "new.yaml").write_text("a: 1\n")
    (repo / "debug.log").write_text("ignored\n")
    listed = list_files(repo)
    assert listed.files == [".gitignore", "README.md", "k8s/deploy.yaml", "new.yaml"]
    assert (listed.total, listed.truncated) == (4, False)
    assert list_files(repo, pattern="*.yaml").files == ["k8s/deploy.yaml", "new.yaml"]
    limited = list_files(repo, max_files=2)
    assert (limited.files, limited.total, limited.truncated) == ([".gitignore", "README.md"], 4, True)
    assert list_files(repo / "k8s").files == ["deploy.yaml"]
