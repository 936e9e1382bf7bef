"""Git settings refuse namespaces and branch names that could climb out of the repository root."""

from __future__ import annotations

import pytest
from agentic_common.git.settings import GitSettings
from pydantic import ValidationError


@pytest.mark.parametrize("namespace", ["services", "platform/services", "team.a/svc-1"])
def test_plain_and_nested_group_namespaces_are_accepted(namespace: str) -> None:
    assert GitSettings(agentic_git_namespace=namespace).agentic_git_namespace == namespace


@pytest.mark.parametrize("namespace", ["a/../b", "../x", "a//b", "a/", "/abs", "a/.hidden", "Upper"])
def test_namespaces_that_could_escape_or_are_malformed_are_refused(namespace: str) -> None:
    with pytest.raises(ValidationError, match="agentic_git_namespace"):
        GitSettings(agentic_git_namespace=namespace)


@pytest.mark.parametrize("branch", ["../main", "a..b", "main/", "-x"])
def test_default_branch_names_with_dots_or_slashes_out_of_place_are_refused(branch: str) -> None:
    with pytest.raises(ValidationError, match="agentic_git_default_branch"):
        GitSettings(agentic_git_default_branch=branch)


def test_gitlab_topics_are_split_and_trimmed() -> None:
    settings = GitSettings(gitlab_url="https://gitlab.example.com", gitlab_topics=" agentic, python ,,")
    assert settings.uses_gitlab
    assert settings.topics == ["agentic", "python"]
