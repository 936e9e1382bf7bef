"""GitLabHost merge requests, comments (notes) and reading trees against the local GitLab stand-in."""

from __future__ import annotations

import pytest
from agentic_common.git import GitHostError
from agentic_common.git.gitlab import GitLabHost
from conftest import TOKEN, FakeGitLab

FILES = {"README.md": b"# orders\n", "app/main.py": b"print('hi')\n"}


@pytest.fixture
def host(gitlab_server: FakeGitLab) -> GitLabHost:
    return GitLabHost(gitlab_server.url, TOKEN, "platform/services")


def test_open_merge_request_commits_the_tree_to_a_new_branch_and_opens_it(
    host: GitLabHost, gitlab_server: FakeGitLab
) -> None:
    # Given a project with content
    project = gitlab_server.add_project("orders", FILES)

    # When a merge request is opened for a changed tree
    wanted = {"README.md": b"# orders v2\n", "app/main.py": b"print('hi')\n"}
    mr = host.open_merge_request("orders", "agentic/upgrade-2.0.0", wanted, "Upgrade", "Kept: none")

    # Then the branch holds exactly that tree and the merge request targets main
    assert project.branches["agentic/upgrade-2.0.0"][1] == wanted
    assert (mr.iid, mr.source_branch, mr.commit) == (
        1,
        "agentic/upgrade-2.0.0",
        project.branches["agentic/upgrade-2.0.0"][0],
    )
    assert ("GET", f"/api/v4/projects/{project.id}/repository/branches/agentic%2Fupgrade-2.0.0") in (
        gitlab_server.calls()
    )


def test_updating_an_existing_branch_commits_only_on_that_branch(
    host: GitLabHost, gitlab_server: FakeGitLab
) -> None:
    # Given an open merge request
    project = gitlab_server.add_project("orders", FILES)
    host.open_merge_request("orders", "feature/x", {**FILES, "a.txt": b"1\n"}, "Add a", "")

    # When the branch's tree changes again
    mr = host.open_merge_request("orders", "feature/x", {**FILES, "a.txt": b"2\n"}, "Add a", "")

    # Then the second commit updates a.txt on the branch without start_branch, and the MR is reused
    commits = [r.body for r in gitlab_server.requests if r.path.endswith("/repository/commits")]
    assert commits[1]["branch"] == "feature/x"
    assert "start_branch" not in commits[1]
    assert [(a["action"], a["file_path"]) for a in commits[1]["actions"]] == [("update", "a.txt")]
    assert mr.iid == 1
    assert len(project.merge_requests) == 1


def test_a_comment_is_posted_as_a_note_once(host: GitLabHost, gitlab_server: FakeGitLab) -> None:
    # Given an open merge request
    project = gitlab_server.add_project("orders", FILES)
    mr = host.open_merge_request("orders", "feature/x", {"README.md": b"v2\n"}, "Change", "")

    # When a policy finding is posted twice (a redelivered event)
    host.comment("orders", mr.iid, "**policy**: CKV_AWS_18 failed in terraform/main.tf")
    host.comment("orders", mr.iid, "**policy**: CKV_AWS_18 failed in terraform/main.tf")

    # Then one note exists, sent to the notes endpoint by the project's encoded path
    assert [n["body"] for n in project.merge_requests[0]["notes"]] == [
        "**policy**: CKV_AWS_18 failed in terraform/main.tf"
    ]
    [post] = [r for r in gitlab_server.requests if r.method == "POST" and r.path.endswith("/notes")]
    assert post.path == "/api/v4/projects/platform%2Fservices%2Forders/merge_requests/1/notes"
    assert post.body == {"body": "**policy**: CKV_AWS_18 failed in terraform/main.tf"}


def test_commenting_on_a_missing_merge_request_is_a_permanent_404(
    host: GitLabHost, gitlab_server: FakeGitLab
) -> None:
    gitlab_server.add_project("orders", FILES)
    with pytest.raises(GitHostError) as failure:
        host.comment("orders", 9, "hello")
    assert "404" in str(failure.value)
    assert "merge request !9" in str(failure.value)
    assert failure.value.retryable is False


def test_read_tree_returns_every_file_of_a_ref_from_the_archive(
    host: GitLabHost, gitlab_server: FakeGitLab
) -> None:
    # Given a project with content
    project = gitlab_server.add_project("orders", {**FILES, "bin/x": b"\x00\x01"})

    # When main is read
    files = host.read_tree("orders", "main")

    # Then the archive's files come back without its top folder
    assert files == {**FILES, "bin/x": b"\x00\x01"}
    [archive] = [r for r in gitlab_server.requests if "archive" in r.path]
    assert archive.path == "/api/v4/projects/platform%2Fservices%2Forders/repository/archive.tar.gz"
    assert archive.query == {"sha": "main"}
    assert project.id


def test_reading_a_missing_ref_is_a_permanent_404(host: GitLabHost, gitlab_server: FakeGitLab) -> None:
    gitlab_server.add_project("orders", FILES)
    with pytest.raises(GitHostError) as failure:
        host.read_tree("orders", "nope")
    assert "reading nope of platform/services/orders" in str(failure.value)
    assert failure.value.retryable is False


def test_a_merge_request_needs_content_on_main(host: GitLabHost, gitlab_server: FakeGitLab) -> None:
    gitlab_server.add_project("orders")
    with pytest.raises(GitHostError, match="publish it first"):
        host.open_merge_request("orders", "feature/x", FILES, "t", "d")
