"""The EventBridge publisher: batches of 10, failed entries retried, oversize refused."""

from __future__ import annotations

from typing import Any

import pytest
from agentic_common.bus import EventBridgePublisher, PublishError
from agentic_common.events.tasks import TaskCompleted


class FlakyEvents:
    """A put_events double that fails the first entry of each call ``failures`` times."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.calls: list[list[dict[str, Any]]] = []

    def put_events(self, Entries: list[dict[str, Any]]) -> dict[str, Any]:  # noqa: N803 - boto3 name
        self.calls.append(Entries)
        if self.failures:
            self.failures -= 1
            results = [{"ErrorCode": "ThrottlingException"}] + [{"EventId": "x"}] * (len(Entries) - 1)
            return {"FailedEntryCount": 1, "Entries": results}
        return {"FailedEntryCount": 0, "Entries": [{"EventId": "x"}] * len(Entries)}


def _events(n: int) -> list[TaskCompleted]:
    return [TaskCompleted(workflow_id="wf", task_id=f"t{i}", agent="codegen", attempt=1) for i in range(n)]


def test_twenty_three_events_go_out_in_batches_of_at_most_ten() -> None:
    client = FlakyEvents(failures=0)
    EventBridgePublisher(client, "bus", "planner", sleep=lambda _: None).publish(*_events(23))
    assert [len(c) for c in client.calls] == [10, 10, 3]
    assert all(e["Source"] == "agentic.planner" for c in client.calls for e in c)


def test_only_failed_entries_are_retried() -> None:
    client = FlakyEvents(failures=1)
    EventBridgePublisher(client, "bus", "planner", sleep=lambda _: None).publish(*_events(3))
    assert [len(c) for c in client.calls] == [3, 1]


def test_publishing_fails_loudly_when_retries_run_out() -> None:
    client = FlakyEvents(failures=10)
    with pytest.raises(PublishError, match="not published"):
        EventBridgePublisher(client, "bus", "planner", max_attempts=3, sleep=lambda _: None).publish(
            *_events(1)
        )


def test_an_event_over_256_kb_is_refused_with_advice() -> None:
    big = TaskCompleted(
        workflow_id="wf", task_id="t", agent="codegen", attempt=1, outputs={"x": "a" * 300_000}
    )
    with pytest.raises(PublishError, match="S3"):
        EventBridgePublisher(FlakyEvents(0), "bus", "planner").publish(big)
