"""One log line per API request, carrying the workflow it concerns (from the path or the answer)."""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from agentic_common.log_context import log_context

log = logging.getLogger("agentic.api")
_WORKFLOW_IN_PATH = re.compile(r"^/workflows/(?P<id>[^/]+)")


def workflow_in_request(event: dict[str, Any]) -> str | None:
    """``wf-…`` of ``/workflows/wf-…`` (None for any other path)."""
    found = _WORKFLOW_IN_PATH.match(str(event.get("rawPath") or ""))
    return found.group("id") if found else None


def _workflow_in_answer(response: dict[str, Any]) -> str | None:
    body = response.get("body")
    if not isinstance(body, str) or '"workflowId"' not in body:
        return None
    try:
        parsed = json.loads(body)
    except json.JSONDecodeError:
        return None
    value = parsed.get("workflowId") if isinstance(parsed, dict) else None
    return value if isinstance(value, str) else None


def log_request(event: dict[str, Any], response: dict[str, Any]) -> None:
    """``POST /workflows -> 201``, with ``workflow_id`` when the path or the answer names one."""
    method = event.get("requestContext", {}).get("http", {}).get("method", "")
    with log_context(workflow_id=workflow_in_request(event) or _workflow_in_answer(response)):
        log.info("%s %s -> %s", method, event.get("rawPath", ""), response.get("statusCode", 0))
