"""In-memory ViolationRecorder for unit tests and in-process runs; same overwrite semantics as DynamoDB."""

from __future__ import annotations

from collections.abc import Sequence

from agentic_policy.logic.records import ViolationRecord


class InMemoryViolationRecorder:
    def __init__(self) -> None:
        self.items: dict[tuple[str, str], ViolationRecord] = {}

    def record(self, records: Sequence[ViolationRecord]) -> None:
        for record in records:
            self.items[(record.violation_id, record.timestamp)] = record

    @property
    def records(self) -> list[ViolationRecord]:
        return list(self.items.values())
