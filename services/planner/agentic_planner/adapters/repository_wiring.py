"""The repository rules and the revision resolver for the Git host the settings name.

Locally the platform's repositories are the bare ones under ``$AGENTIC_HOME/git/<namespace>/``
(``file://`` URLs, as ``LocalGitHost`` publishes them); with ``GITLAB_URL`` they are the projects of
the ``AGENTIC_GIT_NAMESPACE`` group on that GitLab (token from ``GITLAB_TOKEN`` or
``GITLAB_TOKEN_SECRET``, registered for redaction).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from agentic_common.git.factory import gitlab_token
from agentic_common.git.settings import GitSettings
from agentic_common.redact import register_secret

from agentic_planner.adapters.revisions import GitLabRevisions, LocalRevisions
from agentic_planner.logic.repositories import RepositoryRules
from agentic_planner.ports import RevisionResolver


def repository_access(
    git: GitSettings, agentic_home: Path, secrets: Any | None = None
) -> tuple[RepositoryRules, RevisionResolver]:
    namespace = git.agentic_git_namespace
    if git.gitlab_url is not None:
        token = gitlab_token(git, secrets)
        register_secret(token)
        url = git.gitlab_url.rstrip("/")
        resolver = GitLabRevisions(url, token, namespace, git.gitlab_timeout_seconds)
        return RepositoryRules(f"{url}/{namespace}/"), resolver
    root = (agentic_home / "git").resolve()
    return RepositoryRules(f"{root.as_uri()}/{namespace}/"), LocalRevisions(root, namespace)
