"""GitLab host: the ``GitHost`` port over the GitLab v4 API with python-gitlab.

Projects live under one group namespace. A publish finds or creates the project (private, with the
description and topics we were given), pushes every file in one commit through the Commits API
(create/update/delete actions computed against the branch's tree by blob id, so an unchanged tree
makes no commit), and protects the default branch. A project that already has content only gets
branches and merge requests. Errors become ``GitHostError`` (retryable or not) without the token.
"""

from __future__ import annotations

import io
import tarfile
from collections.abc import Sequence
from typing import Any, Literal

import gitlab
from gitlab.exceptions import GitlabCreateError, GitlabGetError
from gitlab.v4.objects import Project

from agentic_common.git.gitlab_errors import gitlab_call
from agentic_common.git.gitlab_projects import GitLabProjects
from agentic_common.git.gitlab_tree import commit_actions, tree_from_listing
from agentic_common.git.paths import change_branch, check_branch, check_files, split_message
from agentic_common.git.port import Files, GitHostError, MergeRequestRef, PublishedRepo


class GitLabHost:
    def __init__(
        self,
        url: str,
        token: str,
        group: str,
        *,
        token_kind: Literal["private", "oauth"] = "private",  # noqa: S107 - a kind, not a token
        branch: str = "main",
        timeout_seconds: float = 30,
        topics: Sequence[str] = ("agentic",),
    ) -> None:
        oauth = token_kind == "oauth"  # noqa: S105 - a kind, not a token
        self._gl = gitlab.Gitlab(
            url,
            private_token=None if oauth else token,
            oauth_token=token if oauth else None,
            timeout=timeout_seconds,
            retry_transient_errors=False,
        )
        self._token = token
        self._branch = branch
        self._projects = GitLabProjects(self._gl, token, group, branch, topics)

    def publish(self, project: str, files: Files, message: str, *, description: str = "") -> PublishedRepo:
        check_files(files)
        proj = self._projects.find_or_create(project, description or split_message(message)[0])
        head = self._head(proj, self._branch)
        if head is None:
            head = self._commit(proj, self._branch, commit_actions({}, files), message)
            self._projects.protect(proj)
            return PublishedRepo(repo_url=proj.http_url_to_repo, commit=head, branch=self._branch)
        self._projects.protect(proj)
        if not commit_actions(self._tree(proj, self._branch), files):
            return PublishedRepo(repo_url=proj.http_url_to_repo, commit=head, branch=self._branch)
        title, body = split_message(message)
        branch = change_branch(files)
        mr = self._propose(proj, branch, files, title, body)
        return PublishedRepo(
            repo_url=proj.http_url_to_repo, commit=mr.commit, branch=branch, merge_request=mr
        )

    def open_merge_request(
        self, project: str, branch: str, files: Files, title: str, description: str
    ) -> MergeRequestRef:
        check_files(files)
        check_branch(branch)
        return self._propose(self._projects.get(project), branch, files, title, description)

    def comment(self, project: str, merge_request_iid: int, body: str) -> None:
        if not body.strip():
            raise GitHostError("a merge request comment needs a non-empty body", retryable=False)
        mr = self._projects.lazy(project).mergerequests.get(merge_request_iid, lazy=True)
        with gitlab_call(
            f"commenting on merge request !{merge_request_iid} of {self._projects.path(project)}", self._token
        ):
            if any(note.body == body for note in mr.notes.list(get_all=True)):
                return
            mr.notes.create({"body": body})

    def read_tree(self, project: str, ref: str) -> dict[str, bytes]:
        with gitlab_call(f"reading {ref} of {self._projects.path(project)}", self._token):
            archive = self._projects.lazy(project).repository_archive(sha=ref, format="tar.gz")
        files: dict[str, bytes] = {}
        with tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz") as tar:
            for member in tar.getmembers():
                _top, _, path = member.name.partition("/")
                extracted = tar.extractfile(member) if member.isfile() else None
                if path and extracted is not None:
                    files[path] = extracted.read()
        return files

    def _head(self, proj: Project, branch: str) -> str | None:
        with gitlab_call(f"reading branch {branch} of {proj.path_with_namespace}", self._token):
            try:
                return str(proj.branches.get(branch).commit["id"])
            except GitlabGetError as exc:
                if exc.response_code == 404:
                    return None
                raise

    def _tree(self, proj: Project, ref: str) -> dict[str, str]:
        with gitlab_call(f"listing the tree of {ref} in {proj.path_with_namespace}", self._token):
            listing = proj.repository_tree(ref=ref, recursive=True, get_all=True, per_page=100)
        return tree_from_listing(list(listing))

    def _commit(
        self,
        proj: Project,
        branch: str,
        actions: list[dict[str, Any]],
        message: str,
        start_branch: str | None = None,
    ) -> str:
        data: dict[str, Any] = {"branch": branch, "commit_message": message, "actions": actions}
        if start_branch:
            data["start_branch"] = start_branch
        with gitlab_call(
            f"committing {len(actions)} file changes to {branch} of {proj.path_with_namespace}", self._token
        ):
            return str(proj.commits.create(data).id)

    def _propose(
        self, proj: Project, branch: str, files: Files, title: str, description: str
    ) -> MergeRequestRef:
        if branch == self._branch:
            raise GitHostError(
                f"a merge request cannot come from the default branch {branch!r}", retryable=False
            )
        base = self._head(proj, self._branch)
        if base is None:
            raise GitHostError(
                f"project {proj.path_with_namespace} has no {self._branch} branch yet; publish it first",
                retryable=False,
            )
        head = self._head(proj, branch)
        actions = commit_actions(self._tree(proj, branch if head else self._branch), files)
        if head is None and not actions:
            raise GitHostError(f"the files are already on {self._branch}: nothing to merge", retryable=False)
        if actions:
            head = self._commit(proj, branch, actions, title, start_branch=None if head else self._branch)
        return self._merge_request(proj, branch, title, description, str(head))

    def _merge_request(
        self, proj: Project, branch: str, title: str, description: str, commit: str
    ) -> MergeRequestRef:
        def opened() -> list[Any]:
            return list(
                proj.mergerequests.list(
                    source_branch=branch, target_branch=self._branch, state="opened", get_all=False
                )
            )

        with gitlab_call(f"opening a merge request from {branch} in {proj.path_with_namespace}", self._token):
            found = opened()
            if not found:
                try:
                    found = [
                        proj.mergerequests.create(
                            {
                                "source_branch": branch,
                                "target_branch": self._branch,
                                "title": title,
                                "description": description,
                                "remove_source_branch": True,
                            }
                        )
                    ]
                except GitlabCreateError as exc:
                    if exc.response_code != 409:  # "Another open merge request already exists"
                        raise
                    found = opened()
        if not found:
            raise GitHostError(f"GitLab reported a merge request from {branch} that it then did not list")
        mr = found[0]
        return MergeRequestRef(iid=int(mr.iid), url=str(mr.web_url), source_branch=branch, commit=commit)
