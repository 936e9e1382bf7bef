"""Kubernetes objects for the bundle: every YAML document with apiVersion and kind.

Helm templates (``{{ ... }}``) are not manifests until rendered; Backstage entities are not
Kubernetes objects; both are left out.
"""

from __future__ import annotations

from typing import Any

import yaml
from agentic_checks.yaml_fast import load_all

from agentic_policy.logic.documents.errors import UnreadableInputError

NOT_KUBERNETES = ("backstage.io/",)


def load_yaml_documents(content: bytes, path: str) -> list[Any]:
    try:
        return [d for d in load_all(content) if d is not None]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise UnreadableInputError(path, f"is not valid YAML{where}: {problem}") from None


def is_manifest(document: Any) -> bool:
    return (
        isinstance(document, dict)
        and isinstance(document.get("apiVersion"), str)
        and isinstance(document.get("kind"), str)
        and not document["apiVersion"].startswith(NOT_KUBERNETES)
    )


def manifest_documents(content: bytes, path: str) -> list[dict[str, Any]]:
    return [{"file": path, "object": d} for d in load_yaml_documents(content, path) if is_manifest(d)]


def looks_like_manifests(path: str, content: bytes) -> bool:
    return path.endswith((".yaml", ".yml")) and b"{{" not in content and b"apiVersion" in content
