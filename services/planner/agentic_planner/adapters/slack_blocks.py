"""A ``Notification`` as Slack Block Kit, built with slack-sdk's models (they check Slack's limits).

Slack refuses a whole message (``400 invalid_blocks``) when one part is over its limit, so every
text is fitted first: escaped for mrkdwn (``&``, ``<``, ``>``), then cut with "…and N more
characters" and a link to the full record. Limits (Block Kit reference): a section's text 3,000
characters; a header's plain text 150; at most 10 fields of 2,000 each; 10 context elements; 50 blocks;
an actions block of at most 25 buttons, each with a label of 75 characters and a URL of 3,000.
Only public http(s) URLs are linked or made buttons (``logic.public_links``): a loopback or
``file://`` reference is shown as code.
"""

from __future__ import annotations

import re
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from agentic_planner.logic.public_links import is_public
from agentic_planner.ports import Notification

SECTION_TEXT_MAX = 3000
HEADER_TEXT_MAX = 150
FIELD_TEXT_MAX = 2000
FIELDS_MAX = 10
CONTEXT_ELEMENTS_MAX = 10
BLOCKS_MAX = 50
BUTTONS_MAX = 25
BUTTON_TEXT_MAX = 75
BUTTON_URL_MAX = 3000
FALLBACK_TEXT_MAX = 3000
EMOJI = {"completed": ":white_check_mark:", "failed": ":x:", "awaiting_approval": ":raised_hand:"}
_LINKABLE = re.compile(r"^https?://[^\s<>|]+$")
STYLES = {"completed": "primary", "failed": "danger"}


def escape(text: str) -> str:
    """mrkdwn control characters, as Slack's formatting reference asks."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def link(url: str, label: str) -> str | None:
    """A mrkdwn link, or None when ``url`` is not a public http(s) URL (loopback is never linked)."""
    return f"<{url}|{escape(label)}>" if _LINKABLE.match(url) and is_public(url) else None


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


def _field(label: str, value: str, url: str | None) -> MarkdownTextObject:
    linked = link(url, value) if url else None
    text = f"*{escape(label)}*\n{linked}" if linked else None
    if text is None or len(text) > FIELD_TEXT_MAX:
        text = fit(f"*{label}*\n{value}", FIELD_TEXT_MAX)
    return MarkdownTextObject(text=text)


def _fields(facts: dict[str, str], links: dict[str, str]) -> list[Block]:
    texts = [_field(label, value, links.get(label)) for label, value in facts.items()]
    return [SectionBlock(fields=texts[i : i + FIELDS_MAX]) for i in range(0, len(texts), FIELDS_MAX)]


def _link_part(name: str, url: str) -> str:
    """A link as mrkdwn (already escaped), or the reference as code when it is not an http(s) URL."""
    part = link(url, name) or f"{escape(name)}: `{escape(url)}`"
    return part if len(part) <= SECTION_TEXT_MAX else fit(name, SECTION_TEXT_MAX)


def _actions(notification: Notification) -> list[Block]:
    """The actions as link buttons: public http(s) URLs only, at most 25."""
    style = STYLES.get(notification.status)
    buttons = [
        ButtonElement(
            text=_plain(label, BUTTON_TEXT_MAX),
            url=url,
            action_id=f"open-{index}",
            style=style if index == 0 else None,
        )
        for index, (label, url) in enumerate(notification.actions.items())
        if link(url, label) and len(url) <= BUTTON_URL_MAX
    ]
    return [ActionsBlock(elements=buttons[:BUTTONS_MAX])] if buttons else []


def _context(notification: Notification) -> list[Block]:
    buttons = set(notification.actions.values())
    parts = [_link_part(name, url) for name, url in notification.links.items() if url not in buttons]
    shown = {*notification.links.values(), *buttons}
    if notification.record_url and notification.record_url not in shown:
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


def payload_for(notification: Notification) -> dict[str, Any]:
    """The exact webhook body: the ``text`` fallback and the blocks."""
    return {"text": fallback_text(notification), "blocks": blocks_for(notification)}


def blocks_for(notification: Notification) -> list[dict[str, Any]]:
    """The message's blocks as Slack JSON. Raises slack-sdk's ``SlackObjectFormationError`` if invalid."""
    emoji = EMOJI.get(notification.status, ":information_source:")
    blocks: list[Block] = [
        HeaderBlock(text=PlainTextObject(text=_plain(f"{emoji} {notification.title}", HEADER_TEXT_MAX))),
        SectionBlock(
            text=MarkdownTextObject(text=fit(notification.text, SECTION_TEXT_MAX, notification.record_url))
        ),
        *_fields(notification.facts, notification.fact_links),
        *_actions(notification),
    ]
    if notification.commands:
        commands = "\n".join(f"`{command}`" for command in notification.commands)
        blocks.append(SectionBlock(text=MarkdownTextObject(text=fit(commands, SECTION_TEXT_MAX))))
    blocks += _context(notification)
    return [block.to_dict() for block in blocks[:BLOCKS_MAX]]


def fallback_text(notification: Notification) -> str:
    """The top-level ``text``: what notifications and screen readers show."""
    return fit(f"{notification.title}: {notification.text}", FALLBACK_TEXT_MAX, notification.record_url)
