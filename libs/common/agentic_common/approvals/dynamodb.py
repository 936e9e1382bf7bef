"""DynamoDB approval store on the ``approvals`` table (key ``approval_id``).

The record is kept whole as JSON in ``data``; ``approval_status`` and ``requested_at`` feed the
``status-index`` (pending approvals, oldest first). Every change is a conditional write on the status
read before it, so two people deciding at once cannot both win.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from agentic_common.approvals import transitions
from agentic_common.approvals.models import Approval, ApprovalStatus
from agentic_common.approvals.port import ApprovalNotFoundError, ApprovalNotPendingError

STATUS_INDEX = "status-index"


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _conditional_failed(exc: ClientError) -> bool:
    return exc.response["Error"]["Code"] == "ConditionalCheckFailedException"


class DynamoDBApprovalStore:
    def __init__(
        self, client: Any, table_name: str, clock: Callable[[], datetime] = transitions.now_utc
    ) -> None:
        self._db = client
        self._table = table_name
        self._clock = clock

    def _item(self, approval: Approval) -> dict[str, Any]:
        return {
            "approval_id": _s(approval.approval_id),
            "approval_status": _s(approval.status.value),
            "requested_at": _s(approval.requested_at.isoformat()),
            "kind": _s(approval.kind),
            "revision": {"N": str(len(approval.audit))},
            "data": _s(approval.model_dump_json()),
        }

    def _replace(self, before: Approval, after: Approval) -> bool:
        """Write ``after`` if the stored record is still ``before`` (its status and its revision, the
        length of its audit trail, which every change extends); False if someone else won."""
        try:
            self._db.put_item(
                TableName=self._table,
                Item=self._item(after),
                ConditionExpression="approval_status = :seen AND "
                "(attribute_not_exists(revision) OR revision = :revision)",
                ExpressionAttributeValues={
                    ":seen": _s(before.status.value),
                    ":revision": {"N": str(len(before.audit))},
                },
            )
        except ClientError as exc:
            if _conditional_failed(exc):
                return False
            raise
        return True

    def request(self, approval: Approval) -> Approval:
        stored = transitions.with_request_audit(approval)
        try:
            self._db.put_item(
                TableName=self._table,
                Item=self._item(stored),
                ConditionExpression="attribute_not_exists(approval_id)",
            )
        except ClientError as exc:
            if not _conditional_failed(exc):
                raise
            existing = self._read(approval.approval_id)
            assert existing is not None
            return existing
        return stored

    def get(self, approval_id: str) -> Approval | None:
        approval = self._read(approval_id)
        if approval is not None and approval.expired_at(self._clock()):
            expired = transitions.expire(approval, self._clock())
            return expired if self._replace(approval, expired) else self._read(approval_id)
        return approval

    def decide(
        self, approval_id: str, approve: bool, user: str, comment: str, *, aliases: Collection[str] = ()
    ) -> Approval:
        current = self._existing(approval_id)
        updated = transitions.decided(current, approve, user, comment, self._clock(), aliases=aliases)
        if not self._replace(current, updated):
            raise ApprovalNotPendingError(
                f"approval {approval_id} changed while deciding it (someone decided first); read it again"
            )
        return updated

    def void(self, approval_id: str, reason: str) -> Approval:
        current = self._existing(approval_id)
        updated = transitions.voided(current, reason, self._clock())
        if not self._replace(current, updated):
            raise ApprovalNotPendingError(f"approval {approval_id} changed while voiding it; read it again")
        return updated

    def pending(self, kind: str | None = None) -> list[Approval]:
        kwargs: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": STATUS_INDEX,
            "KeyConditionExpression": "approval_status = :p",
            "ExpressionAttributeValues": {":p": _s(ApprovalStatus.PENDING.value)},
        }
        found: list[Approval] = []
        while True:
            page = self._db.query(**kwargs)
            found.extend(Approval.model_validate_json(item["data"]["S"]) for item in page["Items"])
            if "LastEvaluatedKey" not in page:
                break
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        live = [a for a in found if not a.expired_at(self._clock()) and kind in (None, a.kind)]
        return sorted(live, key=lambda a: a.requested_at)

    def _read(self, approval_id: str) -> Approval | None:
        item = self._db.get_item(
            TableName=self._table, Key={"approval_id": _s(approval_id)}, ConsistentRead=True
        ).get("Item")
        return Approval.model_validate_json(item["data"]["S"]) if item else None

    def _existing(self, approval_id: str) -> Approval:
        approval = self.get(approval_id)
        if approval is None:
            raise ApprovalNotFoundError(f"approval {approval_id} does not exist")
        return approval
