"""``ServiceNames`` on DynamoDB: one item per service name in the planner's ``workflows`` table.

The item's key is (``#service#<name>``, ``#service``); it has no status or outbox attribute, so the
table's sparse indexes never list it. A write is conditional on the item the caller read (or on its
absence), so two requests that race for a name cannot both win; a refused write returns the item it
found (``ReturnValuesOnConditionCheckFailure``), so creating a service costs one call, taken or not.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from agentic_planner.ports import ServiceClaim

PREFIX = "#service#"
SORT = "#service"


class DynamoDBServiceNames:
    def __init__(self, client: Any, table: str) -> None:
        self._db = client
        self._table = table

    def _key(self, name: str) -> dict[str, dict[str, str]]:
        return {"workflow_id": {"S": PREFIX + name}, "task_id": {"S": SORT}}

    def get(self, name: str) -> ServiceClaim | None:
        item = self._db.get_item(TableName=self._table, Key=self._key(name), ConsistentRead=True).get("Item")
        return ServiceClaim.model_validate_json(item["data"]["S"]) if item else None

    def put(self, claim: ServiceClaim, replacing: ServiceClaim | None) -> tuple[bool, ServiceClaim | None]:
        condition: dict[str, Any] = {
            "ConditionExpression": "attribute_not_exists(workflow_id)",
            "ReturnValuesOnConditionCheckFailure": "ALL_OLD",  # the holder, without a read
        }
        if replacing is not None:
            condition = {
                "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
                "ConditionExpression": "#d = :held",
                "ExpressionAttributeNames": {"#d": "data"},
                "ExpressionAttributeValues": {":held": {"S": replacing.model_dump_json()}},
            }
        item = self._key(claim.name) | {"data": {"S": claim.model_dump_json()}}
        try:
            self._db.put_item(TableName=self._table, Item=item, **condition)
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                held = exc.response.get("Item")
                return False, ServiceClaim.model_validate_json(held["data"]["S"]) if held else None
            raise
        return True, None
