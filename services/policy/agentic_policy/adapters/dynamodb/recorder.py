"""ViolationRecorder over the ``policy-violations`` DynamoDB table (PK violation_id, SK timestamp)."""

from __future__ import annotations

import time
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
    """Plain puts: an item's key is deterministic, so a redelivered task overwrites what it wrote before.

    A scan's findings go in ``BatchWriteItem`` calls of up to 25 (one call for most scans, not one per
    finding); what DynamoDB leaves unprocessed (throttling) is sent again, and a batch still not written
    after ``RETRIES`` raises, so the task fails and is retried as a whole."""

    BATCH = 25
    RETRIES = 5

    def __init__(
        self,
        client: Any,
        table_name: str,
        clock: Callable[[], datetime] = _utc_now,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._db = client
        self._table = table_name
        self._clock = clock
        self._sleep = sleep

    def record(self, records: Sequence[ViolationRecord]) -> None:
        recorded_at = self._clock()
        # one put per key: a batch may not name a key twice, and the last one wins as sequential puts would
        items = {(r.violation_id, r.timestamp): to_item(r, recorded_at) for r in records}
        puts = [{"PutRequest": {"Item": item}} for item in items.values()]
        for start in range(0, len(puts), self.BATCH):
            self._write(puts[start : start + self.BATCH])

    def _write(self, puts: list[dict[str, Any]]) -> None:
        pending = {self._table: puts}
        for attempt in range(self.RETRIES):
            pending = self._db.batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}
            if not pending:
                return
            self._sleep(0.05 * 2**attempt)
        left = len(pending.get(self._table, []))
        raise RuntimeError(
            f"{left} violation records not written to {self._table} after {self.RETRIES} tries"
        )
