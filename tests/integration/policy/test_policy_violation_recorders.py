"""One contract for both ViolationRecorder adapters: the in-memory fake and DynamoDB (on moto)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from agentic_common.aws import AwsClients
from agentic_common.events.policy import Violation
from agentic_common.settings import CommonSettings
from agentic_policy.adapters.dynamodb.recorder import DynamoDBViolationRecorder
from agentic_policy.adapters.memory.recorder import InMemoryViolationRecorder
from agentic_policy.logic.enforcement import DEFAULT_ENFORCEMENT
from agentic_policy.logic.evaluate import Evaluation
from agentic_policy.logic.records import build_records
from agentic_policy.ports import ViolationRecorder

from tests.helpers import counted_client

Stored = Callable[[str], list[tuple[str, str, str, bool, int | None]]]


@pytest.fixture(params=["memory", "dynamodb"])
def recorder_and_reader(
    request: pytest.FixtureRequest,
    aws_settings: CommonSettings,
    aws_clients: AwsClients,
    queue_urls: dict[str, str],
) -> tuple[ViolationRecorder, Stored]:
    """A recorder and a reader returning (violation_id, timestamp, rule, blocking, line) per stored item."""
    if request.param == "memory":
        memory = InMemoryViolationRecorder()
        return memory, lambda wf: sorted(
            (r.violation_id, r.timestamp, r.violation.rule, r.blocking, r.violation.line)
            for r in memory.records
            if r.workflow_id == wf
        )
    table = aws_settings.name("policy-violations")
    dynamodb = aws_clients.client("dynamodb")

    def read(workflow_id: str) -> list[tuple[str, str, str, bool, int | None]]:
        items = dynamodb.scan(
            TableName=table,
            FilterExpression="workflow_id = :w",
            ExpressionAttributeValues={":w": {"S": workflow_id}},
        )["Items"]
        return sorted(
            (
                i["violation_id"]["S"],
                i["timestamp"]["S"],
                i["rule"]["S"],
                i["blocking"]["BOOL"],
                int(i["line"]["N"]) if "line" in i else None,
            )
            for i in items
        )

    return DynamoDBViolationRecorder(dynamodb, table), read


def records(workflow_id: str, environment: str) -> list:  # type: ignore[type-arg]
    violations = [
        Violation(
            rule="DOCKER-001",
            severity="high",
            category="supply-chain",
            message="base image 'python:latest' is not pinned",
            file="Dockerfile",
            line=1,
            remediation="pin it",
        ),
        Violation(rule="DOC-001", severity="low", category="operational", message="no README"),
    ]
    return recorded(workflow_id, environment, violations)


def recorded(workflow_id: str, environment: str, violations: list[Violation]) -> list:  # type: ignore[type-arg]
    """The records a scan of ``violations`` in ``environment`` keeps."""
    evaluation = Evaluation(
        environment=environment,
        mode=DEFAULT_ENFORCEMENT.mode(environment),
        digest="d" * 64,
        bundle_version="test@1",
        files_scanned=2,
        rules_evaluated=len(violations),
        engines=("rego",),
        violations=tuple(violations),
        waived=(),
        blocking=DEFAULT_ENFORCEMENT.blocking(violations, environment),
    )
    return build_records(
        workflow_id=workflow_id,
        task_id="policy",
        observed_at=datetime(2026, 1, 1, tzinfo=UTC),
        artifact_sha256="f" * 64,
        evaluation=evaluation,
    )


def test_recorded_violations_are_stored_with_their_keys_and_blocking_flag(
    recorder_and_reader: tuple[ViolationRecorder, Stored],
) -> None:
    # Given a recorder / When two staging violations are recorded
    recorder, stored = recorder_and_reader
    recorder.record(records("wf-contract-1", "staging"))

    # Then both are stored under the same timestamp, only the high one blocking
    rows = stored("wf-contract-1")
    assert sorted((rule, blocking, line or 0) for _id, _ts, rule, blocking, line in rows) == [
        ("DOC-001", False, 0),
        ("DOCKER-001", True, 1),
    ]
    assert {ts for _id, ts, *_ in rows} == {"2026-01-01T00:00:00+00:00"}


def test_recording_the_same_violations_again_overwrites_them(
    recorder_and_reader: tuple[ViolationRecorder, Stored],
) -> None:
    # Given violations recorded once / When recorded again (a redelivery) with a different enforcement
    recorder, stored = recorder_and_reader
    recorder.record(records("wf-contract-2", "staging"))
    recorder.record(records("wf-contract-2", "dev"))

    # Then there are still two items, now non-blocking
    rows = stored("wf-contract-2")
    assert len(rows) == 2
    assert [blocking for *_x, blocking, _line in rows] == [False, False]


def many_records(workflow_id: str, count: int) -> list:  # type: ignore[type-arg]
    violations = [
        Violation(rule=f"RULE-{n:03}", severity="low", category="operational", message=f"finding {n}", line=n)
        for n in range(count)
    ]
    return recorded(workflow_id, "dev", violations)


def test_a_scans_findings_are_written_25_to_a_call(
    aws_settings: CommonSettings, queue_urls: dict[str, str]
) -> None:
    # Given the DynamoDB recorder, its calls counted by a botocore hook on its own client
    dynamodb, calls = counted_client(aws_settings, "dynamodb")
    recorder = DynamoDBViolationRecorder(dynamodb, aws_settings.name("policy-violations"))
    # When a scan with 30 findings is recorded
    recorder.record(many_records("wf-contract-batch", 30))
    # Then two calls wrote all 30
    assert calls == ["BatchWriteItem", "BatchWriteItem"]
    assert stored_count(dynamodb, aws_settings.name("policy-violations"), "wf-contract-batch") == 30


def stored_count(dynamodb: Any, table: str, workflow_id: str) -> int:
    items = dynamodb.scan(
        TableName=table,
        FilterExpression="workflow_id = :w",
        ExpressionAttributeValues={":w": {"S": workflow_id}},
    )["Items"]
    return len(items)


class Throttled:
    """A client whose first BatchWriteItem leaves its last put unprocessed (as when DynamoDB throttles)."""

    def __init__(self, client: object) -> None:
        self._client = client
        self.calls = 0

    def batch_write_item(self, RequestItems: dict) -> dict:  # type: ignore[type-arg]  # noqa: N803
        self.calls += 1
        if self.calls == 1:
            ((table, puts),) = RequestItems.items()
            self._client.batch_write_item(RequestItems={table: puts[:-1]})  # type: ignore[attr-defined]
            return {"UnprocessedItems": {table: puts[-1:]}}
        return self._client.batch_write_item(RequestItems=RequestItems)  # type: ignore[attr-defined,no-any-return]


def test_what_dynamodb_leaves_unprocessed_is_sent_again(
    aws_settings: CommonSettings, aws_clients: AwsClients, queue_urls: dict[str, str]
) -> None:
    # Given a recorder whose first write is partly throttled
    dynamodb = aws_clients.client("dynamodb")
    throttled = Throttled(dynamodb)
    waits: list[float] = []
    recorder = DynamoDBViolationRecorder(
        throttled, aws_settings.name("policy-violations"), sleep=waits.append
    )
    # When three findings are recorded
    recorder.record(many_records("wf-contract-throttled", 3))
    # Then the left-over put was sent again after a wait, and all three are stored
    assert (throttled.calls, len(waits)) == (2, 1)
    assert stored_count(dynamodb, aws_settings.name("policy-violations"), "wf-contract-throttled") == 3
