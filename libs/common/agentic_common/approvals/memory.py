"""In-memory approval store (tests, and the planner when no table is configured)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection
from datetime import datetime

from agentic_common.approvals import transitions
from agentic_common.approvals.models import Approval, ApprovalStatus
from agentic_common.approvals.port import ApprovalNotFoundError


class InMemoryApprovalStore:
    def __init__(self, clock: Callable[[], datetime] = transitions.now_utc) -> None:
        self._items: dict[str, Approval] = {}
        self._lock = threading.Lock()
        self._clock = clock

    def request(self, approval: Approval) -> Approval:
        with self._lock:
            return self._items.setdefault(approval.approval_id, transitions.with_request_audit(approval))

    def get(self, approval_id: str) -> Approval | None:
        with self._lock:
            return self._refreshed(approval_id)

    def decide(
        self, approval_id: str, approve: bool, user: str, comment: str, *, aliases: Collection[str] = ()
    ) -> Approval:
        with self._lock:
            current = self._existing(approval_id)
            updated = transitions.decided(current, approve, user, comment, self._clock(), aliases=aliases)
            self._items[approval_id] = updated
            return updated

    def void(self, approval_id: str, reason: str) -> Approval:
        with self._lock:
            updated = transitions.voided(self._existing(approval_id), reason, self._clock())
            self._items[approval_id] = updated
            return updated

    def pending(self, kind: str | None = None) -> list[Approval]:
        with self._lock:
            found = [self._refreshed(key) for key in list(self._items)]
        waiting = [a for a in found if a and a.status is ApprovalStatus.PENDING and kind in (None, a.kind)]
        return sorted(waiting, key=lambda a: a.requested_at)

    def _existing(self, approval_id: str) -> Approval:
        approval = self._refreshed(approval_id)
        if approval is None:
            raise ApprovalNotFoundError(f"approval {approval_id} does not exist")
        return approval

    def _refreshed(self, approval_id: str) -> Approval | None:
        approval = self._items.get(approval_id)
        if approval is not None and approval.expired_at(self._clock()):
            approval = self._items[approval_id] = transitions.expire(approval, self._clock())
        return approval
