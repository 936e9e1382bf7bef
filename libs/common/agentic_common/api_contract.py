"""The platform's one OpenAPI document (``openapi.json`` beside this module) and what it says about a path.

The document covers every route of every service; ``agentic_local.openapi_build`` generates it from the
request models and the declared responses, and a test fails when the two drift. The planner serves it
at ``/openapi.json``; the gateway and every service answer 405 (with ``Allow``) and OPTIONS from it.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any

HTTP_METHODS = ("GET", "PUT", "POST", "DELETE", "PATCH")


@cache
def openapi_document() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("openapi.json").read_text(encoding="utf-8")
    document: dict[str, Any] = json.loads(text)
    return document


def _pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}/]+\})", template)
    regex = "".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts)
    return re.compile(f"^{regex}/?$")


@cache
def _templates() -> tuple[tuple[re.Pattern[str], tuple[str, ...]], ...]:
    paths: dict[str, dict[str, Any]] = openapi_document()["paths"]
    return tuple(
        (_pattern(template), tuple(m for m in HTTP_METHODS if m.lower() in operations))
        for template, operations in paths.items()
    )


def allowed_methods(path: str) -> tuple[str, ...] | None:
    """The methods the document declares for ``path`` (with HEAD after GET, and OPTIONS); None: not a path."""
    for pattern, methods in _templates():
        if pattern.match(path):
            extra = ("HEAD",) if "GET" in methods else ()
            return (*methods, *extra, "OPTIONS")
    return None
