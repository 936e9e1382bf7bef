"""A stateful stand-in for the GitLab v4 endpoints the GitLab adapter uses, on pytest-httpserver.

It keeps projects, branches (path → bytes trees), protected branches, merge requests and notes, and
records every request (method, raw path, query, JSON body, auth headers) so tests can assert what we
send. ``fail`` makes the next matching request answer with an error status.
"""

from __future__ import annotations

import base64
import hashlib
import io
import itertools
import json
import re
import tarfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

TOKEN = "glpat-contract-test-token-0123456789"
GROUP = {"id": 42, "full_path": "platform/services", "path": "services"}


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, str]
    body: Any
    headers: dict[str, str]


@dataclass
class Project:
    id: int
    path: str
    description: str
    topics: list[str]
    branches: dict[str, tuple[str, dict[str, bytes]]] = field(default_factory=dict)
    protected: set[str] = field(default_factory=set)
    tags: dict[str, str] = field(default_factory=dict)  # tag → commit
    merge_requests: list[dict[str, Any]] = field(default_factory=list)


def blob_id(content: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(content) + content, usedforsecurity=False).hexdigest()


def _json(data: Any, status: int = 200) -> Response:
    return Response(json.dumps(data), status=status, content_type="application/json")


class FakeGitLab:
    def __init__(self, base: str) -> None:
        self.base = base
        self.requests: list[Recorded] = []
        self.projects: dict[str, Project] = {}
        self._failures: list[tuple[str, re.Pattern[str], int, Any]] = []
        self._ids = itertools.count(100)

    @property
    def url(self) -> str:
        return self.base

    def fail(self, method: str, path: str, status: int, body: Any = None) -> None:
        payload = body if body is not None else {"message": f"{status} failure"}
        self._failures.append((method, re.compile(path), status, payload))

    def calls(self, method: str | None = None) -> list[tuple[str, str]]:
        return [(r.method, r.path) for r in self.requests if method in (None, r.method)]

    def add_project(self, name: str, files: dict[str, bytes] | None = None) -> Project:
        project = Project(id=next(self._ids), path=f"{GROUP['full_path']}/{name}", description="", topics=[])
        if files is not None:
            project.branches["main"] = (self._sha(), dict(files))
        self.projects[project.path] = project
        return project

    def _sha(self) -> str:
        return hashlib.sha1(str(next(self._ids)).encode(), usedforsecurity=False).hexdigest()

    def handle(self, request: Request) -> Response:
        raw = urlsplit(request.environ.get("REQUEST_URI") or request.environ["RAW_URI"]).path
        body = request.get_json(silent=True)
        headers = {
            k.lower(): v
            for k, v in request.headers.items()
            if k.lower() in ("private-token", "authorization")
        }
        self.requests.append(Recorded(request.method, raw, dict(request.args), body, headers))
        if (
            request.headers.get("PRIVATE-TOKEN") != TOKEN
            and request.headers.get("Authorization") != f"Bearer {TOKEN}"
        ):
            return _json({"message": "401 Unauthorized"}, 401)
        for index, (method, pattern, status, payload) in enumerate(self._failures):
            if method == request.method and pattern.search(raw):
                del self._failures[index]
                return _json(payload, status)
        return self._route(request.method, raw.removeprefix("/api/v4"), request, body or {})

    def _project(self, ref: str) -> Project | None:
        ref = unquote(ref)
        return next((p for p in self.projects.values() if ref in (str(p.id), p.path)), None)

    def _route(self, method: str, path: str, request: Request, body: dict[str, Any]) -> Response:
        if match := re.fullmatch(r"/groups/([^/]+)", path):
            return (
                _json(GROUP)
                if unquote(match[1]) == GROUP["full_path"]
                else _json({"message": "404 Group Not Found"}, 404)
            )
        if path == "/projects" and method == "POST":
            return self._create_project(body)
        match = re.fullmatch(r"/projects/([^/]+)(/.*)?", path)
        project = self._project(match[1]) if match else None
        if match is None or project is None:
            return _json({"message": "404 Project Not Found"}, 404)
        return ProjectRoutes(self, project).route(method, match[2] or "", request, body)

    def _create_project(self, body: dict[str, Any]) -> Response:
        if body.get("namespace_id") != GROUP["id"]:
            return _json({"message": {"namespace": ["is not valid"]}}, 400)
        path = f"{GROUP['full_path']}/{body['path']}"
        if path in self.projects:
            return _json({"message": {"path": ["has already been taken"]}}, 400)
        project = self.add_project(body["path"])
        project.description, project.topics = body.get("description", ""), body.get("topics", [])
        return _json(project_json(self, project), 201)


def project_json(fake: FakeGitLab, project: Project) -> dict[str, Any]:
    return {
        "id": project.id,
        "path_with_namespace": project.path,
        "description": project.description,
        "topics": project.topics,
        "default_branch": "main",
        "http_url_to_repo": f"{fake.base}/{project.path}.git",
        "web_url": f"{fake.base}/{project.path}",
    }


class ProjectRoutes:
    def __init__(self, fake: FakeGitLab, project: Project) -> None:
        self.fake, self.p = fake, project

    def route(self, method: str, rest: str, request: Request, body: dict[str, Any]) -> Response:
        routes: list[tuple[str, str, Callable[[re.Match[str]], Response]]] = [
            ("GET", r"", lambda m: _json(project_json(self.fake, self.p))),
            ("PUT", r"", lambda m: self._update(body)),
            ("GET", r"/repository/branches/(.+)", lambda m: self._branch(unquote(m[1]))),
            ("GET", r"/repository/tree", lambda m: self._tree(request.args["ref"])),
            ("POST", r"/repository/commits", lambda m: self._commit(body)),
            ("GET", r"/repository/commits/(.+)", lambda m: self._commit_of(unquote(m[1]))),
            (
                "GET",
                r"/repository/archive\.tar\.gz",
                lambda m: self._archive(request.args.get("sha", "main")),
            ),
            ("GET", r"/protected_branches/(.+)", lambda m: self._protected(unquote(m[1]))),
            ("POST", r"/protected_branches", lambda m: self._protect(body)),
            ("GET", r"/merge_requests", lambda m: self._list_mrs(request.args)),
            ("POST", r"/merge_requests", lambda m: self._create_mr(body)),
            ("GET", r"/merge_requests/(\d+)/notes", lambda m: self._notes(int(m[1]))),
            ("POST", r"/merge_requests/(\d+)/notes", lambda m: self._note(int(m[1]), body)),
        ]
        for verb, pattern, action in routes:
            if verb == method and (match := re.fullmatch(pattern, rest)):
                return action(match)
        return _json({"message": "404 Not Found"}, 404)

    def _update(self, body: dict[str, Any]) -> Response:
        self.p.description = body.get("description", self.p.description)
        self.p.topics = body.get("topics", self.p.topics)
        return _json(project_json(self.fake, self.p))

    def _branch(self, name: str) -> Response:
        if name not in self.p.branches:
            return _json({"message": "404 Branch Not Found"}, 404)
        return _json({"name": name, "commit": {"id": self.p.branches[name][0]}})

    def _commit_of(self, ref: str) -> Response:
        """GET a commit by branch, tag or (short) id, as GitLab's Commits API resolves ``:sha``."""
        commits = {sha for sha, _files in self.p.branches.values()} | set(self.p.tags.values())
        found = self.p.branches[ref][0] if ref in self.p.branches else self.p.tags.get(ref)
        found = found or next((sha for sha in commits if len(ref) >= 7 and sha.startswith(ref)), None)
        if found is None:
            return _json({"message": "404 Commit Not Found"}, 404)
        return _json({"id": found, "short_id": found[:8], "title": "commit"})

    def _tree(self, ref: str) -> Response:
        files = self.p.branches.get(ref, ("", {}))[1]
        entries = [
            {"path": p, "type": "blob", "id": blob_id(c), "mode": "100644"} for p, c in sorted(files.items())
        ]
        folders = {p.rsplit("/", 1)[0] for p in files if "/" in p}
        entries += [{"path": d, "type": "tree", "id": "0" * 40, "mode": "040000"} for d in sorted(folders)]
        return _json(entries)

    def _commit(self, body: dict[str, Any]) -> Response:
        branch, start = body["branch"], body.get("start_branch")
        if branch in self.p.branches:
            files = dict(self.p.branches[branch][1])
        elif start in self.p.branches or not self.p.branches:
            files = dict(self.p.branches[start][1]) if start else {}
        else:
            return _json({"message": "You can only create or edit files when you are on a branch"}, 400)
        for action in body["actions"]:
            path, kind = action["file_path"], action["action"]
            if (kind == "create") == (path in files):
                problem = "already exists" if path in files else "does not exist"
                return _json({"message": f"A file with this name {problem}"}, 400)
            if kind == "delete":
                del files[path]
            else:
                files[path] = base64.b64decode(action["content"])
        sha = self.fake._sha()
        self.p.branches[branch] = (sha, files)
        return _json({"id": sha, "short_id": sha[:8], "title": body["commit_message"].splitlines()[0]}, 201)

    def _archive(self, ref: str) -> Response:
        if ref not in self.p.branches:
            return _json({"message": "404 File Not Found"}, 404)
        sha, files = self.p.branches[ref]
        out = io.BytesIO()
        with tarfile.open(fileobj=out, mode="w:gz") as tar:
            for path, content in files.items():
                info = tarfile.TarInfo(f"orders-{ref}-{sha}/{path}")
                info.size = len(content)
                tar.addfile(info, io.BytesIO(content))
        return Response(out.getvalue(), content_type="application/octet-stream")

    def _protected(self, name: str) -> Response:
        if name not in self.p.protected:
            return _json({"message": "404 Not found"}, 404)
        return _json({"name": name})

    def _protect(self, body: dict[str, Any]) -> Response:
        if body["name"] in self.p.protected:
            return _json({"message": "Protected branch 'main' already exists"}, 409)
        self.p.protected.add(body["name"])
        return _json({"name": body["name"]}, 201)

    def _list_mrs(self, args: Any) -> Response:
        keys = ("source_branch", "target_branch", "state")
        found = [m for m in self.p.merge_requests if all(m[k] == args[k] for k in keys if k in args)]
        return _json(found)

    def _create_mr(self, body: dict[str, Any]) -> Response:
        if any(
            m["source_branch"] == body["source_branch"] and m["state"] == "opened"
            for m in self.p.merge_requests
        ):
            return _json(
                {"message": ["Another open merge request already exists for this source branch"]}, 409
            )
        iid = len(self.p.merge_requests) + 1
        mr = {
            **body,
            "iid": iid,
            "id": 1000 + iid,
            "state": "opened",
            "notes": [],
            "web_url": f"{self.fake.base}/{self.p.path}/-/merge_requests/{iid}",
        }
        self.p.merge_requests.append(mr)
        return _json({k: v for k, v in mr.items() if k != "notes"}, 201)

    def _notes(self, iid: int) -> Response:
        mrs = [m for m in self.p.merge_requests if m["iid"] == iid]
        return _json(mrs[0]["notes"]) if mrs else _json({"message": "404 Not found"}, 404)

    def _note(self, iid: int, body: dict[str, Any]) -> Response:
        mrs = [m for m in self.p.merge_requests if m["iid"] == iid]
        if not mrs:
            return _json({"message": "404 Not found"}, 404)
        note = {"id": len(mrs[0]["notes"]) + 1, "body": body["body"]}
        mrs[0]["notes"].append(note)
        return _json(note, 201)


@pytest.fixture
def gitlab_server(httpserver: HTTPServer) -> FakeGitLab:
    """The fake GitLab on a loopback port; pytest-httpserver stops and clears it after the test."""
    fake = FakeGitLab(httpserver.url_for("").rstrip("/"))
    httpserver.expect_request(re.compile(r"/api/v4/.*")).respond_with_handler(fake.handle)
    return fake
