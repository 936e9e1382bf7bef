"""DORA metrics from deployment and workflow rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from agentic_observability.logic.dora import InvalidWindowError, dora_metrics, parse_window
from agentic_observability.ports import DeploymentRow, WorkflowRow

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


def deploy(
    dep: str, hours_ago: float, status: str = "success", service: str = "orders", wf: str | None = None
):
    return DeploymentRow(
        dep, NOW - timedelta(hours=hours_ago), wf or f"wf-{dep}", service, "dev", "v", status, "http://x"
    )


def workflow(wf: str, hours_ago: float, status: str = "completed", template: str = "microservice-rest-api"):
    return WorkflowRow(wf, template, status, NOW - timedelta(hours=hours_ago), None)


def test_the_four_keys_for_one_service():
    # Given 4 deployments in a week: one failed, restored 2 hours later by the next one
    deployments = [deploy("d1", 100), deploy("d2", 50, status="failed"), deploy("d3", 48), deploy("d4", 10)]
    workflows = [
        workflow("wf-d1", 101),
        workflow("wf-d2", 51, "failed"),
        workflow("wf-d3", 49),
        workflow("wf-d4", 13),
    ]
    # When
    [metrics] = dora_metrics(deployments, workflows, NOW, timedelta(days=7))
    # Then
    assert metrics.group == "orders"
    assert metrics.deployments == 4
    assert metrics.deployment_frequency_per_day == pytest.approx(3 / 7, abs=0.001)
    assert metrics.lead_time_hours == pytest.approx(1.0)  # median of 1, 1, 3
    assert metrics.change_failure_rate == pytest.approx(0.25)
    assert metrics.time_to_restore_hours == pytest.approx(2.0)


def test_a_rollback_recorded_after_the_deploy_counts_as_a_failed_change():
    deployments = [deploy("d1", 5), deploy("d1", 4, status="rolled_back")]
    [metrics] = dora_metrics(deployments, [], NOW, timedelta(days=1))
    assert metrics.deployments == 1
    assert metrics.change_failure_rate == 1.0
    assert metrics.time_to_restore_hours is None


def test_grouping_by_template_and_filtering_by_service_and_window():
    deployments = [deploy("a", 1, service="orders"), deploy("b", 2, service="billing"), deploy("c", 400)]
    workflows = [
        workflow("wf-a", 2, template="t1"),
        workflow("wf-b", 3, template="t2"),
        workflow("wf-c", 401),
    ]
    by_template = dora_metrics(deployments, workflows, NOW, timedelta(days=7), by="template")
    assert [m.group for m in by_template] == ["t1", "t2"]
    only = dora_metrics(deployments, workflows, NOW, timedelta(days=7), service="billing")
    assert [m.group for m in only] == ["billing"]


@pytest.mark.parametrize("text", ["7", "0h", "400d", "1w", ""])
def test_a_bad_window_is_refused_with_the_expected_format(text: str):
    with pytest.raises(InvalidWindowError, match="window"):
        parse_window(text)


def test_windows_in_hours_and_days():
    assert parse_window("24h") == timedelta(hours=24)
    assert parse_window("30d") == timedelta(days=30)


def test_request_side_records_of_a_deployment_are_not_changes():
    # Given one deployment that went live, and one still waiting for a production approval
    deployments = [
        deploy("d1", 5, status="requested"),
        deploy("d1", 4),
        deploy("d2", 3, status="requested"),
        deploy("d2", 2, status="awaiting_approval"),
    ]
    # When
    [metrics] = dora_metrics(
        deployments, [workflow("wf-d1", 6), workflow("wf-d2", 4)], NOW, timedelta(days=7)
    )
    # Then only the one with an outcome counts
    assert metrics.deployments == 1
    assert metrics.change_failure_rate == 0
