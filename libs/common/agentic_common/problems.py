"""Error bodies of every API: ``application/problem+json`` (RFC 9457), built here and nowhere else.

A problem has the standard members ``type``, ``title``, ``status`` and ``detail``, plus ``errors``
(each field with its problem) when the request named something wrong. ``error`` (a stable code, the
last segment of ``type``) and ``message`` (the same text as ``detail``) are extension members kept
for clients written before RFC 9457 (the ``agentic`` CLI reads them).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from http import HTTPStatus
from typing import Any

PROBLEM_JSON = "application/problem+json"
TYPE_PREFIX = "urn:agentic-devops:problem:"


def title_of(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def problem(
    status: int, code: str, detail: str, errors: list[dict[str, str]] | None = None, **extra: Any
) -> dict[str, Any]:
    """The RFC 9457 body: what went wrong (``detail``), and each field with its problem (``errors``)."""
    body: dict[str, Any] = {
        "type": TYPE_PREFIX + code,
        "title": title_of(status),
        "status": status,
        "detail": detail,
        "error": code,
        "message": detail,
    }
    if errors:
        body["errors"] = errors
    return body | extra


def problem_bytes(
    status: int, code: str, detail: str, errors: list[dict[str, str]] | None = None, **extra: Any
) -> bytes:
    return json.dumps(problem(status, code, detail, errors, **extra)).encode()


def field_problems(raw_errors: Iterable[Mapping[str, Any]]) -> list[dict[str, str]]:
    """Pydantic's errors as ``[{field, problem}]``: a dotted path (without ``body``), a readable text."""
    return [
        {
            "field": ".".join(str(part) for part in e.get("loc", ()) if part != "body") or "body",
            "problem": str(e.get("msg", "is invalid")).removeprefix("Value error, "),
        }
        for e in raw_errors
    ]
