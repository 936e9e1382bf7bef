"""When the monitor reads the deployments table: its first poll, after a verify, while remediation may act,
once per refresh period; never twice for one notice, and a failed read is tried again."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest
from agentic_observability.logic.deployment_watch import DeploymentWatch
from agentic_observability.ports import DeploymentRow, WorkflowRow

ROW = DeploymentRow(
    "dep-1", datetime(2026, 1, 1, tzinfo=UTC), "wf-1", "orders", "dev", "abc", "success", "http://x"
)


class Table:
    def __init__(self) -> None:
        self.reads = 0
        self.fail = False

    def deployments(self) -> list[DeploymentRow]:
        self.reads += 1
        if self.fail:
            raise ConnectionError("the table could not be read")
        return [ROW]

    def workflows(self) -> list[WorkflowRow]:
        return []


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def watch(table: Table, clock: Clock) -> DeploymentWatch:
    return DeploymentWatch(table, refresh_seconds=300, expect_seconds=60, clock=clock)


def test_the_first_poll_reads_and_quiet_polls_reuse_what_was_read() -> None:
    table, clock = Table(), Clock()
    w = watch(table, clock)
    assert [w.deployments() for _ in range(5)] == [[ROW]] * 5
    assert table.reads == 1


def test_a_verified_deployment_is_read_at_the_next_poll_only() -> None:
    table, clock = Table(), Clock()
    w = watch(table, clock)
    w.deployments()
    w.announced()
    w.deployments()
    w.deployments()
    assert table.reads == 2


def test_expected_changes_are_read_at_every_poll_until_the_period_ends() -> None:
    table, clock = Table(), Clock()
    w = watch(table, clock)
    w.deployments()
    w.expect_changes()
    for _ in range(3):
        clock.now += 15
        w.deployments()
    assert table.reads == 4
    clock.now += 60  # the period is over: quiet again
    w.deployments()
    w.deployments()
    assert table.reads == 4


def test_the_table_is_read_again_once_per_refresh_period() -> None:
    table, clock = Table(), Clock()
    w = watch(table, clock)
    w.deployments()
    clock.now += 299
    w.deployments()
    clock.now += 1
    w.deployments()
    assert table.reads == 2


def test_a_failed_read_is_tried_again_at_the_next_poll() -> None:
    table, clock = Table(), Clock()
    w = watch(table, clock)
    w.deployments()
    w.announced()
    table.fail = True
    with pytest.raises(ConnectionError):
        w.deployments()
    table.fail = False
    assert w.deployments() == [ROW]
    assert table.reads == 3


def test_a_deployment_an_event_described_is_watched_without_a_read_and_its_verify_reads_nothing() -> None:
    table, clock = Table(), Clock()
    w = watch(table, clock)
    w.deployments()
    # When a deployment.completed describes a new deployment
    new = dataclasses.replace(ROW, deployment_id="dep-2", service="payments")
    w.learned(new)
    # Then the next poll watches it without reading, and so after its verify
    assert w.deployments() == [ROW, new]
    w.announced("dep-2")
    assert w.deployments() == [ROW, new]
    assert table.reads == 1
    # but a verify of a deployment no event described reads the table
    w.announced("dep-unknown")
    w.deployments()
    assert table.reads == 2
