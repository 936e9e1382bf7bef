"""The ``deployments`` table's record, declared once: PK ``deployment_id``, SK ``timestamp`` (ISO 8601, UTC).

The planner writes the request side of a deployment's history (requested, awaiting approval,
approved, rejected); the deployment worker writes the outcome (success, failed, rolled_back);
observability reads both. Every item expires ``RETENTION`` after it was written (``expires_at``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal, Protocol

RETENTION = timedelta(days=90)
SERVICE_INDEX = "service-index"  # PK service_name, SK timestamp
DAY_INDEX = "day-index"  # PK day (the UTC date of timestamp), SK timestamp: the records of one day

DeploymentOutcome = Literal["success", "failed", "rolled_back"]
RequestStatus = Literal["requested", "awaiting_approval", "approved", "rejected"]

_TEXT_FIELDS = ("workflow_id", "task_id", "service_name", "environment", "version", "status", "target")
_OPTIONAL_FIELDS = ("url", "repo_url", "strategy", "detail", "ref")


@dataclass(frozen=True)
class DeploymentRecord:
    """One item of a deployment's history. ``status`` is a ``DeploymentOutcome`` or a ``RequestStatus``
    (a reader keeps a status it does not know as it is)."""

    deployment_id: str
    timestamp: datetime
    workflow_id: str
    task_id: str
    service_name: str
    environment: str
    version: str
    status: str
    target: str
    expires_at: int
    url: str | None = None
    repo_url: str | None = None
    strategy: str | None = None
    detail: str | None = None
    ref: str | None = None  # the tag or branch a request named; ``version`` is its commit


def expires_at(written: datetime) -> int:
    """When an item written at ``written`` leaves the table (epoch seconds, the table's TTL attribute)."""
    return int((written + RETENTION).timestamp())


def sort_key(timestamp: datetime) -> str:
    """One format for every item, so that the sort key orders by time."""
    return timestamp.astimezone(UTC).isoformat(timespec="microseconds")


def day_of(timestamp: datetime) -> str:
    return timestamp.astimezone(UTC).date().isoformat()


def to_item(record: DeploymentRecord) -> dict[str, Any]:
    item: dict[str, Any] = {
        "deployment_id": {"S": record.deployment_id},
        "timestamp": {"S": sort_key(record.timestamp)},
        "day": {"S": day_of(record.timestamp)},
        "expires_at": {"N": str(record.expires_at)},
    }
    item |= {name: {"S": getattr(record, name)} for name in _TEXT_FIELDS}
    item |= {name: {"S": value} for name in _OPTIONAL_FIELDS if (value := getattr(record, name))}
    return item


def from_item(item: dict[str, Any]) -> DeploymentRecord:
    return DeploymentRecord(
        deployment_id=item["deployment_id"]["S"],
        timestamp=datetime.fromisoformat(item["timestamp"]["S"]),
        expires_at=int(item["expires_at"]["N"]),
        **{name: item[name]["S"] for name in _TEXT_FIELDS},
        **{name: item[name]["S"] for name in _OPTIONAL_FIELDS if name in item},
    )


class DeploymentHistory(Protocol):
    def record(self, record: DeploymentRecord) -> bool:
        """Store the record; False (and no change) if this (deployment_id, timestamp) is already there."""

    def of(self, deployment_id: str) -> list[DeploymentRecord]:
        """Every record of a deployment, oldest first."""

    def of_service(self, service_name: str, limit: int = 50) -> list[DeploymentRecord]:
        """The latest records of a service, newest first."""

    def on_day(self, day: date) -> list[DeploymentRecord]:
        """The records whose ``timestamp`` falls on ``day`` (UTC), oldest first."""

    def every(self) -> list[DeploymentRecord]:
        """Every record in the table (all history items, any order): a full read, for a rare refresh."""
