"""Blocks Slack's models refuse are a delivery error that no retry can fix, for the log channel as for
Slack (the SDK is imported by the first notification, so the refusal is caught where it is raised)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, NoReturn

import pytest
from agentic_planner.adapters import slack_blocks
from agentic_planner.adapters.notifiers import LogNotifier, SlackWebhookNotifier
from agentic_planner.ports import DeliveryError, Notification
from slack_sdk.errors import SlackObjectFormationError

NOTICE = Notification(
    workflow_id="wf-1", event="workflow.failed", status="failed", title="t", text="x", links={}
)


def refused(_: Notification) -> NoReturn:
    raise SlackObjectFormationError("text attribute cannot exceed 3000 characters")


@pytest.mark.parametrize(
    ("channel", "not_done"),
    [
        (lambda tmp: LogNotifier(tmp / "notifications.jsonl"), "not written"),
        (lambda tmp: SlackWebhookNotifier("http://127.0.0.1:9/hook"), "not sent"),
    ],
    ids=["log", "slack"],
)
def test_refused_blocks_are_a_final_delivery_error(
    channel: Any, not_done: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given Block Kit models that refuse the notification's blocks
    monkeypatch.setattr(slack_blocks, "payload_for", refused)
    # When the channel delivers it
    with pytest.raises(DeliveryError) as raised:
        channel(tmp_path).notify(NOTICE)
    # Then it is not retryable, says why, and nothing was written
    assert not raised.value.retryable
    assert f"invalid blocks, {not_done}" in raised.value.answer
    assert not (tmp_path / "notifications.jsonl").exists()
