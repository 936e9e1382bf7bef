"""The ports codegen's logic composes: renderer, secret scanner, Git host (+ ArtifactStore from common)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from agentic_codegen.logic.parameters import ServiceParameters

Files = Mapping[str, bytes]
"""A rendered repository: relative POSIX path → file content."""


class RenderError(RuntimeError):
    """A template could not be rendered (a defect in the template, not in the request)."""


class GitHostError(RuntimeError):
    """The Git host refused or failed an operation; the message says which and why."""


@dataclass(frozen=True)
class PublishedRepo:
    repo_url: str
    commit: str
    branch: str


@dataclass(frozen=True)
class SecretFinding:
    """Where a likely secret is; never the secret itself."""

    path: str
    line: int
    kind: str


class Renderer(Protocol):
    def render(self, params: ServiceParameters) -> dict[str, bytes]: ...


class SecretScanner(Protocol):
    def scan(self, files: Files) -> list[SecretFinding]: ...


class GitHost(Protocol):
    def publish(self, project: str, files: Files, message: str) -> PublishedRepo:
        """Make ``files`` the whole tree of the project's default branch; idempotent.

        If the branch head already has exactly this tree, no commit is made and the head is returned.
        """
