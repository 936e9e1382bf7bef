"""In-memory ``DeploymentHistory``: for unit tests and in-process runs (same semantics as DynamoDB)."""

from __future__ import annotations

import threading
from datetime import date

from agentic_common.records.deployments import DeploymentRecord, day_of, sort_key


class InMemoryDeploymentHistory:
    def __init__(self) -> None:
        self._records: dict[tuple[str, str], DeploymentRecord] = {}
        self._lock = threading.Lock()

    def record(self, record: DeploymentRecord) -> bool:
        key = (record.deployment_id, sort_key(record.timestamp))
        with self._lock:
            if key in self._records:
                return False
            self._records[key] = record
            return True

    def of(self, deployment_id: str) -> list[DeploymentRecord]:
        with self._lock:
            keys = sorted(k for k in self._records if k[0] == deployment_id)
            return [self._records[k] for k in keys]

    def of_service(self, service_name: str, limit: int = 50) -> list[DeploymentRecord]:
        with self._lock:
            mine = [(k[1], r) for k, r in self._records.items() if r.service_name == service_name]
        return [record for _, record in sorted(mine, key=lambda pair: pair[0], reverse=True)][:limit]

    def on_day(self, day: date) -> list[DeploymentRecord]:
        with self._lock:
            mine = [(k[1], r) for k, r in self._records.items() if day_of(r.timestamp) == day.isoformat()]
        return [record for _, record in sorted(mine, key=lambda pair: pair[0])]

    def every(self) -> list[DeploymentRecord]:
        with self._lock:
            return list(self._records.values())
