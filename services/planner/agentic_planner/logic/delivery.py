"""Deliver a notification once per (workflow, event, channel), retry boundedly, record the outcome.

* Once: before sending on a channel the delivery claims ``notify#<workflow>#<event>#<channel>``
  (a conditional write in the claims table); a redelivered event finds the claim completed and
  sends nothing. A crash while sending leaves a lease that expires, so the next try can send.
* A channel that answers with a retryable error (a 5xx, a 429, no connection) is tried again
  after ``Backoff.delays()``; a permanent answer (``400 invalid_blocks``) is not retried.
* The outcome (``delivered`` or ``failed (<the channel's answer>)``) is recorded on the workflow
  and the event counts as processed: a notification that cannot be delivered never dead-letters
  the workflow event that caused it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from agentic_common.idempotency import ClaimStore, once

from agentic_planner.ports import DeliveryError, Notification, Notifier, OutcomeRecorder

log = logging.getLogger(__name__)

DELIVERED = "delivered"


@dataclass(frozen=True)
class Backoff:
    """``attempts`` tries in all; the waits between them double from ``first_delay`` up to ``cap``."""

    attempts: int = 3
    first_delay: float = 0.5
    factor: float = 2.0
    cap: float = 5.0

    def delays(self) -> list[float]:
        return [min(self.first_delay * self.factor**i, self.cap) for i in range(self.attempts - 1)]

    @property
    def worst_case_seconds(self) -> float:
        return sum(self.delays())


@dataclass
class NotificationDelivery:
    channels: Sequence[Notifier]
    claims: ClaimStore
    recorder: OutcomeRecorder
    backoff: Backoff = field(default_factory=Backoff)
    sleep: Callable[[float], None] = time.sleep
    # the Slack client's timeout. The claim's lease (tries x timeout + waits, 31 s) stays under the
    # planner queue's 60 s visibility: after a crash mid-send, the redelivery finds the lease expired.
    send_timeout_seconds: int = 10

    @property
    def lease_seconds(self) -> int:
        return int(self.backoff.worst_case_seconds) + self.backoff.attempts * self.send_timeout_seconds

    def deliver(self, notification: Notification) -> dict[str, str]:
        """Send on every channel that has not sent it yet; returns channel → outcome for those tried."""
        outcomes: dict[str, str] = {}
        for channel in self.channels:
            key = f"notify#{notification.workflow_id}#{notification.event}#{channel.channel}"
            # a fault (not a delivery answer) releases the claim: the event is retried
            with once(self.claims, key, lease_seconds=self.lease_seconds) as owned:
                if not owned:
                    log.info("%s already notified on %s", key, channel.channel)
                    continue
                outcome = self._send(channel, notification)
            self.recorder.record(
                notification.workflow_id, f"{notification.event} via {channel.channel}", outcome
            )
            outcomes[channel.channel] = outcome
        return outcomes

    def _send(self, channel: Notifier, notification: Notification) -> str:
        waits = iter(self.backoff.delays())
        attempt = 1
        while True:
            try:
                channel.notify(notification)
            except DeliveryError as exc:
                wait = next(waits, None) if exc.retryable else None
                if wait is None:
                    log.error(
                        "%s for %s not delivered on %s after %d attempt(s): %s",
                        notification.event,
                        notification.workflow_id,
                        channel.channel,
                        attempt,
                        exc.answer,
                    )
                    return f"failed ({exc.answer})"
                log.warning("%s: %s; retrying in %.1f s", channel.channel, exc.answer, wait)
                self.sleep(wait)
                attempt += 1
                continue
            return DELIVERED
