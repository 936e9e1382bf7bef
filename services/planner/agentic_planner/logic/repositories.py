"""Which repositories a workflow may name, and which commit a deploy's ``version`` names in it.

A ``repoUrl`` must be a project of the platform's own Git host, directly under its namespace
(``<base><project>.git``): a request, a Backstage form or a model's proposal cannot point the
deployment at any other repository. Credentials inside a URL are refused and never repeated: the
error names the field and the problem, not the value. A ``version`` is a tag, a branch or a commit of
that project, resolved to the commit it names through the ``RevisionResolver`` port.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from agentic_common.git.port import GitHostError

from agentic_planner.logic.catalogue import FieldProblem, InvalidParametersError
from agentic_planner.ports import RevisionResolver

PROJECT = re.compile(r"^[a-z0-9][a-z0-9._-]{0,99}$")
COMMIT = re.compile(r"^[0-9a-f]{40}$")
CREDENTIALS = (
    "carries credentials (user or token before '@'); send the repository URL without them: "
    "the platform reads its repositories with its own credentials, and did not store this URL"
)


class GitHostUnavailableError(RuntimeError):
    """The Git host could not answer now; the request may be sent again later."""


def refuse(field: str, problem: str) -> InvalidParametersError:
    return InvalidParametersError([FieldProblem(field, problem)])


def has_credentials(url: str) -> bool:
    return "@" in urlsplit(url).netloc


@dataclass(frozen=True)
class RepositoryRules:
    """``base`` is ``<host>/<namespace>/``: ``file:///…/git/services/`` or ``https://gitlab…/group/``."""

    base: str

    def project_of(self, url: str, field: str = "parameters.repoUrl") -> str:
        """The project ``url`` names on the platform's Git host, or ``InvalidParametersError``."""
        if has_credentials(url):
            raise refuse(field, CREDENTIALS)
        parts = urlsplit(url)
        rest = url.removeprefix(self.base)
        project = rest.removesuffix(".git").removesuffix("/")
        if parts.query or parts.fragment or rest == url or not PROJECT.match(project):
            raise refuse(
                field,
                f"must be a repository of the platform's Git host, {self.base}<project>.git "
                "(a project of its namespace; other hosts and groups are refused)",
            )
        return project


def check_repository(rules: RepositoryRules | None, parameters: dict[str, Any]) -> str | None:
    """The project of ``parameters['repoUrl']`` (None when the template names no repository)."""
    url = parameters.get("repoUrl")
    if not isinstance(url, str):
        return None
    if rules is None:  # no Git host configured: still never accept credentials in a URL
        if has_credentials(url):
            raise refuse("parameters.repoUrl", CREDENTIALS)
        return None
    return rules.project_of(url)


def resolve_version(resolver: RevisionResolver, project: str, parameters: dict[str, Any]) -> dict[str, Any]:
    """``parameters`` with ``version`` the commit it names and ``ref`` the name that was given."""
    given = str(parameters["version"])
    try:
        commit = resolver.resolve(project, given)
    except GitHostError as exc:
        if exc.retryable:
            raise GitHostUnavailableError(f"the Git host could not resolve {given!r}: {exc}") from None
        raise refuse(
            "parameters.repoUrl", f"repository {project!r} is not readable on the Git host: {exc}"
        ) from None
    if commit is None or not COMMIT.match(commit):
        raise refuse(
            "parameters.version",
            f"{given!r} is not a tag, branch or commit of repository {project!r}",
        )
    return parameters | {"version": commit, "ref": given}
