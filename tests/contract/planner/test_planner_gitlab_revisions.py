"""The planner's GitLab revision resolver against the local GitLab v4 fake (codegen's contract fake).

It asks the Commits API, which resolves a branch, a tag or a commit id; the fake records what we send.
"""

from __future__ import annotations

import re

import pytest
from agentic_common.git.port import GitHostError
from agentic_planner.adapters.revisions import GitLabRevisions
from pytest_httpserver import HTTPServer

from tests.contract.codegen.conftest import GROUP, TOKEN, FakeGitLab


@pytest.fixture
def gitlab(httpserver: HTTPServer) -> FakeGitLab:
    fake = FakeGitLab(httpserver.url_for("").rstrip("/"))
    httpserver.expect_request(re.compile(r"/api/v4/.*")).respond_with_handler(fake.handle)
    return fake


@pytest.fixture
def resolver(gitlab: FakeGitLab) -> GitLabRevisions:
    return GitLabRevisions(gitlab.url, TOKEN, str(GROUP["full_path"]), timeout_seconds=5)


def test_a_tag_a_branch_and_a_short_commit_resolve_to_the_full_commit(
    gitlab: FakeGitLab, resolver: GitLabRevisions
) -> None:
    # Given a project whose main branch is tagged v1.2.3
    project = gitlab.add_project("orders-api", {"README.md": b"# orders\n"})
    commit = project.branches["main"][0]
    project.tags["v1.2.3"] = commit

    # When / Then each name resolves to the commit
    assert resolver.resolve("orders-api", "v1.2.3") == commit
    assert resolver.resolve("orders-api", "main") == commit
    assert resolver.resolve("orders-api", commit[:8]) == commit
    # and what we sent: the project by its path, then the Commits API, with the token in a header
    assert gitlab.calls("GET")[-2:] == [
        ("GET", "/api/v4/projects/platform%2Fservices%2Forders-api"),
        ("GET", f"/api/v4/projects/{project.id}/repository/commits/{commit[:8]}"),
    ]
    assert gitlab.requests[-1].headers["private-token"] == TOKEN


def test_a_name_the_project_lacks_resolves_to_none(gitlab: FakeGitLab, resolver: GitLabRevisions) -> None:
    # Given a project without the tag
    gitlab.add_project("orders-api", {"README.md": b"x"})

    # When / Then
    assert resolver.resolve("orders-api", "v9.9.9") is None


def test_a_missing_project_is_a_permanent_error_without_the_token(resolver: GitLabRevisions) -> None:
    # Given / When a project that does not exist
    with pytest.raises(GitHostError) as failure:
        resolver.resolve("never-created", "main")

    # Then
    assert failure.value.retryable is False
    assert TOKEN not in str(failure.value)


def test_a_gitlab_outage_is_a_retryable_error(gitlab: FakeGitLab, resolver: GitLabRevisions) -> None:
    # Given GitLab failing on its side
    gitlab.add_project("orders-api", {"README.md": b"x"})
    gitlab.fail("GET", r"/repository/commits/", 503)

    # When / Then
    with pytest.raises(GitHostError) as failure:
        resolver.resolve("orders-api", "main")
    assert failure.value.retryable is True
