"""Which repoUrl values name a project of the platform's Git host (pure rules, no I/O)."""

from __future__ import annotations

import pytest
from agentic_planner.logic.catalogue import InvalidParametersError
from agentic_planner.logic.repositories import RepositoryRules, check_repository

GITLAB = RepositoryRules("https://gitlab.example.com/platform/services/")
LOCAL = RepositoryRules("file:///home/agentic/.agentic/git/services/")


@pytest.mark.parametrize(
    ("rules", "url", "project"),
    [
        (GITLAB, "https://gitlab.example.com/platform/services/orders-api.git", "orders-api"),
        (GITLAB, "https://gitlab.example.com/platform/services/orders-api", "orders-api"),
        (LOCAL, "file:///home/agentic/.agentic/git/services/orders.v2.git", "orders.v2"),
    ],
)
def test_a_project_of_the_namespace_is_accepted(rules: RepositoryRules, url: str, project: str) -> None:
    assert rules.project_of(url) == project


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example.com/platform/services/orders-api.git",
        "https://gitlab.example.com.evil.io/platform/services/orders-api.git",
        "https://gitlab.example.com/platform/other/orders-api.git",
        "https://gitlab.example.com/platform/services/sub/orders-api.git",
        "https://gitlab.example.com/platform/services/../admin/x.git",
        "https://gitlab.example.com/platform/services/%2e%2e%2Fadmin.git",
        "https://gitlab.example.com/platform/services/orders-api.git?ref=evil",
        "https://gitlab.example.com/platform/services/orders-api.git#frag",
        "https://gitlab.example.com/platform/services/",
        "http://gitlab.example.com/platform/services/orders-api.git",
    ],
)
def test_anything_else_is_refused_naming_the_field_and_the_expected_shape(url: str) -> None:
    with pytest.raises(InvalidParametersError) as refused:
        GITLAB.project_of(url)
    [problem] = refused.value.problems
    assert problem.field == "parameters.repoUrl"
    assert "https://gitlab.example.com/platform/services/<project>.git" in problem.problem


@pytest.mark.parametrize(
    "url",
    [
        "https://oauth2:glpat-SECRET@gitlab.example.com/platform/services/orders-api.git",
        "https://glpat-SECRET@gitlab.example.com/platform/services/orders-api.git",
        "https://user:@gitlab.example.com/platform/services/orders-api.git",
    ],
)
def test_credentials_are_refused_without_repeating_the_url(url: str) -> None:
    with pytest.raises(InvalidParametersError) as refused:
        GITLAB.project_of(url)
    assert "credentials" in str(refused.value)
    assert "SECRET" not in str(refused.value)


def test_without_a_git_host_credentials_are_still_refused() -> None:
    url = "https://oauth2:glpat-SECRET@gitlab.example.com/platform/services/orders-api.git"
    with pytest.raises(InvalidParametersError, match="credentials"):
        check_repository(None, {"repoUrl": url})
