"""Notifications on the local AWS: once per (workflow, event), never dead-lettering the event.

A real workflow fails on the local AWS (moto over the wire); its ``workflow.failed`` travels
EventBridge → SQS to the planner's consumer, which notifies a local Slack webhook that enforces
Slack's limits (tests/contract/slack_webhook.py). Claims and outcomes are DynamoDB writes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.contract.slack_webhook import SlackWebhook, slack_webhook
from tests.integration.planner.notify_harness import API_URL, REASON_3112, Harness, make_harness


@pytest.fixture
def hook() -> Iterator[SlackWebhook]:
    with slack_webhook() as webhook:
        yield webhook


@pytest.fixture
def harness(
    empty_queues: dict[str, str], aws_settings: Any, aws_clients: Any, tmp_path: Path, hook: SlackWebhook
) -> Harness:
    return make_harness(empty_queues, aws_settings, aws_clients, tmp_path, hook)


def test_a_3112_character_reason_reaches_slack_once_cut_with_a_link_to_the_workflow(
    harness: Harness,
) -> None:
    # Given a workflow that failed with a reason of 3,112 characters
    workflow_id = harness.fail_workflow(REASON_3112)
    # When the planner consumes its workflow.failed
    [message] = harness.consume()
    # Then Slack accepted one message, cut with "…and N more characters" and a link to the workflow
    [posted] = harness.hook.accepted
    assert json.loads(message["Body"])["detail-type"] == "workflow.failed"
    text = posted["blocks"][1]["text"]["text"]
    assert "…and " in text
    assert f"more characters: <{API_URL}/workflows/{workflow_id}|full record>" in text
    assert harness.hook.refused == []
    assert len(harness.log_lines()) == 1


def test_the_bootstrap_wires_slack_from_settings_and_delivers_once(harness: Harness) -> None:
    # Given a failed workflow, and the planner exactly as build() wires it
    harness.fail_workflow(REASON_3112)
    harness.consumer = harness.planner.consumer
    # When its consumer handles the event
    harness.consume()
    # Then the configured webhook got the message
    assert len(harness.hook.accepted) == 1


def test_a_redelivered_event_after_a_delivered_notification_sends_nothing(harness: Harness) -> None:
    # Given a workflow.failed that was consumed and notified
    harness.fail_workflow("policy check failed: 2 violations")
    messages = harness.consume()
    # When the same event is delivered again (at-least-once delivery)
    harness.redeliver(messages)
    assert len(harness.consume()) == 1
    # Then neither Slack nor the notifications log got it twice
    assert len(harness.hook.accepted) == 1
    assert harness.hook.requests == 1
    assert len(harness.log_lines()) == 1


def test_a_webhook_that_always_fails_leaves_the_event_processed_not_dead_lettered(
    harness: Harness,
) -> None:
    # Given a Slack webhook that always answers 500
    harness.hook.fail(500, "internal_error")
    harness.fail_workflow("deploy failed: health check timed out")
    # When the planner consumes the workflow.failed
    harness.consume()
    # Then Slack was tried three times with a growing backoff, and the event left the queue for good
    assert harness.hook.requests == 3
    assert harness.waits == [0.5, 1.0]
    assert harness.consume() == []
    assert harness.dead_letters() == []


def test_a_failed_delivery_is_recorded_on_the_workflow_with_slacks_answer(harness: Harness) -> None:
    # Given a webhook that answers 400 invalid_blocks (a permanent answer: not retried)
    harness.hook.fail(400, "invalid_blocks")
    workflow_id = harness.fail_workflow("codegen failed: template engine crashed")
    # When the planner consumes the workflow.failed
    harness.consume()
    # Then GET /workflows/{id} shows the failed delivery with Slack's answer, and the log delivery
    view = harness.workflow_view(workflow_id)
    assert view["notifications"] == {
        "workflow.failed via log": "delivered",
        "workflow.failed via slack": "failed (400 invalid_blocks)",
    }
    assert harness.hook.requests == 1
    assert harness.waits == []


def test_a_redelivery_after_a_failed_slack_delivery_does_not_write_the_log_again(harness: Harness) -> None:
    # Given a workflow.failed whose Slack delivery failed once for good while the log got it
    harness.hook.fail(400, "invalid_blocks", times=1)
    harness.fail_workflow("verify failed: p95 latency 900 ms over 500 ms")
    messages = harness.consume()
    # When the event is delivered again
    harness.redeliver(messages)
    harness.consume()
    # Then there is still one line in the log and one request to Slack
    assert len(harness.log_lines()) == 1
    assert harness.hook.requests == 1


def test_a_transient_slack_failure_is_retried_and_then_delivered(harness: Harness) -> None:
    # Given a webhook that answers 503 once, then works
    harness.hook.fail(503, "service_unavailable", times=1)
    workflow_id = harness.fail_workflow("policy check failed")
    # When the planner consumes the workflow.failed
    harness.consume()
    # Then the second try delivered it, once, and the workflow says so
    assert len(harness.hook.accepted) == 1
    assert harness.waits == [0.5]
    assert harness.workflow_view(workflow_id)["notifications"]["workflow.failed via slack"] == "delivered"
