"""Which deployments are running now, from the deployments table's history items."""

from __future__ import annotations

from collections.abc import Iterable

from agentic_observability.ports import DeploymentRow

# statuses after which a deployment no longer serves (deploy failed, replaced, rolled back, stopped)
NOT_RUNNING = frozenset({"failed", "rolled_back", "stopped", "superseded", "terminated"})


def latest_per_deployment(rows: Iterable[DeploymentRow]) -> list[DeploymentRow]:
    latest: dict[str, DeploymentRow] = {}
    for row in rows:
        if row.deployment_id not in latest or row.timestamp > latest[row.deployment_id].timestamp:
            latest[row.deployment_id] = row
    return list(latest.values())


def running(rows: Iterable[DeploymentRow]) -> list[DeploymentRow]:
    """The newest running deployment of each (service, environment) that has a URL."""
    newest: dict[tuple[str, str], DeploymentRow] = {}
    for row in latest_per_deployment(rows):
        if row.status in NOT_RUNNING or not row.url:
            continue
        key = (row.service, row.environment)
        if key not in newest or row.timestamp > newest[key].timestamp:
            newest[key] = row
    return sorted(newest.values(), key=lambda r: (r.service, r.environment))
