"""Size limits per input type, so the cost of a validation is bounded whatever is sent.

Each file is measured by what it is (the same tests the engines use to pick it up): a Dockerfile by
bytes and lines, Kubernetes manifests, Terraform HCL, plan JSON and GitLab CI files by bytes. A file
over its limit is refused before any engine runs (``InputTooLargeError`` names the file, the size and
the limit); nothing is evaluated in part. A repository also obeys ``ArchiveLimits`` (files, bytes).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath

from agentic_policy.logic.documents.repository import is_dockerfile, is_plan

KIB = 1024


class InputTooLargeError(ValueError):
    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.path, self.message = path, message


@dataclass(frozen=True)
class InputLimits:
    dockerfile_bytes: int = 64 * KIB
    dockerfile_lines: int = 1000
    manifest_bytes: int = 1024 * KIB
    terraform_bytes: int = 1024 * KIB
    plan_bytes: int = 4096 * KIB
    gitlab_ci_bytes: int = 256 * KIB

    def check(self, files: Mapping[str, bytes]) -> None:
        """Raise ``InputTooLargeError`` for the first file (in path order) over its type's limit."""
        for path in sorted(files):
            self.check_file(path, files[path])

    def check_file(self, path: str, content: bytes) -> None:
        kind, limit = self._limit(path, content)
        if kind is None:
            return
        if kind == "Dockerfile":
            lines = content.count(b"\n") + (0 if content.endswith(b"\n") else 1)
            if lines > self.dockerfile_lines:
                raise InputTooLargeError(
                    path, f"{path} (Dockerfile) has {lines} lines; the limit is {self.dockerfile_lines} lines"
                )
        if len(content) > limit:
            raise InputTooLargeError(
                path, f"{path} ({kind}) is {len(content)} bytes; the limit is {limit} bytes"
            )

    def _limit(self, path: str, content: bytes) -> tuple[str | None, int]:
        name = PurePosixPath(path).name
        if is_dockerfile(path):
            return "Dockerfile", self.dockerfile_bytes
        if name == ".gitlab-ci.yml":
            return "GitLab CI file", self.gitlab_ci_bytes
        if name.endswith((".yaml", ".yml")):
            return "manifest", self.manifest_bytes
        if name.endswith(".tf"):
            return "Terraform file", self.terraform_bytes
        if is_plan(path, content):
            return "Terraform plan JSON", self.plan_bytes
        return None, 0
