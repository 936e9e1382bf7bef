"""DORA metrics as weekly trends (bucket=week)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from agentic_observability.logic.dora_trends import dora_trends, week_start
from agentic_observability.ports import DeploymentRow, WorkflowRow

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)  # a Saturday; its week starts on Monday 16 November


def deploy(dep: str, at: datetime, status: str = "success", service: str = "orders") -> DeploymentRow:
    return DeploymentRow(dep, at, f"wf-{dep}", service, "dev", "v", status, "http://x")


def workflow(dep: str, at: datetime, template: str = "microservice-rest-api") -> WorkflowRow:
    return WorkflowRow(f"wf-{dep}", template, "completed", at, None)


def test_a_week_starts_on_the_monday_utc_of_its_iso_week() -> None:
    assert week_start(NOW) == date(2026, 11, 16)
    assert week_start(datetime(2026, 11, 16, 0, 0, tzinfo=UTC)) == date(2026, 11, 16)
    assert week_start(datetime(2026, 11, 15, 23, 59, tzinfo=UTC)) == date(2026, 11, 9)


def test_each_week_of_the_window_has_its_own_four_metrics() -> None:
    # Given two deployments last week and one failed then restored this week
    last_week = datetime(2026, 11, 10, 9, 0, tzinfo=UTC)
    this_week = datetime(2026, 11, 18, 9, 0, tzinfo=UTC)
    deployments = [
        deploy("a", last_week),
        deploy("b", last_week + timedelta(days=1)),
        deploy("c", this_week, status="failed"),
        deploy("d", this_week + timedelta(hours=3)),
    ]
    workflows = [workflow("a", last_week - timedelta(hours=2)), workflow("d", this_week + timedelta(hours=2))]
    # When trends are asked over 14 days
    [trend] = dora_trends(deployments, workflows, NOW, timedelta(days=14))
    # Then there are three weeks (the window starts on Saturday 7 November's week) with their own figures
    assert [w.week_start for w in trend.weeks] == [date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16)]
    first, previous, current = (w.metrics for w in trend.weeks)
    assert (first.deployments, first.change_failure_rate, first.lead_time_hours) == (0, None, None)
    assert previous.deployments == 2
    assert previous.deployment_frequency_per_day == pytest.approx(2 / 7, abs=0.001)
    assert previous.lead_time_hours == pytest.approx(2.0)
    assert previous.change_failure_rate == 0.0
    assert current.deployments == 2
    assert current.change_failure_rate == pytest.approx(0.5)
    assert current.time_to_restore_hours == pytest.approx(3.0)
    assert current.lead_time_hours == pytest.approx(1.0)


def test_a_failure_restored_in_the_next_week_keeps_its_restore_time() -> None:
    # Given a failure on Sunday and the fix on Monday
    sunday = datetime(2026, 11, 15, 22, 0, tzinfo=UTC)
    deployments = [deploy("x", sunday, status="failed"), deploy("y", sunday + timedelta(hours=4))]
    # When
    [trend] = dora_trends(deployments, [], NOW, timedelta(days=7))
    # Then the failure's week counts the 4 hours to restore
    assert trend.weeks[0].week_start == date(2026, 11, 9)
    assert trend.weeks[0].metrics.time_to_restore_hours == pytest.approx(4.0)


def test_trends_group_by_template_and_filter_by_service() -> None:
    at = datetime(2026, 11, 17, 9, 0, tzinfo=UTC)
    deployments = [deploy("a", at, service="orders"), deploy("b", at, service="billing")]
    workflows = [workflow("a", at, template="t1"), workflow("b", at, template="t2")]
    by_template = dora_trends(deployments, workflows, NOW, timedelta(days=7), by="template")
    only_billing = dora_trends(deployments, workflows, NOW, timedelta(days=7), service="billing")
    assert [t.group for t in by_template] == ["t1", "t2"]
    assert [t.group for t in only_billing] == ["billing"]


def test_no_change_in_the_window_gives_no_trend() -> None:
    old = deploy("old", NOW - timedelta(days=40))
    assert dora_trends([old], [], NOW, timedelta(days=7)) == []
