"""May the trigger's evidence move a machine? Only the monitor's actionable SLO check does.

The rule itself (objective breached, enough samples, effect large enough) is applied once, by the
observability monitor, which sees every point of the series (``SloCheck.actionable``). Here it is only
read: any other trigger, or an anomaly without an actionable check (an anomaly on a service that meets
its SLO, an Alertmanager alert, a post-deploy verification), leaves every action advisory.
"""

from __future__ import annotations

from agentic_common.events import EventDetail
from agentic_common.events.observability import AnomalyDetected


def held_back(detail: EventDetail) -> str | None:
    """Why no action may run on this trigger's evidence; None when it may (tiers then decide)."""
    if not isinstance(detail, AnomalyDetected):
        return f"a {detail.DETAIL_TYPE} trigger carries no SLO evidence of a running service"
    if detail.check is None:
        return f"the {detail.kind} anomaly carries no SLO evidence (objective, samples, effect)"
    if not detail.check.actionable:
        return detail.check.summary()
    return None


def evidence_line(detail: EventDetail) -> str:
    """The evidence as people read it in the action's reason ('' when there is none)."""
    check = detail.check if isinstance(detail, AnomalyDetected) else None
    return check.summary() if check is not None else ""
