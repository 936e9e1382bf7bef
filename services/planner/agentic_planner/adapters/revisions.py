"""``RevisionResolver`` adapters: which commit a tag, branch or commit names in a project.

``LocalRevisions`` asks the local Git host's bare repository with the real ``git``: ``ls-remote``
for tags (peeled to their commit) and branches, ``rev-parse`` for a commit id (``ls-remote`` lists
refs, not commits). ``GitLabRevisions`` asks GitLab's Commits API, which takes any of the three
(``GET /projects/:id/repository/commits/:ref``); the token never appears in an error.
"""

from __future__ import annotations

import re
from pathlib import Path

from agentic_common.git.local_runner import GitRunner
from agentic_common.git.port import GitHostError

HEX = re.compile(r"^[0-9a-f]{7,40}$")


class LocalRevisions:
    """Projects are the bare repositories ``<root>/<namespace>/<project>.git`` of ``LocalGitHost``."""

    def __init__(self, root: Path, namespace: str, timeout_seconds: float = 30) -> None:
        self._folder = root / namespace
        self._git = GitRunner(timeout_seconds)

    def resolve(self, project: str, ref: str) -> str | None:
        bare = self._folder / f"{project}.git"
        if not (bare / "HEAD").is_file():
            raise GitHostError(f"project {project!r} does not exist", retryable=False)
        wanted = (f"refs/tags/{ref}^{{}}", f"refs/tags/{ref}", f"refs/heads/{ref}")
        listing = self._git.text("ls-remote", "--tags", "--heads", str(bare))
        found = dict(reversed(line.split("\t", 1)) for line in listing.splitlines() if "\t" in line)
        for name in wanted:
            if name in found:
                return found[name]
        if HEX.match(ref):
            commit = self._git.text(
                "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", git_dir=bare, check=False
            )
            return commit or None
        return None


class GitLabRevisions:
    """python-gitlab is imported here, not at module import: a planner without GitLab never loads it
    (about a second of a cold start)."""

    def __init__(self, url: str, token: str, group: str, timeout_seconds: float = 30) -> None:
        import gitlab  # noqa: PLC0415 - see the class docstring

        self._gl = gitlab.Gitlab(
            url, private_token=token, timeout=timeout_seconds, retry_transient_errors=False
        )
        self._token = token
        self._group = group

    def resolve(self, project: str, ref: str) -> str | None:
        from agentic_common.git.gitlab_errors import gitlab_call  # noqa: PLC0415 - loads python-gitlab
        from gitlab.exceptions import GitlabGetError  # noqa: PLC0415

        path = f"{self._group}/{project}"
        with gitlab_call(f"reading project {path}", self._token):
            proj = self._gl.projects.get(path)
        with gitlab_call(f"resolving {ref!r} in {path}", self._token):
            try:
                return str(proj.commits.get(ref).id)
            except GitlabGetError as exc:
                if exc.response_code == 404:
                    return None
                raise
