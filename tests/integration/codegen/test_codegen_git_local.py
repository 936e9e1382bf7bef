"""LocalGitHost against real git: bare repositories on disk, idempotent publishes, cloneable URLs."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from agentic_codegen.adapters.local_git import AUTHOR_EMAIL, AUTHOR_NAME, LocalGitHost
from agentic_codegen.ports import GitHostError

FILES = {"README.md": b"# orders\n", "app/main.py": b"print('hi')\n", ".gitignore": b".env\n"}


def _git(*args: str, cwd: Path | None = None) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return result.stdout.strip()


def _history(bare: Path) -> list[str]:
    return _git("--git-dir", str(bare), "rev-list", "refs/heads/main").splitlines()


@pytest.fixture
def host(tmp_path: Path) -> LocalGitHost:
    return LocalGitHost(tmp_path / "git", "services")


def test_the_first_publish_creates_a_bare_repository_with_one_commit(
    host: LocalGitHost, tmp_path: Path
) -> None:
    # When a project is published for the first time
    repo = host.publish("orders", FILES, "Generate orders")

    # Then a bare repository holds one commit on main, authored by Agentic CodeGen
    bare = tmp_path / "git" / "services" / "orders.git"
    assert _git("--git-dir", str(bare), "rev-parse", "--is-bare-repository") == "true"
    assert _history(bare) == [repo.commit]
    assert repo.branch == "main"
    author = _git("--git-dir", str(bare), "log", "-1", "--format=%an <%ae>|%s", "main")
    assert author == f"{AUTHOR_NAME} <{AUTHOR_EMAIL}>|Generate orders"


def test_publishing_the_same_files_again_returns_the_same_commit(host: LocalGitHost, tmp_path: Path) -> None:
    # Given a published project
    first = host.publish("orders", FILES, "Generate orders")

    # When the same files are published again (a retried task)
    second = host.publish("orders", dict(reversed(list(FILES.items()))), "Generate orders (retry)")

    # Then no new commit is made
    assert second == first
    assert _history(tmp_path / "git" / "services" / "orders.git") == [first.commit]


def test_publishing_different_files_adds_a_commit_with_exactly_those_files(
    host: LocalGitHost, tmp_path: Path
) -> None:
    # Given a published project
    first = host.publish("orders", FILES, "Generate orders")

    # When files change and one disappears
    changed = {"README.md": b"# orders v2\n", "app/main.py": b"print('hi')\n"}
    second = host.publish("orders", changed, "Regenerate orders")

    # Then a second commit on top of the first has exactly the new tree
    bare = tmp_path / "git" / "services" / "orders.git"
    assert second.commit != first.commit
    assert _history(bare) == [second.commit, first.commit]
    listed = _git("--git-dir", str(bare), "ls-tree", "-r", "--name-only", second.commit).splitlines()
    assert listed == ["README.md", "app/main.py"]


def test_the_repo_url_can_be_cloned_and_holds_the_files(host: LocalGitHost, tmp_path: Path) -> None:
    # Given a published project
    repo = host.publish("orders", FILES, "Generate orders")

    # When its URL is cloned
    clone = tmp_path / "clone"
    _git("clone", "--quiet", repo.repo_url, str(clone))

    # Then the clone is on the published commit with byte-identical files
    assert repo.repo_url.startswith("file://")
    assert _git("rev-parse", "HEAD", cwd=clone) == repo.commit
    for path, content in FILES.items():
        assert (clone / path).read_bytes() == content


def test_projects_are_kept_apart_by_name(host: LocalGitHost) -> None:
    # When two projects are published
    orders = host.publish("orders", FILES, "Generate orders")
    payments = host.publish("payments", {"README.md": b"# payments\n"}, "Generate payments")

    # Then each has its own repository
    assert orders.repo_url != payments.repo_url
    assert orders.repo_url.endswith("/services/orders.git")


def test_a_path_that_escapes_the_repository_is_refused(host: LocalGitHost) -> None:
    # When a file map holds a path outside the repository
    # Then nothing is published
    with pytest.raises(GitHostError, match="must be relative"):
        host.publish("orders", {"../escape.txt": b"x"}, "Generate orders")


def test_an_invalid_project_name_is_refused(host: LocalGitHost) -> None:
    # When the project name could climb out of the namespace
    # Then the host refuses it
    with pytest.raises(GitHostError, match="not a valid project name"):
        host.publish("../orders", FILES, "Generate orders")
