"""The Git host port: what codegen (publish, upgrade) and policy (comments) need from a Git server.

Two adapters implement it: ``LocalGitHost`` (bare repositories on disk, the default) and
``GitLabHost`` (python-gitlab against a GitLab v4 API).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

Files = Mapping[str, bytes]
"""A repository tree: relative POSIX path → file content."""


class GitHostError(RuntimeError):
    """The Git host refused or failed an operation; the message says which and why (never a token).

    ``retryable`` says whether the same call may succeed later (timeouts, 5xx, a concurrent push)
    or never will without a change (bad token, missing group, invalid path).
    """

    def __init__(self, message: str, *, retryable: bool = True) -> None:
        super().__init__(message)
        self.retryable = retryable


@dataclass(frozen=True)
class MergeRequestRef:
    iid: int
    url: str
    source_branch: str = ""
    commit: str = ""


@dataclass(frozen=True)
class PublishedRepo:
    repo_url: str
    commit: str
    branch: str
    merge_request: MergeRequestRef | None = None


class GitHost(Protocol):
    def publish(self, project: str, files: Files, message: str, *, description: str = "") -> PublishedRepo:
        """Make ``files`` the project's tree, idempotently; ``description`` describes the project.

        A new or empty project gets one commit on its default branch. A project whose default branch
        already has content gets the change on a branch named after the tree, with a merge request;
        the default branch is never pushed to. If the default branch already holds exactly ``files``
        nothing is committed. Re-running finds the same project, commit and merge request.
        """
        ...

    def open_merge_request(
        self, project: str, branch: str, files: Files, title: str, description: str
    ) -> MergeRequestRef:
        """Make ``files`` the whole tree of ``branch`` (cut from the default branch) and open a merge
        request into the default branch; an open one for the branch is reused."""
        ...

    def comment(self, project: str, merge_request_iid: int, body: str) -> None:
        """Add a note to a merge request; the same body twice is posted once."""
        ...

    def read_tree(self, project: str, ref: str) -> dict[str, bytes]:
        """Every file at ``ref`` (a branch, tag or commit)."""
        ...
