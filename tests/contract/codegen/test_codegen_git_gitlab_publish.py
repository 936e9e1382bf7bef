"""GitLabHost against a local server speaking the GitLab v4 endpoints it uses: what we send, and
how publishing behaves for new, unchanged and changed projects."""

from __future__ import annotations

import base64

import pytest
from agentic_common.git.gitlab import GitLabHost
from conftest import TOKEN, FakeGitLab

FILES = {"README.md": b"# orders\n", "app/main.py": b"print('hi')\n", "bin/blob": b"\x00\xff\x10"}


@pytest.fixture
def host(gitlab_server: FakeGitLab) -> GitLabHost:
    return GitLabHost(gitlab_server.url, TOKEN, "platform/services", topics=["agentic", "python"])


def test_a_new_project_is_created_in_the_group_with_one_commit_of_every_file(
    host: GitLabHost, gitlab_server: FakeGitLab
) -> None:
    # When a project that does not exist is published
    repo = host.publish("orders", FILES, "Generate orders\n\nbody", description="Orders service")

    # Then we looked it up by its encoded path, found the group, and created it there, private
    assert gitlab_server.calls()[:3] == [
        ("GET", "/api/v4/projects/platform%2Fservices%2Forders"),
        ("GET", "/api/v4/groups/platform%2Fservices"),
        ("POST", "/api/v4/projects"),
    ]
    create = gitlab_server.requests[2].body
    assert create["namespace_id"] == 42
    assert (create["path"], create["visibility"], create["default_branch"]) == ("orders", "private", "main")
    assert (create["description"], create["topics"]) == ("Orders service", ["agentic", "python"])
    # And one commit through the Commits API carries every file, base64-encoded, on main
    [commit] = [r for r in gitlab_server.requests if r.path.endswith("/repository/commits")]
    assert commit.body["branch"] == "main"
    assert "start_branch" not in commit.body
    assert commit.body["commit_message"] == "Generate orders\n\nbody"
    assert {a["file_path"]: (a["action"], a["encoding"]) for a in commit.body["actions"]} == {
        p: ("create", "base64") for p in FILES
    }
    assert {a["file_path"]: base64.b64decode(a["content"]) for a in commit.body["actions"]} == FILES
    # And main is protected for maintainers, and the result points at the commit
    [protect] = [r for r in gitlab_server.requests if r.method == "POST" and "protected" in r.path]
    assert protect.body == {
        "name": "main",
        "push_access_level": 40,
        "merge_access_level": 40,
        "allow_force_push": False,
    }
    project = gitlab_server.projects["platform/services/orders"]
    assert repo.commit == project.branches["main"][0]
    assert project.branches["main"][1] == FILES
    assert (repo.branch, repo.merge_request) == ("main", None)
    assert repo.repo_url == f"{gitlab_server.url}/platform/services/orders.git"


def test_every_request_carries_the_private_token_header(host: GitLabHost, gitlab_server: FakeGitLab) -> None:
    # When a project is published
    host.publish("orders", FILES, "Generate orders")

    # Then each request authenticated with PRIVATE-TOKEN and nothing else
    assert gitlab_server.requests
    assert all(r.headers == {"private-token": TOKEN} for r in gitlab_server.requests)


def test_an_oauth_token_is_sent_as_a_bearer_authorization_header(gitlab_server: FakeGitLab) -> None:
    # Given a host configured with an OAuth token
    host = GitLabHost(gitlab_server.url, TOKEN, "platform/services", token_kind="oauth")

    # When it publishes
    host.publish("orders", FILES, "Generate orders")

    # Then the token travels as Authorization: Bearer
    assert all(r.headers == {"authorization": f"Bearer {TOKEN}"} for r in gitlab_server.requests)


def test_re_running_the_same_publish_finds_the_project_and_commit_and_creates_nothing(
    host: GitLabHost, gitlab_server: FakeGitLab
) -> None:
    # Given a published project
    first = host.publish("orders", FILES, "Generate orders", description="Orders")
    sent_before = len(gitlab_server.requests)

    # When the same task runs again
    again = host.publish("orders", FILES, "Generate orders", description="Orders")

    # Then the same commit comes back and nothing was written
    assert again == first
    writes = [r for r in gitlab_server.requests[sent_before:] if r.method != "GET"]
    assert writes == []


def test_a_project_with_content_gets_a_branch_and_merge_request_never_a_commit_on_main(
    host: GitLabHost, gitlab_server: FakeGitLab
) -> None:
    # Given a project whose main already has a tree
    project = gitlab_server.add_project("orders", {**FILES, "old.txt": b"gone\n"})
    main_before = project.branches["main"]

    # When a different tree is published
    changed = {**FILES, "README.md": b"# orders v2\n", "new.txt": b"new\n"}
    repo = host.publish("orders", changed, "Regenerate orders\n\nWhy it changed", description="Orders")

    # Then main is untouched, the branch was cut from main with only the differences
    assert project.branches["main"] == main_before
    [commit] = [r for r in gitlab_server.requests if r.path.endswith("/repository/commits")]
    assert commit.body["branch"] == repo.branch
    assert repo.branch.startswith("agentic/update-")
    assert commit.body["start_branch"] == "main"
    assert sorted((a["action"], a["file_path"]) for a in commit.body["actions"]) == [
        ("create", "new.txt"),
        ("delete", "old.txt"),
        ("update", "README.md"),
    ]
    assert project.branches[repo.branch][1] == changed
    # And a merge request into main was opened, titled from the message
    [create_mr] = [
        r for r in gitlab_server.requests if r.method == "POST" and r.path.endswith("/merge_requests")
    ]
    assert create_mr.body == {
        "source_branch": repo.branch,
        "target_branch": "main",
        "title": "Regenerate orders",
        "description": "Why it changed",
        "remove_source_branch": True,
    }
    assert repo.merge_request is not None
    assert repo.merge_request.iid == 1
    assert repo.merge_request.url.endswith("/platform/services/orders/-/merge_requests/1")
    assert repo.commit == project.branches[repo.branch][0]


def test_re_running_a_change_reuses_the_branch_commit_and_merge_request(
    host: GitLabHost, gitlab_server: FakeGitLab
) -> None:
    # Given a change already proposed
    project = gitlab_server.add_project("orders", FILES)
    changed = {**FILES, "README.md": b"# v2\n"}
    first = host.publish("orders", changed, "Regenerate orders", description="Orders")

    # When the same task runs again
    again = host.publish("orders", changed, "Regenerate orders", description="Orders")

    # Then no second commit or merge request exists
    assert again == first
    assert len(project.merge_requests) == 1
    assert len([r for r in gitlab_server.requests if r.path.endswith("/repository/commits")]) == 1


def test_description_and_topics_of_an_existing_project_are_updated(
    host: GitLabHost, gitlab_server: FakeGitLab
) -> None:
    # Given a project with another description
    project = gitlab_server.add_project("orders", FILES)

    # When it is published with ours
    host.publish("orders", FILES, "Generate orders", description="Orders service")

    # Then one PUT set both
    [put] = [r for r in gitlab_server.requests if r.method == "PUT"]
    assert put.path == f"/api/v4/projects/{project.id}"
    assert put.body == {"description": "Orders service", "topics": ["agentic", "python"]}
