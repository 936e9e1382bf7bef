"""A local Slack incoming webhook on loopback that enforces Slack's documented message limits.

Slack refuses a whole message when one block breaks a rule, answering ``400 invalid_blocks``;
a message with neither ``text`` nor blocks gets ``400 no_text``. This server applies the limits
of the Block Kit reference to every request (a section's text ≤ 3,000 characters, at most 10 fields
of ≤ 2,000 each; a header's ``plain_text`` ≤ 150; context ≤ 10 elements; ≤ 50 blocks; a ``block_id``
≤ 255; an actions block of ≤ 25 buttons, each with a ``plain_text`` label ≤ 75, a ``url`` ≤ 3,000 and
an ``action_id`` ≤ 255) and, like our notifier's contract requires, a non-empty ``text`` fallback
beside blocks. It records what it accepted, and can be told to answer with an error instead (``fail``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

WEBHOOK_PATH = "/services/T0000/B0000/abcdefghijklmnopqrstuvwx"
MAX_BLOCKS = 50
MAX_SECTION_TEXT = 3000
MAX_FIELDS = 10
MAX_FIELD_TEXT = 2000
MAX_HEADER_TEXT = 150
MAX_CONTEXT_ELEMENTS = 10
MAX_BLOCK_ID = 255
MAX_ACTIONS = 25
MAX_BUTTON_TEXT = 75
MAX_BUTTON_URL = 3000
MAX_ACTION_ID = 255


def _text_ok(obj: Any, limit: int, types: tuple[str, ...] = ("mrkdwn", "plain_text")) -> bool:
    return (
        isinstance(obj, dict)
        and obj.get("type") in types
        and isinstance(obj.get("text"), str)
        and 1 <= len(obj["text"]) <= limit
    )


def _section_ok(block: dict[str, Any]) -> bool:
    text, fields = block.get("text"), block.get("fields")
    if text is None and fields is None:
        return False
    if text is not None and not _text_ok(text, MAX_SECTION_TEXT):
        return False
    return fields is None or (
        isinstance(fields, list)
        and 1 <= len(fields) <= MAX_FIELDS
        and all(_text_ok(f, MAX_FIELD_TEXT) for f in fields)
    )


def _context_ok(block: dict[str, Any]) -> bool:
    elements = block.get("elements")
    return (
        isinstance(elements, list)
        and 1 <= len(elements) <= MAX_CONTEXT_ELEMENTS
        and all(_text_ok(e, MAX_SECTION_TEXT) for e in elements)
    )


def _button_ok(element: Any) -> bool:
    return (
        isinstance(element, dict)
        and element.get("type") == "button"
        and _text_ok(element.get("text"), MAX_BUTTON_TEXT, ("plain_text",))
        and isinstance(element.get("url", ""), str)
        and len(element.get("url", "")) <= MAX_BUTTON_URL
        and len(str(element.get("action_id", ""))) <= MAX_ACTION_ID
        and element.get("style", "primary") in ("primary", "danger")
    )


def _actions_ok(block: dict[str, Any]) -> bool:
    elements = block.get("elements")
    return (
        isinstance(elements, list)
        and 1 <= len(elements) <= MAX_ACTIONS
        and all(_button_ok(e) for e in elements)
    )


def _header_ok(block: dict[str, Any]) -> bool:
    return _text_ok(block.get("text"), MAX_HEADER_TEXT, ("plain_text",))


BLOCK_RULES = {
    "section": _section_ok,
    "header": _header_ok,
    "context": _context_ok,
    "actions": _actions_ok,
    "divider": lambda block: True,
}


def _block_ok(block: Any) -> bool:
    if not isinstance(block, dict) or len(str(block.get("block_id", ""))) > MAX_BLOCK_ID:
        return False
    rule = BLOCK_RULES.get(str(block.get("type")))
    return rule is not None and rule(block)


def slack_error(payload: Any) -> str | None:
    """Slack's error code for this webhook payload, or None when Slack would post it."""
    if not isinstance(payload, dict):
        return "invalid_payload"
    text, blocks = payload.get("text"), payload.get("blocks")
    if not isinstance(text, str) or not text.strip():
        return "no_text"
    if blocks is None:
        return None
    if not isinstance(blocks, list) or len(blocks) > MAX_BLOCKS or not all(_block_ok(b) for b in blocks):
        return "invalid_blocks"
    return None


@dataclass
class SlackWebhook:
    http: HTTPServer
    accepted: list[dict[str, Any]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    failures: list[tuple[int, str]] = field(default_factory=list)
    always: tuple[int, str] | None = None

    @property
    def url(self) -> str:
        return self.http.url_for(WEBHOOK_PATH)

    @property
    def requests(self) -> int:
        return len(self.http.log)

    def fail(self, status: int, body: str, *, times: int | None = None) -> None:
        """Answer ``status body`` the next ``times`` requests (every request when ``times`` is None)."""
        if times is None:
            self.always = (status, body)
        else:
            self.failures += [(status, body)] * times

    def _answer(self, request: Request) -> Response:
        if self.always is not None:
            return Response(self.always[1], status=self.always[0], content_type="text/plain")
        if self.failures:
            status, body = self.failures.pop(0)
            return Response(body, status=status, content_type="text/plain")
        try:
            payload = json.loads(request.get_data(as_text=True))
        except json.JSONDecodeError:
            payload = None
        error = slack_error(payload)
        if error is not None:
            self.refused.append(error)
            return Response(error, status=400, content_type="text/plain")
        self.accepted.append(payload)
        return Response("ok", status=200, content_type="text/plain")


@contextmanager
def slack_webhook() -> Iterator[SlackWebhook]:
    """A webhook server on a free loopback port, stopped when the block ends."""
    with HTTPServer(host="127.0.0.1", port=0) as http:
        hook = SlackWebhook(http)
        http.expect_request(WEBHOOK_PATH, method="POST").respond_with_handler(hook._answer)
        yield hook
