"""A ``Notification`` as Slack Block Kit, built with slack-sdk's models (they check Slack's limits).

Slack refuses a whole message (``400 invalid_blocks``) when one part is over its limit, so every
text is fitted first: escaped for mrkdwn (``&``, ``<``, ``>``), then cut with "…and N more
characters" and a link to the full record. Limits (Block Kit reference): a section's text 3,000
characters; a header's plain text 150; at most 10 fields of 2,000 each; 10 context elements; 50 blocks.
"""

from __future__ import annotations

import re
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from agentic_planner.ports import Notification

SECTION_TEXT_MAX = 3000
HEADER_TEXT_MAX = 150
FIELD_TEXT_MAX = 2000
FIELDS_MAX = 10
CONTEXT_ELEMENTS_MAX = 10
BLOCKS_MAX = 50
FALLBACK_TEXT_MAX = 3000
EMOJI = {"completed": ":white_check_mark:", "failed": ":x:", "awaiting_approval": ":raised_hand:"}
_LINKABLE = re.compile(r"^https?://[^\s<>|]+$")


def escape(text: str) -> str:
    """mrkdwn control characters, as Slack's formatting reference asks."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def link(url: str, label: str) -> str | None:
    return f"<{url}|{escape(label)}>" if _LINKABLE.match(url) else None


def fit(text: str, limit: int, record_url: str | None = None) -> str:
    """``text`` escaped, whole if it fits in ``limit``, else cut with "…and N more characters"."""
    escaped = escape(text)
    if len(escaped) <= limit:
        return escaped
    full = link(record_url, "full record") if record_url else None

    def tail(more: int) -> str:
        return f"\n…and {more} more characters" + (f": {full}" if full else "")

    budget = limit - len(tail(len(text)))  # the tail is longest when nothing is kept
    kept = size = 0
    for char in text:
        width = len(escape(char))
        if size + width > budget:
            break
        size += width
        kept += 1
    return escape(text[:kept]) + tail(len(text) - kept)


def _plain(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _fields(facts: dict[str, str]) -> list[Block]:
    texts = [
        MarkdownTextObject(text=fit(f"*{label}*\n{value}", FIELD_TEXT_MAX)) for label, value in facts.items()
    ]
    return [SectionBlock(fields=texts[i : i + FIELDS_MAX]) for i in range(0, len(texts), FIELDS_MAX)]


def _link_part(name: str, url: str) -> str:
    """A link as mrkdwn (already escaped), or the reference as code when it is not an http(s) URL."""
    part = link(url, name) or f"{escape(name)}: `{escape(url)}`"
    return part if len(part) <= SECTION_TEXT_MAX else fit(name, SECTION_TEXT_MAX)


def _context(notification: Notification) -> list[Block]:
    parts = [_link_part(name, url) for name, url in notification.links.items()]
    if notification.record_url and notification.record_url not in notification.links.values():
        parts += [p for p in [link(notification.record_url, "full record")] if p]
    if not parts:
        return []
    keep = parts[: CONTEXT_ELEMENTS_MAX - 1] if len(parts) > CONTEXT_ELEMENTS_MAX else parts
    texts = list(keep)
    if len(parts) > CONTEXT_ELEMENTS_MAX:  # the rest share the last element, as many as fit
        rest = ""
        for part in parts[len(keep) :]:
            if len(rest) + len(part) + 2 > SECTION_TEXT_MAX:
                break
            rest = f"{rest}  {part}" if rest else part
        texts.append(rest)
    return [ContextBlock(elements=[MarkdownTextObject(text=t) for t in texts if t])]


def blocks_for(notification: Notification) -> list[dict[str, Any]]:
    """The message's blocks as Slack JSON. Raises slack-sdk's ``SlackObjectFormationError`` if invalid."""
    emoji = EMOJI.get(notification.status, ":information_source:")
    blocks: list[Block] = [
        HeaderBlock(text=PlainTextObject(text=_plain(f"{emoji} {notification.title}", HEADER_TEXT_MAX))),
        SectionBlock(
            text=MarkdownTextObject(text=fit(notification.text, SECTION_TEXT_MAX, notification.record_url))
        ),
        *_fields(notification.facts),
    ]
    if notification.commands:
        commands = "\n".join(f"`{command}`" for command in notification.commands)
        blocks.append(SectionBlock(text=MarkdownTextObject(text=fit(commands, SECTION_TEXT_MAX))))
    blocks += _context(notification)
    return [block.to_dict() for block in blocks[:BLOCKS_MAX]]


def fallback_text(notification: Notification) -> str:
    """The top-level ``text``: what notifications and screen readers show."""
    return fit(f"{notification.title}: {notification.text}", FALLBACK_TEXT_MAX, notification.record_url)
