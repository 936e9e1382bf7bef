"""The planner's Slack notifier against a local incoming webhook that enforces Slack's limits.

The webhook (tests/contract/slack_webhook.py) refuses what Slack refuses (``400 invalid_blocks``)
and records what it accepts, so these tests see the exact JSON Slack would get.
"""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.error import HTTPError

import pytest
from agentic_common.events.approvals import ApprovalRequested
from agentic_planner.adapters.notifiers import SlackWebhookNotifier
from agentic_planner.logic.notifications import render_approval_request
from agentic_planner.ports import DeliveryError, Notification

from tests.contract.slack_webhook import WEBHOOK_PATH, SlackWebhook, slack_webhook

RECORD_URL = "https://agentic.example.com/workflows/wf-1"
DIGEST = "ab" * 32


@pytest.fixture
def hook() -> Iterator[SlackWebhook]:
    with slack_webhook() as webhook:
        yield webhook


def notification(text: str = "4 tasks succeeded in 41 s", **changes: Any) -> Notification:
    fields: dict[str, Any] = {
        "workflow_id": "wf-1",
        "event": "workflow.failed",
        "status": "failed",
        "title": "orders-api: workflow wf-1 failed",
        "text": text,
        "links": {"repo": "https://gitlab.example.com/acme/orders-api", "artifact": "s3://b/k"},
        "record_url": RECORD_URL,
    }
    return Notification(**(fields | changes))


def _post(url: str, payload: dict[str, Any]) -> tuple[int, str]:
    request = urllib.request.Request(
        url, data=json.dumps(payload).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read().decode()
    except HTTPError as error:
        return error.code, error.read().decode()


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _field(text: str) -> dict[str, str]:
    return {"type": "mrkdwn", "text": text}


@pytest.mark.parametrize(
    "payload",
    [
        {"text": "t", "blocks": [_section("x" * 3001)]},
        {"text": "t", "blocks": [{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}]},
        {"text": "t", "blocks": [{"type": "header", "text": {"type": "mrkdwn", "text": "h"}}]},
        {"text": "t", "blocks": [_section("x")] * 51},
        {"text": "t", "blocks": [{"type": "section", "fields": [_field("f")] * 11}]},
        {"text": "t", "blocks": [{"type": "section", "fields": [_field("f" * 2001)]}]},
        {"text": "t", "blocks": [{"type": "context", "elements": [_field("c")] * 11}]},
    ],
    ids=["section-3001", "header-151", "header-mrkdwn", "51-blocks", "11-fields", "field-2001", "context-11"],
)
def test_the_local_webhook_refuses_what_slack_refuses_with_400_invalid_blocks(
    hook: SlackWebhook, payload: dict[str, Any]
) -> None:
    # Given a payload that breaks one documented Block Kit limit
    # When it is posted to the local webhook
    status, body = _post(hook.url, payload)
    # Then it is refused as Slack refuses it, and nothing is accepted
    assert (status, body) == (400, "invalid_blocks")
    assert hook.accepted == []


def test_the_local_webhook_refuses_blocks_without_a_text_fallback(hook: SlackWebhook) -> None:
    # Given blocks with no top-level text
    # When they are posted
    status, body = _post(hook.url, {"blocks": [_section("x")]})
    # Then the webhook answers no_text
    assert (status, body) == (400, "no_text")


def test_a_3112_character_reason_is_posted_once_cut_with_and_n_more_and_a_link_to_the_full_record(
    hook: SlackWebhook,
) -> None:
    # Given a failure reason of 3,112 characters (over Slack's 3,000 per section)
    reason = "".join(f"line {i:04d}: terraform plan says no; " for i in range(200))[:3112]
    assert len(reason) == 3112
    # When the notifier sends it
    SlackWebhookNotifier(hook.url).notify(notification(reason))
    # Then Slack accepts exactly one message whose text is cut, says how much more, and links the record
    [message] = hook.accepted
    text = message["blocks"][1]["text"]["text"]
    assert len(text) <= 3000
    more = re.search(r"…and (\d+) more characters: <(.+)\|full record>$", text)
    assert more is not None
    assert more.group(2) == RECORD_URL
    kept = text[: text.index("\n…and")]
    assert reason.startswith(kept)
    assert len(kept) + int(more.group(1)) == len(reason)


def test_mrkdwn_control_characters_in_a_reason_are_escaped(hook: SlackWebhook) -> None:
    # Given a reason with <, > and & (which Slack would read as links, mentions and entities)
    reason = "exit 1: <!channel> expected <token> & got a > b"
    # When the notifier sends it
    SlackWebhookNotifier(hook.url).notify(notification(reason))
    # Then they arrive escaped
    [message] = hook.accepted
    assert message["blocks"][1]["text"]["text"] == (
        "exit 1: &lt;!channel&gt; expected &lt;token&gt; &amp; got a &gt; b"
    )


def test_a_long_title_becomes_a_header_of_at_most_150_characters_and_the_text_fallback_is_set(
    hook: SlackWebhook,
) -> None:
    # Given a title far over the header limit
    # When it is sent
    SlackWebhookNotifier(hook.url).notify(notification(title="orders-api " * 40))
    # Then the header is plain text within 150 characters and the fallback text names the title
    [message] = hook.accepted
    header = message["blocks"][0]
    assert header["type"] == "header"
    assert len(header["text"]["text"]) <= 150
    assert message["text"].startswith("orders-api orders-api")


def test_http_links_are_linked_and_other_links_shown_as_code(hook: SlackWebhook) -> None:
    # Given a notification with an https link and an s3 reference
    # When it is sent
    SlackWebhookNotifier(hook.url).notify(notification())
    # Then the context links the repository and the full record, and shows the s3 key as code
    [message] = hook.accepted
    context = [e["text"] for e in message["blocks"][-1]["elements"]]
    assert context == [
        "<https://gitlab.example.com/acme/orders-api|repo>",
        "artifact: `s3://b/k`",
        f"<{RECORD_URL}|full record>",
    ]


def test_many_facts_and_links_still_make_a_message_slack_accepts(hook: SlackWebhook) -> None:
    # Given 25 facts and 15 links (over 10 fields per section and 10 context elements)
    facts = {f"fact {i}": "v" * 2500 for i in range(25)}
    links = {f"link{i}": f"https://example.com/{i}" for i in range(15)}
    # When it is sent
    SlackWebhookNotifier(hook.url).notify(notification(facts=facts, links=links))
    # Then Slack accepts it: the facts are spread over sections, every field within its limit
    [message] = hook.accepted
    fields = [f for b in message["blocks"] if b["type"] == "section" for f in b.get("fields", [])]
    assert len(fields) == 25
    assert max(len(f["text"]) for f in fields) <= 2000


def test_an_approval_request_tells_the_approvers_what_they_approve_and_how(hook: SlackWebhook) -> None:
    # Given an approval request for a prod canary deployment
    expires = datetime(2026, 1, 2, 9, 30, tzinfo=UTC)
    event = ApprovalRequested(
        workflow_id="wf-1",
        approval_id="apr-wf-1",
        kind="deployment",
        subject="dep-1",
        service="orders-api",
        environment="prod",
        digest=DIGEST,
        summary="deploy orders-api 4f2a9c1 to prod (canary)",
        requested_by="dev@example.com",
        expires_at=expires,
    )
    parameters = {"version": "4f2a9c1", "strategy": "canary"}
    note = render_approval_request(event, parameters, "https://agentic.example.com/approvals/apr-wf-1")
    # When the notifier sends it
    SlackWebhookNotifier(hook.url).notify(note)
    # Then the message carries the id, what is approved, the digest, the expiry and both commands
    [message] = hook.accepted
    body = json.dumps(message["blocks"])
    for expected in ("apr-wf-1", "orders-api", "prod", "4f2a9c1", "canary", DIGEST, expires.isoformat()):
        assert expected in body
    assert "agentic approvals approve apr-wf-1 --comment '&lt;why&gt;'" in body
    assert "agentic approvals reject apr-wf-1 --comment '&lt;why&gt;'" in body


def test_an_invalid_blocks_answer_is_a_permanent_delivery_error_without_the_webhook_url(
    hook: SlackWebhook,
) -> None:
    # Given a webhook that answers 400 invalid_blocks
    hook.fail(400, "invalid_blocks")
    # When the notifier sends
    with pytest.raises(DeliveryError) as failure:
        SlackWebhookNotifier(hook.url).notify(notification())
    # Then the error carries Slack's answer, is not retryable, and does not echo the secret URL
    assert failure.value.answer == "400 invalid_blocks"
    assert failure.value.retryable is False
    assert WEBHOOK_PATH not in str(failure.value)


def test_a_server_error_is_a_retryable_delivery_error(hook: SlackWebhook) -> None:
    # Given a webhook that answers 503
    hook.fail(503, "service_unavailable")
    # When the notifier sends
    with pytest.raises(DeliveryError) as failure:
        SlackWebhookNotifier(hook.url).notify(notification())
    # Then the error is retryable and the notifier itself sent once (the delivery logic retries)
    assert failure.value.retryable is True
    assert hook.requests == 1
