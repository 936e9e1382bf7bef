"""Bodies no API should try to decode, refused at every API function's entry with a 400 problem.

JSON nested deeper than ``MAX_JSON_DEPTH`` (Python's decoder would raise ``RecursionError``) and a
multipart body whose content type has no boundary are client errors; they were 500s (issue 18).
"""

from __future__ import annotations

import base64
import binascii
import functools
import re
from collections.abc import Callable
from typing import Any

from agentic_common.problems import PROBLEM_JSON, problem_bytes

MAX_JSON_DEPTH = 64
_STRING_OR_BRACKET = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')
ApiHandler = Callable[[dict[str, Any], Any], dict[str, Any]]


def json_depth_exceeds(text: str, limit: int = MAX_JSON_DEPTH) -> bool:
    """True when brackets outside strings nest deeper than ``limit`` (a linear scan, no recursion)."""
    if text.count("[") + text.count("{") <= limit:
        return False
    depth = 0
    for token in _STRING_OR_BRACKET.finditer(text):
        char = token.group()
        if char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}":
            depth -= 1
    return False


def _body_text(event: dict[str, Any]) -> str:
    body = event.get("body") or ""
    if not event.get("isBase64Encoded"):
        return str(body)
    try:
        return base64.b64decode(body).decode("utf-8", errors="replace")
    except (binascii.Error, ValueError):
        return ""


def unreadable_body(event: dict[str, Any]) -> str | None:
    """Why the request's body cannot be decoded safely, or None."""
    headers = {str(k).lower(): str(v) for k, v in (event.get("headers") or {}).items()}
    content_type = headers.get("content-type", "").lower()
    if content_type.startswith("multipart/") and "boundary=" not in content_type:
        return "a multipart body needs a boundary in its Content-Type; send application/json"
    if (not content_type or "json" in content_type) and json_depth_exceeds(_body_text(event)):
        return f"the JSON body nests deeper than {MAX_JSON_DEPTH} levels"
    return None


def problem_payload(status: int, code: str, detail: str, field: str = "body") -> dict[str, Any]:
    """An API Gateway (payload v2) function response carrying a problem."""
    return {
        "statusCode": status,
        "headers": {"Content-Type": PROBLEM_JSON},
        "body": problem_bytes(status, code, detail, [{"field": field, "problem": detail}]).decode(),
        "isBase64Encoded": False,
    }


def _as_get(event: dict[str, Any]) -> dict[str, Any]:
    context = dict(event.get("requestContext") or {})
    context["http"] = dict(context.get("http") or {}) | {"method": "GET"}
    return event | {"requestContext": context}


def guarded(handler: ApiHandler) -> ApiHandler:
    """``handler``, answering 400 before it runs when the body is one no API should decode.

    HEAD is answered as GET without the body (HTTP's rule), so no route needs to declare it.
    """

    @functools.wraps(handler)
    def guard(event: dict[str, Any], context: Any) -> dict[str, Any]:
        reason = unreadable_body(event)
        if reason is not None:
            return problem_payload(400, "unreadable_body", reason)
        method = str(((event.get("requestContext") or {}).get("http") or {}).get("method", "")).upper()
        if method != "HEAD":
            return handler(event, context)
        return handler(_as_get(event), context) | {"body": "", "isBase64Encoded": False}

    return guard
