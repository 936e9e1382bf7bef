"""``DeploymentHistory`` on the ``deployments`` DynamoDB table.

Writes are conditional on the key: a redelivered task that finds its service still running reports
the same start time, so its second write is refused and the history keeps one item per real start.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from botocore.exceptions import ClientError

from agentic_common.records.deployments import DAY_INDEX, SERVICE_INDEX, DeploymentRecord, from_item, to_item


class DynamoDBDeploymentHistory:
    def __init__(self, client: Any, table_name: str) -> None:
        self._db = client
        self._table = table_name

    def record(self, record: DeploymentRecord) -> bool:
        try:
            self._db.put_item(
                TableName=self._table,
                Item=to_item(record),
                ConditionExpression="attribute_not_exists(deployment_id)",
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def of(self, deployment_id: str) -> list[DeploymentRecord]:
        return [
            from_item(item)
            for item in self._pages(
                "query",
                KeyConditionExpression="deployment_id = :d",
                ExpressionAttributeValues={":d": {"S": deployment_id}},
                ConsistentRead=True,
            )
        ]

    def of_service(self, service_name: str, limit: int = 50) -> list[DeploymentRecord]:
        page = self._db.query(
            TableName=self._table,
            IndexName=SERVICE_INDEX,
            KeyConditionExpression="service_name = :s",
            ExpressionAttributeValues={":s": {"S": service_name}},
            ScanIndexForward=False,
            Limit=limit,
        )
        return [from_item(item) for item in page.get("Items", [])]

    def on_day(self, day: date) -> list[DeploymentRecord]:
        return [
            from_item(item)
            for item in self._pages(
                "query",
                IndexName=DAY_INDEX,
                KeyConditionExpression="#day = :d",
                ExpressionAttributeNames={"#day": "day"},
                ExpressionAttributeValues={":d": {"S": day.isoformat()}},
            )
        ]

    def every(self) -> list[DeploymentRecord]:
        return [from_item(item) for item in self._pages("scan")]

    def _pages(self, operation: str, **kwargs: Any) -> Iterator[dict[str, Any]]:
        call = getattr(self._db, operation)
        while True:
            page = call(TableName=self._table, **kwargs)
            yield from page.get("Items", [])
            if "LastEvaluatedKey" not in page:
                return
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
