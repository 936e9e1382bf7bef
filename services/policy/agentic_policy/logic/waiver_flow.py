"""The waiver use cases: request one (active at once, or pending for four eyes) and approve one.

Identity is the caller's token (``agentic_common.identity``), never a body field. Every creation and
approval is appended to the waiver's audit trail and logged as one structured ``waiver.audit`` line.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from agentic_common.identity import Identity

from agentic_policy.logic.waiver_rules import WaiverRules, owning_group
from agentic_policy.logic.waivers import Waiver, WaiverAuditEntry, WaiverRequest, approved, new_waiver
from agentic_policy.ports import WaiverStore

log = logging.getLogger(__name__)
MAX_WAIVER_DAYS = 365


class WaiverError(Exception):
    """A refused waiver operation; ``kind`` is forbidden, not_found, conflict or invalid."""

    def __init__(self, kind: str, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.kind, self.code, self.message, self.field = kind, code, message, field


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class WaiverFlow:
    store: WaiverStore
    rules: WaiverRules
    clock: Callable[[], datetime] = field(default=_utc_now)

    def request(self, request: WaiverRequest, identity: Identity, now: datetime) -> Waiver:
        self._check_request(request, now)
        refusal = self.rules.may_waive(identity, request.rule)
        if refusal:
            raise WaiverError("forbidden", "not_a_waiver_approver", refusal)
        waiver = self.store.put(
            new_waiver(
                request,
                identity.subject,
                now,
                four_eyes=self.rules.needs_four_eyes(request.rule, request.environment),
                owning_group=owning_group(request.rule, self.rules.bundle),
            )
        )
        _log(waiver, waiver.audit[0])
        return waiver

    def approve(self, waiver_id: str, identity: Identity, now: datetime) -> Waiver:
        waiver = self.store.get(waiver_id)
        if waiver is None:
            raise WaiverError("not_found", "not_found", f"no waiver {waiver_id!r}")
        if waiver.status == "active":
            raise WaiverError("conflict", "already_active", f"waiver {waiver_id} is already active")
        if now >= waiver.expires_at:
            raise WaiverError("conflict", "expired", f"waiver {waiver_id} expired at {waiver.expires_at}")
        if identity.is_one_of([waiver.created_by]):
            raise WaiverError(
                "forbidden",
                "four_eyes",
                f"{identity.subject} requested waiver {waiver_id}; a second person (another owner of "
                f"{waiver.rule} or a policy approver) must approve it",
            )
        refusal = self.rules.may_waive(identity, waiver.rule)
        if refusal:
            refusal = refusal.replace("may not waive", "may not approve a waiver of")
            raise WaiverError("forbidden", "not_a_waiver_approver", refusal)
        result = approved(waiver, identity.subject, now)
        if not self.store.replace(result, expected_status="pending"):
            raise WaiverError("conflict", "already_active", f"waiver {waiver_id} was approved meanwhile")
        _log(result, result.audit[-1])
        return result

    def _check_request(self, request: WaiverRequest, now: datetime) -> None:
        if request.expires_at <= now:
            raise WaiverError("invalid", "invalid_request", "expires_at is in the past", "expires_at")
        if request.expires_at > now + timedelta(days=MAX_WAIVER_DAYS):
            raise WaiverError(
                "invalid", "invalid_request", f"a waiver lasts at most {MAX_WAIVER_DAYS} days", "expires_at"
            )
        known = self.rules.environments(None)
        if request.environment is not None and request.environment not in known:
            raise WaiverError(
                "invalid",
                "unknown_environment",
                f"environment {request.environment!r} is not one of: {', '.join(known)}",
                "environment",
            )


def _log(waiver: Waiver, entry: WaiverAuditEntry) -> None:
    log.info(
        "waiver.audit",
        extra={"waiver_id": waiver.waiver_id, "status": waiver.status, **entry.model_dump(mode="json")},
    )
