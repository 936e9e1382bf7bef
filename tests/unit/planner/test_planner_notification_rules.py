"""Pure rules of notifications: fitting text into Slack's limits, and the delivery's retry bound."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from agentic_common.idempotency import InMemoryClaimStore
from agentic_common.topology import default_topology
from agentic_planner.adapters.slack_blocks import escape, fit
from agentic_planner.logic.delivery import Backoff, NotificationDelivery
from agentic_planner.ports import DeliveryError, Notification

NOTE = Notification(
    workflow_id="wf-1", event="workflow.failed", status="failed", title="t", text="x", links={}
)


@dataclass
class ScriptedChannel:
    """Answers with the scripted errors first, then delivers."""

    errors: list[Exception]
    channel: str = "scripted"
    sent: list[Notification] = field(default_factory=list)

    def notify(self, notification: Notification) -> None:
        if self.errors:
            raise self.errors.pop(0)
        self.sent.append(notification)


@dataclass
class Outcomes:
    recorded: dict[str, str] = field(default_factory=dict)

    def record(self, workflow_id: str, key: str, outcome: str) -> None:
        self.recorded[f"{workflow_id} {key}"] = outcome


def _delivery(channel: ScriptedChannel, outcomes: Outcomes, waits: list[float]) -> NotificationDelivery:
    return NotificationDelivery([channel], InMemoryClaimStore(), outcomes, Backoff(), sleep=waits.append)


def test_a_text_of_only_ampersands_is_cut_between_entities_never_inside_one() -> None:
    # Given 3,500 '&' (each 5 characters once escaped)
    # When it is fitted into 3,000 characters
    fitted = fit("&" * 3500, 3000, "https://x.example/wf-1")
    # Then it fits, keeps whole entities, and says how many characters were left out
    kept, tail = fitted.split("\n")
    assert len(fitted) <= 3000
    assert kept == "&amp;" * (len(kept) // 5)
    assert tail == f"…and {3500 - len(kept) // 5} more characters: <https://x.example/wf-1|full record>"


def test_escape_replaces_exactly_the_three_mrkdwn_control_characters() -> None:
    assert escape("a & b < c > d *e* _f_") == "a &amp; b &lt; c &gt; d *e* _f_"


def test_retryable_failures_are_retried_with_doubling_waits_up_to_the_bound() -> None:
    # Given a channel that answers 503 every time
    channel = ScriptedChannel([DeliveryError("scripted", "503 busy", retryable=True)] * 5)
    outcomes, waits = Outcomes(), []
    # When the delivery sends
    result = _delivery(channel, outcomes, waits).deliver(NOTE)
    # Then it tried three times (two waits), then recorded the last answer
    assert waits == [0.5, 1.0]
    assert result == {"scripted": "failed (503 busy)"}
    assert outcomes.recorded == {"wf-1 workflow.failed via scripted": "failed (503 busy)"}


def test_an_error_that_is_not_a_delivery_answer_releases_the_claim_and_fails_the_event() -> None:
    # Given a channel with a bug (not a DeliveryError)
    channel = ScriptedChannel([KeyError("links")])
    delivery = _delivery(channel, Outcomes(), [])
    # When the delivery sends, the error goes up (the event is redelivered) ...
    with pytest.raises(KeyError):
        delivery.deliver(NOTE)
    # ... and the redelivery can send, since the claim was released
    assert delivery.deliver(NOTE) == {"scripted": "delivered"}
    assert len(channel.sent) == 1


def test_a_crashed_delivery_s_claim_expires_before_the_planner_queue_redelivers_its_event() -> None:
    # Given the planner queue's visibility timeout (when a crashed attempt's event comes back)
    visibility = default_topology().queue("planner-events").visibility_timeout_seconds
    # When the delivery claims a channel
    lease = NotificationDelivery([], InMemoryClaimStore(), Outcomes()).lease_seconds
    # Then the claim outlives a live attempt but not the redelivery
    assert Backoff().worst_case_seconds < lease < visibility
