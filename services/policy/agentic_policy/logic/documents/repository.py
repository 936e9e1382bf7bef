"""Assemble the bundle's ``input`` from a map of files, collecting (not raising) per-file parse problems."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from agentic_policy.logic.documents.docker import dockerfile_document
from agentic_policy.logic.documents.errors import UnreadableInputError
from agentic_policy.logic.documents.kubernetes import (
    load_yaml_documents,
    looks_like_manifests,
    manifest_documents,
)
from agentic_policy.logic.documents.terraform import hcl_providers, hcl_resources, parse_hcl, plan_resources


def is_dockerfile(path: str) -> bool:
    name = PurePosixPath(path).name
    return name == "Dockerfile" or name.startswith("Dockerfile.") or name.endswith(".Dockerfile")


def is_requirements(path: str) -> bool:
    name = PurePosixPath(path).name
    return name.startswith("requirements") and name.endswith(".txt")


def is_plan(path: str, content: bytes) -> bool:
    return path.endswith(".json") and b'"planned_values"' in content


def text_of(content: bytes, path: str) -> str:
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        raise UnreadableInputError(path, "is not UTF-8 text") from None


@dataclass
class PolicyDocument:
    """The bundle's input plus the problems met while building it."""

    environment: str
    repository: bool = False
    files: list[str] = field(default_factory=list)
    resources: list[dict[str, Any]] = field(default_factory=list)
    providers: list[dict[str, Any]] = field(default_factory=list)
    kubernetes: list[dict[str, Any]] = field(default_factory=list)
    dockerfiles: list[dict[str, Any]] = field(default_factory=list)
    requirements: list[dict[str, Any]] = field(default_factory=list)
    catalog: list[dict[str, Any]] = field(default_factory=list)
    problems: list[UnreadableInputError] = field(default_factory=list)

    def as_input(self) -> dict[str, Any]:
        return {
            "environment": self.environment,
            "repository": self.repository,
            "files": self.files,
            "terraform": {"resources": self.resources, "providers": self.providers},
            "kubernetes": self.kubernetes,
            "dockerfiles": self.dockerfiles,
            "requirements": self.requirements,
            "catalog": self.catalog,
        }

    def add(self, path: str, content: bytes) -> None:
        """Read one file into the document; a parse problem is kept, not raised."""
        try:
            self._add(path, content)
        except UnreadableInputError as problem:
            self.problems.append(problem)

    def _add(self, path: str, content: bytes) -> None:
        if path.endswith(".tf"):
            parsed = parse_hcl(text_of(content, path), path)
            self.resources.extend(hcl_resources(parsed, path))
            self.providers.extend(hcl_providers(parsed))
        elif is_plan(path, content):
            self.resources.extend(plan_resources(content, path))
        elif is_dockerfile(path):
            self.dockerfiles.append(dockerfile_document(content, path))
        elif is_requirements(path):
            lines = text_of(content, path).splitlines()
            self.requirements.extend({"file": path, "line": n, "text": t} for n, t in enumerate(lines, 1))
        elif PurePosixPath(path).name == "catalog-info.yaml" and path.count("/") == 0:
            entities = [e for e in load_yaml_documents(content, path) if isinstance(e, dict)]
            self.catalog.append({"file": path, "entities": entities})
        elif looks_like_manifests(path, content):
            self.kubernetes.extend(manifest_documents(content, path))


def build_document(files: Mapping[str, bytes], environment: str, *, repository: bool) -> PolicyDocument:
    document = PolicyDocument(environment=environment, repository=repository, files=sorted(files))
    for path in sorted(files):
        document.add(path, files[path])
    return document
