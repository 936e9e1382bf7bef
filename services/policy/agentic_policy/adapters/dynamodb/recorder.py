"""ViolationRecorder over the ``policy-violations`` DynamoDB table (PK violation_id, SK timestamp)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from agentic_policy.logic.records import ViolationRecord


def _utc_now() -> datetime:
    return datetime.now(UTC)


def to_item(record: ViolationRecord, recorded_at: datetime) -> dict[str, Any]:
    violation = record.violation
    item: dict[str, Any] = {
        "violation_id": {"S": record.violation_id},
        "timestamp": {"S": record.timestamp},
        "workflow_id": {"S": record.workflow_id},
        "task_id": {"S": record.task_id},
        "environment": {"S": record.environment},
        "artifact_sha256": {"S": record.artifact_sha256},
        "blocking": {"BOOL": record.blocking},
        "rule": {"S": violation.rule},
        "severity": {"S": violation.severity},
        "category": {"S": violation.category},
        "message": {"S": violation.message},
        "recorded_at": {"S": recorded_at.isoformat()},
    }
    if violation.remediation:
        item["remediation"] = {"S": violation.remediation}
    if violation.file is not None:
        item["file"] = {"S": violation.file}
    if violation.line is not None:
        item["line"] = {"N": str(violation.line)}
    for name in ("resource", "tool", "waiver_id"):
        value = getattr(violation, name)
        if value:
            item[name] = {"S": value}
    return item


class DynamoDBViolationRecorder:
    """Plain puts: an item's key is deterministic, so a redelivered task overwrites what it wrote before."""

    def __init__(self, client: Any, table_name: str, clock: Callable[[], datetime] = _utc_now) -> None:
        self._db = client
        self._table = table_name
        self._clock = clock

    def record(self, records: Sequence[ViolationRecord]) -> None:
        recorded_at = self._clock()
        for record in records:
            self._db.put_item(TableName=self._table, Item=to_item(record, recorded_at))
