"""DORA metrics from the deployments and workflows tables, per service or per template.

- deployment frequency: successful deployments per day in the window;
- lead time for changes: workflow created (the change was requested) → its deployment went live
  (median hours; the commit time is not recorded, so the request stands in for it);
- change failure rate: deployments that failed, were rolled back, or whose workflow failed after
  the deploy (SLO verification), over all deployments;
- time to restore: a failed change → the next successful deployment of that service and
  environment (median hours).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median
from typing import Literal

from agentic_observability.logic.running import latest_per_deployment
from agentic_observability.ports import DeploymentRow, WorkflowRow

FAILED_STATUSES = frozenset({"failed", "rolled_back"})
OUTCOMES = frozenset({"success", *FAILED_STATUSES})
"""A deployment counts once it has an outcome; request-side records (requested, awaiting_approval,
approved, rejected) the planner writes to the same table are not changes that reached production."""
_WINDOW = re.compile(r"^(\d{1,4})([hd])$")


class InvalidWindowError(ValueError):
    pass


def parse_window(text: str) -> timedelta:
    """'24h', '7d', '30d' (1 hour to 366 days)."""
    match = _WINDOW.match(text.strip())
    if not match:
        raise InvalidWindowError(f"window {text!r} is not <number>h or <number>d, e.g. 7d or 24h")
    number, unit = int(match[1]), match[2]
    window = timedelta(hours=number) if unit == "h" else timedelta(days=number)
    if not timedelta(hours=1) <= window <= timedelta(days=366):
        raise InvalidWindowError(f"window {text!r} must be between 1h and 366d")
    return window


@dataclass(frozen=True)
class Change:
    row: DeploymentRow
    started: datetime
    failed: bool
    template: str
    requested: datetime | None


@dataclass(frozen=True)
class DoraMetrics:
    group: str
    deployments: int
    deployment_frequency_per_day: float
    lead_time_hours: float | None
    change_failure_rate: float | None
    time_to_restore_hours: float | None


def changes(deployments: list[DeploymentRow], workflows: list[WorkflowRow]) -> list[Change]:
    by_workflow = {w.workflow_id: w for w in workflows}
    first_seen: dict[str, datetime] = {}
    for row in deployments:
        first_seen[row.deployment_id] = min(row.timestamp, first_seen.get(row.deployment_id, row.timestamp))
    result = []
    for row in latest_per_deployment([d for d in deployments if d.status in OUTCOMES]):
        workflow = by_workflow.get(row.workflow_id)
        failed = row.status in FAILED_STATUSES or (workflow is not None and workflow.status == "failed")
        result.append(
            Change(
                row,
                first_seen[row.deployment_id],
                failed,
                workflow.template if workflow else "unknown",
                workflow.created_at if workflow else None,
            )
        )
    return sorted(result, key=lambda c: c.started)


def _hours(delta: timedelta) -> float:
    return round(delta.total_seconds() / 3600, 3)


def restore_times(all_changes: list[Change]) -> dict[str, list[float]]:
    """Deployment id of a failed change → hours until that service+environment deployed successfully."""
    restored: dict[str, list[float]] = {}
    for i, change in enumerate(all_changes):
        if not change.failed:
            continue
        fix = next(
            (
                c
                for c in all_changes[i + 1 :]
                if not c.failed
                and c.row.service == change.row.service
                and c.row.environment == change.row.environment
            ),
            None,
        )
        if fix is not None:
            restored[change.row.deployment_id] = [_hours(fix.started - change.started)]
    return restored


def dora_metrics(
    deployments: list[DeploymentRow],
    workflows: list[WorkflowRow],
    now: datetime,
    window: timedelta,
    *,
    by: Literal["service", "template"] = "service",
    service: str | None = None,
) -> list[DoraMetrics]:
    groups, restored = grouped_changes(deployments, workflows, now, window, by=by, service=service)
    days = window.total_seconds() / 86400
    return [summarise(group, members, restored, days) for group, members in sorted(groups.items())]


def grouped_changes(
    deployments: list[DeploymentRow],
    workflows: list[WorkflowRow],
    now: datetime,
    window: timedelta,
    *,
    by: Literal["service", "template"],
    service: str | None,
) -> tuple[dict[str, list[Change]], dict[str, list[float]]]:
    """The changes started in the window (of ``service`` when given) by group, and every failure's restore
    times (looked for past the window's end)."""
    every = changes(deployments, workflows)
    groups: dict[str, list[Change]] = defaultdict(list)
    for change in every:
        if now - window <= change.started <= now and (service is None or change.row.service == service):
            groups[change.row.service if by == "service" else change.template].append(change)
    return groups, restore_times(every)


def summarise(
    group: str, members: list[Change], restored: dict[str, list[float]], days: float
) -> DoraMetrics:
    """The four metrics of ``members`` (the changes of one group over ``days`` days)."""
    ok = [c for c in members if not c.failed]
    leads = [_hours(c.started - c.requested) for c in ok if c.requested and c.started >= c.requested]
    restores = [h for c in members if c.failed for h in restored.get(c.row.deployment_id, [])]
    return DoraMetrics(
        group=group,
        deployments=len(members),
        deployment_frequency_per_day=round(len(ok) / days, 3),
        lead_time_hours=round(median(leads), 3) if leads else None,
        change_failure_rate=round(sum(c.failed for c in members) / len(members), 3) if members else None,
        time_to_restore_hours=round(median(restores), 3) if restores else None,
    )
