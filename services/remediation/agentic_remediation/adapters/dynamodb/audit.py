"""The ``remediation-audit`` table: PK ``service``, SK ``at`` = ``<ISO time>#<record id>``.

The record is kept whole as JSON in ``data``; writes are conditional on the key, so a redelivered
event that writes the same record id at the same time changes nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import ClientError

from agentic_remediation.ports import AuditRecord

SEPARATOR = "#"


def sort_key(at: datetime, record_id: str) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds") + SEPARATOR + record_id


class DynamoDBAuditStore:
    def __init__(self, client: Any, table_name: str) -> None:
        self._db = client
        self._table = table_name

    def append(self, record: AuditRecord) -> bool:
        item = {
            "service": {"S": record.service},
            "at": {"S": sort_key(record.at, record.record_id)},
            "kind": {"S": record.kind},
            "data": {"S": record.model_dump_json()},
        }
        if record.action_id:
            item["action_id"] = {"S": record.action_id}
        try:
            self._db.put_item(
                TableName=self._table,
                Item=item,
                ConditionExpression="attribute_not_exists(#svc)",
                ExpressionAttributeNames={"#svc": "service"},
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def _query(self, **extra: Any) -> list[AuditRecord]:
        kwargs: dict[str, Any] = {"TableName": self._table, "ConsistentRead": True, **extra}
        records: list[AuditRecord] = []
        while True:
            page = self._db.query(**kwargs)
            records += [AuditRecord.model_validate_json(item["data"]["S"]) for item in page["Items"]]
            if "LastEvaluatedKey" not in page:
                return records
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def of_service(self, service: str, since: datetime | None = None) -> list[AuditRecord]:
        if since is None:
            return self._query(
                KeyConditionExpression="#svc = :s",
                ExpressionAttributeNames={"#svc": "service"},
                ExpressionAttributeValues={":s": {"S": service}},
            )
        return self._query(
            KeyConditionExpression="#svc = :s AND #at >= :since",
            ExpressionAttributeNames={"#svc": "service", "#at": "at"},
            ExpressionAttributeValues={":s": {"S": service}, ":since": {"S": sort_key(since, "")}},
        )

    def of_action(self, service: str, action_id: str) -> list[AuditRecord]:
        return self._query(
            KeyConditionExpression="#svc = :s",
            FilterExpression="action_id = :a",
            ExpressionAttributeNames={"#svc": "service"},
            ExpressionAttributeValues={":s": {"S": service}, ":a": {"S": action_id}},
        )
