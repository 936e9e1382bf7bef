"""LocalGitHost against real git: bare repositories on disk, idempotent publishes, cloneable URLs."""

from __future__ import annotations

import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from agentic_common.git import GitHostError, PublishedRepo
from agentic_common.git.local import LocalGitHost
from agentic_common.git.local_runner import AUTHOR_EMAIL, AUTHOR_NAME

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


def test_changing_a_project_with_content_opens_a_merge_request_and_leaves_main_alone(
    host: LocalGitHost, tmp_path: Path
) -> None:
    # Given a published project
    first = host.publish("orders", FILES, "Generate orders")

    # When files change and one disappears
    changed = {"README.md": b"# orders v2\n", "app/main.py": b"print('hi')\n"}
    second = host.publish("orders", changed, "Regenerate orders\n\nTemplate 1.1.0")

    # Then main is untouched and a branch one commit ahead holds exactly the new tree
    bare = tmp_path / "git" / "services" / "orders.git"
    assert _history(bare) == [first.commit]
    assert second.branch.startswith("agentic/update-")
    assert _git("--git-dir", str(bare), "rev-list", f"refs/heads/{second.branch}").splitlines() == [
        second.commit,
        first.commit,
    ]
    listed = _git("--git-dir", str(bare), "ls-tree", "-r", "--name-only", second.commit).splitlines()
    assert listed == ["README.md", "app/main.py"]
    # And a merge request record and ref point at that commit
    assert second.merge_request is not None
    record = host.merge_request("orders", second.merge_request.iid)
    assert (record["source_branch"], record["target_branch"], record["state"]) == (
        second.branch,
        "main",
        "opened",
    )
    assert (record["title"], record["description"], record["sha"]) == (
        "Regenerate orders",
        "Template 1.1.0",
        second.commit,
    )
    mr_ref = f"refs/merge-requests/{second.merge_request.iid}/head"
    assert _git("--git-dir", str(bare), "rev-parse", mr_ref) == second.commit


def test_re_running_the_same_change_finds_the_same_branch_commit_and_merge_request(
    host: LocalGitHost, tmp_path: Path
) -> None:
    # Given a change already proposed as a merge request
    host.publish("orders", FILES, "Generate orders")
    changed = {**FILES, "README.md": b"# orders v2\n"}
    proposed = host.publish("orders", changed, "Regenerate orders")

    # When the same task runs again
    again = host.publish("orders", changed, "Regenerate orders")

    # Then nothing new is created
    assert again == proposed
    records = sorted((tmp_path / "git" / "services" / "orders.merge_requests").glob("*.json"))
    assert [p.name for p in records] == ["1.json"]


def test_comments_land_on_the_merge_request_once(host: LocalGitHost) -> None:
    # Given an open merge request
    host.publish("orders", FILES, "Generate orders")
    mr = host.open_merge_request("orders", "feature/x", {**FILES, "new.txt": b"n\n"}, "Add new", "Why")

    # When a finding is posted twice (a redelivered event) and another once
    host.comment("orders", mr.iid, "checkov: CKV_AWS_18 failed")
    host.comment("orders", mr.iid, "checkov: CKV_AWS_18 failed")
    host.comment("orders", mr.iid, "hadolint: clean")

    # Then the record holds each body once, in order
    notes = host.merge_request("orders", mr.iid)["notes"]
    assert [n["body"] for n in notes] == ["checkov: CKV_AWS_18 failed", "hadolint: clean"]


def test_commenting_on_a_missing_merge_request_is_a_clear_permanent_error(host: LocalGitHost) -> None:
    host.publish("orders", FILES, "Generate orders")
    with pytest.raises(GitHostError, match="merge request !7 does not exist") as failure:
        host.comment("orders", 7, "hello")
    assert failure.value.retryable is False


def test_read_tree_returns_the_files_of_a_branch_or_commit(host: LocalGitHost) -> None:
    # Given a project with a change on a branch
    first = host.publish("orders", FILES, "Generate orders")
    mr = host.open_merge_request("orders", "feature/x", {"only.txt": b"\x00binary\n"}, "Replace", "")

    # When each ref is read
    # Then each gives its own exact bytes
    assert host.read_tree("orders", "main") == FILES
    assert host.read_tree("orders", first.commit) == FILES
    assert host.read_tree("orders", "feature/x") == {"only.txt": b"\x00binary\n"}
    assert mr.source_branch == "feature/x"


def test_reading_a_missing_project_or_ref_is_a_permanent_error(host: LocalGitHost) -> None:
    with pytest.raises(GitHostError, match="does not exist") as missing_project:
        host.read_tree("nothing", "main")
    host.publish("orders", FILES, "Generate orders")
    with pytest.raises(GitHostError, match="'nope' does not exist") as missing_ref:
        host.read_tree("orders", "nope")
    assert not missing_project.value.retryable
    assert not missing_ref.value.retryable


def test_a_merge_request_needs_an_existing_default_branch(host: LocalGitHost) -> None:
    with pytest.raises(GitHostError, match="publish it first"):
        host.open_merge_request("orders", "feature/x", FILES, "t", "d")


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


def test_concurrent_first_publishes_never_overwrite_each_other(host: LocalGitHost, tmp_path: Path) -> None:
    # Given eight workers publishing different trees to the same new project at once
    trees = [{"README.md": f"# version {i}\n".encode()} for i in range(8)]

    def publish(files: dict[str, bytes]) -> object:
        try:
            return host.publish("orders", files, "Generate orders")
        except GitHostError as exc:
            return exc

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(publish, trees))

    # Then main holds one commit, from one of them; every other failed retryably or got a merge request
    bare = tmp_path / "git" / "services" / "orders.git"
    [main] = _history(bare)
    winners = [r for r in results if isinstance(r, PublishedRepo) and r.branch == "main"]
    assert [w.commit for w in winners] == [main]
    for result in results:
        if isinstance(result, GitHostError):
            assert result.retryable is True
        else:
            assert isinstance(result, PublishedRepo)
            assert result.branch == "main" or result.merge_request is not None


def test_a_path_that_is_both_a_file_and_a_folder_is_refused(host: LocalGitHost) -> None:
    with pytest.raises(GitHostError, match="both a file and a folder") as failure:
        host.publish("orders", {"app": b"x", "app/main.py": b"y"}, "Generate orders")
    assert failure.value.retryable is False


def test_empty_files_and_unusual_names_survive_the_round_trip(host: LocalGitHost) -> None:
    files = {"empty": b"", "dir/ünï cødé\nname.txt": b"\x00\xff"}
    host.publish("orders", files, "Generate orders")
    assert host.read_tree("orders", "main") == files
