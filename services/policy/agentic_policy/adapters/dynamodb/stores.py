"""Waivers (``policy-waivers``, PK waiver_id) and decision records (``policy-decisions``, PK decision_id)
in DynamoDB. Items hold the model as JSON plus the attributes a query or a person needs."""

from __future__ import annotations

import json
import time
from typing import Any

from botocore.exceptions import ClientError

from agentic_policy.logic.decisions import DecisionRecord
from agentic_policy.logic.waivers import Waiver

REPOSITORY_INDEX = "repository-index"  # PK repository, SK waiver_id


class DynamoDBWaiverStore:
    def __init__(self, client: Any, table_name: str) -> None:
        self._db = client
        self._table = table_name

    def put(self, waiver: Waiver) -> Waiver:
        try:
            self._db.put_item(
                TableName=self._table,
                Item=_item(waiver),
                ConditionExpression="attribute_not_exists(waiver_id)",
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
            existing = self.get(waiver.waiver_id)
            if existing is None:
                raise
            return existing
        return waiver

    def get(self, waiver_id: str) -> Waiver | None:
        item = self._db.get_item(
            TableName=self._table, Key={"waiver_id": {"S": waiver_id}}, ConsistentRead=True
        ).get("Item")
        return Waiver.model_validate_json(item["body"]["S"]) if item else None

    def replace(self, waiver: Waiver, expected_status: str) -> bool:
        """Conditional on the stored status (an item without one counts as ``pending``)."""
        legacy = " OR attribute_not_exists(waiver_status)" if expected_status == "pending" else ""
        try:
            self._db.put_item(
                TableName=self._table,
                Item=_item(waiver),
                ConditionExpression=f"attribute_exists(waiver_id) AND (waiver_status = :expected{legacy})",
                ExpressionAttributeValues={":expected": {"S": expected_status}},
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
            return False
        return True

    def _scan(self, **kwargs: Any) -> list[Waiver]:
        waivers: list[Waiver] = []
        for page in self._db.get_paginator("scan").paginate(
            TableName=self._table, ConsistentRead=True, **kwargs
        ):
            waivers.extend(Waiver.model_validate_json(item["body"]["S"]) for item in page["Items"])
        return waivers

    def for_repository(self, repository: str) -> list[Waiver]:
        """The repository's waiver ids from ``repository-index`` (a Query, not a Scan of every waiver), then
        the waivers themselves by key with a consistent read: an approval or a revocation is seen at once.
        The index is eventually consistent only for a waiver created a moment ago, which is still pending
        (no waiver applies before it is approved). No waiver, one call; else one more per 100."""
        keys: list[dict[str, Any]] = []
        for page in self._db.get_paginator("query").paginate(
            TableName=self._table,
            IndexName=REPOSITORY_INDEX,
            KeyConditionExpression="repository = :r",
            ExpressionAttributeValues={":r": {"S": repository}},
            ProjectionExpression="waiver_id",
        ):
            keys.extend({"waiver_id": item["waiver_id"]} for item in page["Items"])
        waivers: list[Waiver] = []
        for start in range(0, len(keys), 100):
            waivers.extend(self._by_keys(keys[start : start + 100]))
        return waivers

    def _by_keys(self, keys: list[dict[str, Any]]) -> list[Waiver]:
        items: list[dict[str, Any]] = []
        wanted: dict[str, Any] = {self._table: {"Keys": keys, "ConsistentRead": True}}
        for attempt in range(5):
            answer = self._db.batch_get_item(RequestItems=wanted)
            items.extend(answer["Responses"].get(self._table, []))
            if not (wanted := answer.get("UnprocessedKeys") or {}):
                return [Waiver.model_validate_json(item["body"]["S"]) for item in items]
            time.sleep(0.05 * 2**attempt)  # throttled: DynamoDB left some keys for later
        raise RuntimeError(f"waivers of {len(keys)} keys not read from {self._table} in 5 tries")

    def list(self, repository: str | None = None) -> list[Waiver]:
        waivers = self.for_repository(repository) if repository else self._scan()
        return sorted(waivers, key=lambda w: w.created_at, reverse=True)


def _item(waiver: Waiver) -> dict[str, Any]:
    return {
        "waiver_id": {"S": waiver.waiver_id},
        "repository": {"S": waiver.repository},
        "rule": {"S": waiver.rule},
        "waiver_status": {"S": waiver.status},
        "expires_at": {"S": waiver.expires_at.isoformat()},
        "body": {"S": waiver.model_dump_json()},
    }


class DynamoDBDecisionStore:
    def __init__(self, client: Any, table_name: str) -> None:
        self._db = client
        self._table = table_name

    def put(self, decision: DecisionRecord) -> None:
        self._db.put_item(
            TableName=self._table,
            Item={
                "decision_id": {"S": decision.decision_id},
                "digest": {"S": decision.digest},
                "bundle_version": {"S": decision.bundle_version},
                "valid": {"BOOL": decision.valid},
                "body": {"S": json.dumps(decision.model_dump(mode="json"))},
            },
        )

    def get(self, decision_id: str) -> DecisionRecord | None:
        item = self._db.get_item(
            TableName=self._table, Key={"decision_id": {"S": decision_id}}, ConsistentRead=True
        ).get("Item")
        return DecisionRecord.model_validate_json(item["body"]["S"]) if item else None
