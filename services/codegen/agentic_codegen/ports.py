"""The ports codegen's logic composes: renderer, secret scanner, resource proposer (Claude), and GitHost
and ArtifactStore from common."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from agentic_common.git import Files, GitHost, GitHostError, MergeRequestRef, PublishedRepo

from agentic_codegen.logic.parameters import ServiceParameters

__all__ = [
    "Files",
    "GitHost",
    "GitHostError",
    "MergeRequestRef",
    "ProposerError",
    "PublishedRepo",
    "RenderError",
    "Renderer",
    "ResourceProposer",
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


class ProposerError(RuntimeError):
    """The model could not be asked (network, auth, rate limit); says whether a retry may help."""

    def __init__(self, message: str, *, retryable: bool) -> None:
        super().__init__(message)
        self.retryable = retryable


class ResourceProposer(Protocol):
    def propose(self, description: str, existing: list[dict[str, Any]]) -> object:
        """The model's raw, untrusted proposal (what it put in the tool call), or None."""
        ...
