"""GitLab projects under one group: find or create (private, description, topics), protect the default
branch. Part of the GitLab host; every call translates failures with ``gitlab_call``."""

from __future__ import annotations

from collections.abc import Sequence

import gitlab
from gitlab.exceptions import GitlabCreateError, GitlabGetError
from gitlab.v4.objects import Project

from agentic_common.git.gitlab_errors import gitlab_call
from agentic_common.git.paths import check_project

MAINTAINER = 40


class GitLabProjects:
    def __init__(self, gl: gitlab.Gitlab, token: str, group: str, branch: str, topics: Sequence[str]) -> None:
        self._gl = gl
        self._token = token
        self._group = group
        self._branch = branch
        self._topics = list(topics)

    def path(self, project: str) -> str:
        check_project(project)
        return f"{self._group}/{project}"

    def lazy(self, project: str) -> Project:
        return self._gl.projects.get(self.path(project), lazy=True)

    def get(self, project: str) -> Project:
        with gitlab_call(f"looking up project {self.path(project)}", self._token):
            return self._gl.projects.get(self.path(project))

    def find_or_create(self, project: str, description: str) -> Project:
        path = self.path(project)
        with gitlab_call(f"looking up project {path}", self._token):
            try:
                proj = self._gl.projects.get(path)
            except GitlabGetError as exc:
                if exc.response_code != 404:
                    raise
                proj = self._create(project, description)
        with gitlab_call(f"setting the description and topics of {path}", self._token):
            if proj.description != description or sorted(proj.topics or []) != sorted(self._topics):
                proj.description, proj.topics = description, self._topics
                proj.save()
        return proj

    def _create(self, project: str, description: str) -> Project:
        with gitlab_call(f"looking up group {self._group}", self._token):
            group = self._gl.groups.get(self._group)
        with gitlab_call(f"creating project {self.path(project)}", self._token):
            try:
                return self._gl.projects.create(
                    {
                        "name": project,
                        "path": project,
                        "namespace_id": group.id,
                        "description": description,
                        "topics": self._topics,
                        "visibility": "private",
                        "default_branch": self._branch,
                        "initialize_with_readme": False,
                    }
                )
            except GitlabCreateError as exc:
                if exc.response_code not in (400, 409):  # created meanwhile: "has already been taken"
                    raise
                return self._gl.projects.get(self.path(project))

    def protect(self, proj: Project) -> None:
        with gitlab_call(f"protecting {self._branch} of {proj.path_with_namespace}", self._token):
            try:
                proj.protectedbranches.get(self._branch)
                return
            except GitlabGetError as exc:
                if exc.response_code != 404:
                    raise
            try:
                proj.protectedbranches.create(
                    {
                        "name": self._branch,
                        "push_access_level": MAINTAINER,
                        "merge_access_level": MAINTAINER,
                        "allow_force_push": False,
                    }
                )
            except GitlabCreateError as exc:
                if exc.response_code != 409:  # protected meanwhile
                    raise
