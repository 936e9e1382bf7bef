"""DORA metrics as weekly trends: the four metrics of each ISO week (Monday 00:00 UTC) in the window.

Every week from the one holding ``now - window`` to the one holding ``now`` is reported for every group
that changed in the window, a week without deployments included (0 deployments, the other metrics
None), so a chart's x axis is the same for all groups. Time to restore keeps looking past the week's
end, as in ``dora_metrics``: a failure on Sunday restored on Monday is restored in 1 day, not never.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Literal

from agentic_observability.logic.dora import Change, DoraMetrics, grouped_changes, summarise
from agentic_observability.ports import DeploymentRow, WorkflowRow

WEEK = timedelta(days=7)


def week_start(moment: datetime) -> date:
    """The Monday (UTC) of the ISO week holding ``moment``."""
    day = moment.astimezone(UTC).date()
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class WeeklyMetrics:
    week_start: date
    metrics: DoraMetrics


@dataclass(frozen=True)
class DoraTrend:
    group: str
    weeks: list[WeeklyMetrics]


def weeks_between(first: date, last: date) -> list[date]:
    count = (last - first).days // 7 + 1
    return [first + i * WEEK for i in range(count)]


def dora_trends(
    deployments: list[DeploymentRow],
    workflows: list[WorkflowRow],
    now: datetime,
    window: timedelta,
    *,
    by: Literal["service", "template"] = "service",
    service: str | None = None,
) -> list[DoraTrend]:
    groups, restored = grouped_changes(deployments, workflows, now, window, by=by, service=service)
    buckets: dict[str, dict[date, list[Change]]] = {}
    for group, members in groups.items():
        by_week = buckets.setdefault(group, defaultdict(list))
        for change in members:
            by_week[week_start(change.started)].append(change)
    weeks = weeks_between(week_start(now - window), week_start(now))
    days = WEEK.total_seconds() / 86400
    return [
        DoraTrend(
            group, [WeeklyMetrics(w, summarise(group, by_week.get(w, []), restored, days)) for w in weeks]
        )
        for group, by_week in sorted(buckets.items())
    ]
