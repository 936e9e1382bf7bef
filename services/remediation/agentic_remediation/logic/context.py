"""What the remediation flows act through: bus, audit trail, approvals, loop bound, clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from agentic_common.approvals import ApprovalStore
from agentic_common.bus import EventPublisher

from agentic_remediation.logic.decide import Decider
from agentic_remediation.ports import ACTING_KINDS, AuditStore


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class LoopBound:
    """At most ``max_actions`` actions per service per ``window``; beyond it a person is asked."""

    max_actions: int = 3
    window: timedelta = timedelta(hours=1)

    def describe(self) -> str:
        return f"at most {self.max_actions} action(s) per service per {int(self.window.total_seconds())} s"


@dataclass(frozen=True)
class Remediation:
    publisher: EventPublisher
    audit: AuditStore
    approvals: ApprovalStore
    decider: Decider
    bound: LoopBound = field(default_factory=LoopBound)
    approval_ttl: timedelta = timedelta(hours=24)
    clock: Callable[[], datetime] = utc_now

    def actions_in_window(self, service: str, excluding: str) -> int:
        """Distinct actions on ``service`` within the window, not counting ``excluding`` (a retry)."""
        since = self.clock() - self.bound.window
        acted = {r.action_id for r in self.audit.of_service(service, since) if r.kind in ACTING_KINDS}
        return len(acted - {excluding, None})

    def bound_reached(self, service: str, action_id: str) -> bool:
        already = {r.action_id for r in self.audit.of_action(service, action_id) if r.kind in ACTING_KINDS}
        if action_id in already:
            return False
        return self.actions_in_window(service, action_id) >= self.bound.max_actions
