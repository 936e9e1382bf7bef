"""A workflow's end as Slack gets it (local webhook enforcing Slack's limits) and as the log records it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from agentic_common.state import TaskStatus
from agentic_planner.adapters.notifiers import LogNotifier, SlackWebhookNotifier
from agentic_planner.logic.workflow_notice import render_workflow_end

from tests.contract.slack_webhook import SlackWebhook, slack_webhook
from tests.unit.planner.workflow_states import ALL_DONE, COMMIT, PUBLIC, completed, failed, state


@pytest.fixture
def hook() -> Iterator[SlackWebhook]:
    with slack_webhook() as webhook:
        yield webhook


def blocks_of(message: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [b for b in message["blocks"] if b["type"] == kind]


def test_a_completed_workflow_reaches_slack_with_header_fields_and_link_buttons(hook: SlackWebhook) -> None:
    # Given a completed workflow rendered with the platform's public URL
    note = render_workflow_end(state(ALL_DONE), completed(), PUBLIC)
    # When the Slack notifier sends it
    SlackWebhookNotifier(hook.url).notify(note)
    # Then Slack accepts it: a header, the facts as fields (the version linked), buttons with URLs
    [message] = hook.accepted
    assert message["blocks"][0]["text"]["text"] == ":white_check_mark: orders-api in dev: completed"
    fields = [f["text"] for b in blocks_of(message, "section") for f in b.get("fields", [])]
    version = f"*Version*\n<https://gitlab.example.com/acme/orders-api/-/commit/{COMMIT}|{COMMIT[:8]}>"
    assert version in fields
    assert "*Requested by*\nuser:default/jane (via backstage)" in fields
    [actions] = blocks_of(message, "actions")
    buttons = {b["text"]["text"]: b["url"] for b in actions["elements"]}
    assert list(buttons) == [
        "Workflow",
        "Repository",
        "Merge request",
        "Policy report",
        "Deployment",
        "Service",
    ]
    assert buttons["Policy report"] == f"{PUBLIC}/policy/decisions/dec-7"


def test_a_message_from_the_local_stack_links_nothing_on_loopback(hook: SlackWebhook) -> None:
    # Given a local workflow: loopback API, file:// repository, service on 127.0.0.1
    local = state({"deploy": TaskStatus.SUCCEEDED}, "deploy", service="orders-api", environment="dev")
    note = render_workflow_end(local, completed(), "http://127.0.0.1:8080")
    note = note.model_copy(
        update={"links": {"repository": "file:///srv/orders.git", "service": "http://127.0.0.1:5001"}}
    )
    # When it is sent
    SlackWebhookNotifier(hook.url).notify(note)
    # Then no link or button in the message points at loopback: those references are shown as code
    [message] = hook.accepted
    body = json.dumps(message["blocks"])
    assert "<http://127.0.0.1" not in body
    assert '"url": "http://127.0.0.1' not in body
    context = [e["text"] for b in blocks_of(message, "context") for e in b["elements"]]
    assert "service: `http://127.0.0.1:5001`" in context


def test_a_failure_message_leads_with_what_failed_and_what_to_do(hook: SlackWebhook) -> None:
    tasks = {"codegen": TaskStatus.SUCCEEDED, "policy": TaskStatus.FAILED}
    SlackWebhookNotifier(hook.url).notify(render_workflow_end(state(tasks), failed(), PUBLIC))
    [message] = hook.accepted
    assert message["blocks"][0]["text"]["text"] == ":x: orders-api in dev: failed"
    assert message["blocks"][1]["text"]["text"].startswith(
        "The policy check (policy) failed after 1 attempt:"
    )
    [actions] = blocks_of(message, "actions")
    assert actions["elements"][0]["style"] == "danger"


def test_the_log_channel_records_exactly_the_payload_slack_receives(
    hook: SlackWebhook, tmp_path: Path
) -> None:
    # Given one notification sent on both channels
    note = render_workflow_end(state(ALL_DONE), completed(), PUBLIC)
    log = tmp_path / "notifications.jsonl"
    LogNotifier(log).notify(note)
    SlackWebhookNotifier(hook.url).notify(note)
    # Then the log's line holds the very JSON Slack accepted
    [record] = [json.loads(line) for line in log.read_text().splitlines()]
    assert record["slack"] == hook.accepted[0]
    assert record["actions"]["Workflow"] == f"{PUBLIC}/workflows/wf-1"
