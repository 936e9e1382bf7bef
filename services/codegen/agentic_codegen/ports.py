"""The ports codegen's logic composes: renderer, secret scanner (+ GitHost and ArtifactStore from common)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from agentic_common.git import Files, GitHost, GitHostError, MergeRequestRef, PublishedRepo

from agentic_codegen.logic.parameters import ServiceParameters

__all__ = [
    "Files",
    "GitHost",
    "GitHostError",
    "MergeRequestRef",
    "PublishedRepo",
    "RenderError",
    "Renderer",
    "SecretFinding",
    "SecretScanner",
]


class RenderError(RuntimeError):
    """A template could not be rendered (a defect in the template, not in the request)."""


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
