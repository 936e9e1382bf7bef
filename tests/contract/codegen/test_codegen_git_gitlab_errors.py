"""GitLabHost's handling of GitLab errors: clear messages, retryable or not, the token never shown."""

from __future__ import annotations

import re
import time

import pytest
from agentic_common.git import GitHostError
from agentic_common.git.gitlab import GitLabHost
from conftest import TOKEN, FakeGitLab
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

FILES = {"README.md": b"# orders\n"}


def _host(server: FakeGitLab, token: str = TOKEN, group: str = "platform/services") -> GitLabHost:
    return GitLabHost(server.url, token, group, timeout_seconds=5)


def test_a_rejected_token_is_a_permanent_error_that_does_not_show_the_token(
    gitlab_server: FakeGitLab,
) -> None:
    # Given a token GitLab does not accept
    wrong = "glpat-wrong-token-abcdefghijklmnop"

    # When we publish
    with pytest.raises(GitHostError) as failure:
        _host(gitlab_server, token=wrong).publish("orders", FILES, "Generate orders")

    # Then the error says 401 and what to check, is not retryable, and holds no token
    message = str(failure.value)
    assert "401" in message
    assert "check the GitLab token" in message
    assert "looking up project platform/services/orders" in message
    assert failure.value.retryable is False
    assert wrong not in message
    assert TOKEN not in message


def test_a_server_that_echoes_the_token_in_an_error_has_it_masked(gitlab_server: FakeGitLab) -> None:
    # Given a server whose 500 body repeats the token
    gitlab_server.fail("GET", r"/projects/", 500, {"message": f"boom with {TOKEN} inside"})

    # When we publish
    with pytest.raises(GitHostError) as failure:
        _host(gitlab_server).publish("orders", FILES, "Generate orders")

    # Then the message is masked and the failure may be retried
    assert TOKEN not in str(failure.value)
    assert "***" in str(failure.value)
    assert failure.value.retryable is True


def test_a_missing_group_is_a_permanent_error_naming_the_group(gitlab_server: FakeGitLab) -> None:
    # When the configured group does not exist
    with pytest.raises(GitHostError) as failure:
        _host(gitlab_server, group="platform/nowhere").publish("orders", FILES, "Generate orders")

    # Then the error names it and says 404
    assert "looking up group platform/nowhere" in str(failure.value)
    assert "404" in str(failure.value)
    assert failure.value.retryable is False


@pytest.mark.parametrize("status", [500, 502, 503])
def test_a_server_error_on_the_commit_is_retryable_and_the_retry_succeeds(
    gitlab_server: FakeGitLab, status: int
) -> None:
    # Given a commit request that fails once on GitLab's side
    gitlab_server.fail("POST", r"/repository/commits$", status)
    host = _host(gitlab_server)

    # When we publish, and then try again
    with pytest.raises(GitHostError) as failure:
        host.publish("orders", FILES, "Generate orders")
    repo = host.publish("orders", FILES, "Generate orders")

    # Then the first failure was retryable and named the step; the retry finds the project and commits
    assert failure.value.retryable is True
    assert f"({status})" in str(failure.value)
    assert "committing 1 file changes to main" in str(failure.value)
    assert gitlab_server.projects["platform/services/orders"].branches["main"] == (repo.commit, FILES)
    assert len([c for c in gitlab_server.calls("POST") if c[1] == "/api/v4/projects"]) == 1


def test_a_conflict_on_the_commit_is_retryable(gitlab_server: FakeGitLab) -> None:
    # Given the branch moved under us
    gitlab_server.fail("POST", r"/repository/commits$", 409, {"message": "branch changed"})

    # When we publish
    with pytest.raises(GitHostError) as failure:
        _host(gitlab_server).publish("orders", FILES, "Generate orders")

    # Then a retry is allowed
    assert failure.value.retryable is True
    assert "409" in str(failure.value)


def test_a_merge_request_that_already_exists_is_found_not_duplicated(gitlab_server: FakeGitLab) -> None:
    # Given a project with content and an open merge request GitLab will answer 409 for
    project = gitlab_server.add_project("orders", FILES)
    host = _host(gitlab_server)
    first = host.open_merge_request("orders", "feature/x", {"README.md": b"v2\n"}, "Change", "")
    gitlab_server.fail("GET", r"/merge_requests$", 200, [])  # the list misses it once (a race)

    # When the same merge request is opened again
    again = host.open_merge_request("orders", "feature/x", {"README.md": b"v2\n"}, "Change", "")

    # Then the 409 leads us to the existing one
    assert again.iid == first.iid
    assert len(project.merge_requests) == 1


def test_a_protected_branch_that_appears_meanwhile_is_accepted(gitlab_server: FakeGitLab) -> None:
    # Given another writer protected main between our check and our request
    gitlab_server.add_project("orders", FILES).protected.add("main")
    gitlab_server.fail("GET", r"/protected_branches/main$", 404)

    # When we publish the same files
    repo = _host(gitlab_server).publish("orders", FILES, "Generate orders")

    # Then the 409 on protecting is not an error
    assert repo.branch == "main"


def test_an_unreachable_gitlab_is_retryable(gitlab_server: FakeGitLab) -> None:
    # Given a URL where nothing listens
    host = GitLabHost("http://127.0.0.1:9", TOKEN, "platform/services", timeout_seconds=2)

    # When we publish
    with pytest.raises(GitHostError) as failure:
        host.publish("orders", FILES, "Generate orders")

    # Then a retry is allowed and the message says GitLab could not be reached
    assert failure.value.retryable is True
    assert "could not be reached" in str(failure.value)


def test_a_project_created_by_someone_else_meanwhile_is_found_after_the_400(
    gitlab_server: FakeGitLab,
) -> None:
    # Given our lookup misses a project that another worker is creating at the same moment
    gitlab_server.add_project("orders")
    gitlab_server.fail("GET", r"/projects/platform%2Fservices%2Forders$", 404)

    # When we publish
    repo = _host(gitlab_server).publish("orders", FILES, "Generate orders")

    # Then GitLab's "has already been taken" leads us to the existing project, and no second one exists
    assert ("POST", "/api/v4/projects") in gitlab_server.calls()
    assert list(gitlab_server.projects) == ["platform/services/orders"]
    assert gitlab_server.projects["platform/services/orders"].branches["main"] == (repo.commit, FILES)


def test_a_gitlab_that_answers_too_slowly_is_a_retryable_timeout(httpserver: HTTPServer) -> None:
    # Given a server that takes longer than our timeout
    def slow(_request: Request) -> Response:
        time.sleep(1.5)
        return Response("{}", content_type="application/json")

    httpserver.expect_request(re.compile(r"/api/v4/.*")).respond_with_handler(slow)
    host = GitLabHost(httpserver.url_for("").rstrip("/"), TOKEN, "platform/services", timeout_seconds=0.3)

    # When we publish
    with pytest.raises(GitHostError) as failure:
        host.publish("orders", FILES, "Generate orders")

    # Then the failure says GitLab did not answer in time and may be retried
    assert "did not answer in time" in str(failure.value)
    assert failure.value.retryable is True
