"""In-memory audit store (unit tests): the same contract as the DynamoDB one."""

from __future__ import annotations

import threading
from datetime import datetime

from agentic_remediation.ports import AuditRecord


class InMemoryAuditStore:
    def __init__(self) -> None:
        self._records: dict[tuple[str, datetime, str], AuditRecord] = {}
        self._lock = threading.Lock()

    def append(self, record: AuditRecord) -> bool:
        key = (record.service, record.at, record.record_id)
        with self._lock:
            if key in self._records:
                return False
            self._records[key] = record
            return True

    def of_service(self, service: str, since: datetime | None = None) -> list[AuditRecord]:
        with self._lock:
            found = [
                record
                for (owner, at, _), record in self._records.items()
                if owner == service and (since is None or at >= since)
            ]
        return sorted(found, key=lambda r: (r.at, r.record_id))

    def of_action(self, service: str, action_id: str) -> list[AuditRecord]:
        return [r for r in self.of_service(service) if r.action_id == action_id]

    def all(self) -> list[AuditRecord]:
        with self._lock:
            return sorted(self._records.values(), key=lambda r: (r.at, r.record_id))
