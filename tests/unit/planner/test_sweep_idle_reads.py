"""The sweep reads its due index when a time this process wrote falls due, else once per idle interval
(``idle_seconds``; the local stack's 600 s, docs/decisions/0017): an idle platform ticking every second
reads it a few times an hour, and a timeout this process noted is still found on time."""

from __future__ import annotations

import contextlib
import dataclasses
from datetime import datetime

import pytest
from agentic_common.events.tasks import TaskStarted
from agentic_common.idempotency import InMemoryClaimStore
from agentic_common.state.memory import InMemoryStateStore
from agentic_planner.logic.events import PlannerEvents

from tests.unit.planner.conftest import Harness
from tests.unit.planner.test_engine import BrokenPublisher, created, deliver, done, start, statuses


class CountingStore(InMemoryStateStore):
    def __init__(self) -> None:
        super().__init__()
        self.due_reads = 0

    def due_workflows(self, until: datetime, limit: int = 100) -> list[tuple[str, datetime]]:
        self.due_reads += 1
        return super().due_workflows(until, limit)


@pytest.fixture
def rare(harness: Harness) -> tuple[Harness, CountingStore]:
    """The harness's planner with a 600 s idle interval and a store counting due-index reads."""
    store = CountingStore()
    service = dataclasses.replace(harness.service, store=store, idle_seconds=600)
    events = PlannerEvents(service, [harness.notifier], InMemoryClaimStore())
    return dataclasses.replace(harness, service=service, events=events), store


def test_an_idle_sweep_ticking_every_second_reads_once_per_idle_interval(rare) -> None:
    # Given a planner with nothing active
    harness, store = rare
    # When its sweep ticks every second for 30 minutes
    for _ in range(30 * 60):
        harness.service.sweep()
        harness.clock.advance(1)
    # Then it read the due index on its first tick and 10 and 20 minutes later: 3 reads, not 1,800
    assert store.due_reads == 3


def test_a_timeout_this_process_noted_is_found_when_due_not_at_the_next_idle_read(rare) -> None:
    # Given a workflow whose task a (30 s timeout) its agent started, and a sweep that has looked once
    harness, store = rare
    wf = start(harness)
    harness.service.sweep()
    deliver(
        harness,
        TaskStarted(workflow_id=wf, task_id="a", agent="codegen", attempt=1, occurred_at=harness.clock()),
    )
    reads = store.due_reads
    # When the sweep ticks every second for 40 s (past the timeout, its margin and the retry's backoff)
    for _ in range(40):
        harness.clock.advance(1)
        harness.service.sweep()
    # Then attempt 1 was timed out and attempt 2 dispatched, with a read or two, not one per tick
    assert created(harness) == [("a", 1), ("a", 2)]
    assert 1 <= store.due_reads - reads <= 3


def test_an_outbox_this_process_published_and_cleared_brings_no_read(rare) -> None:
    # Given a sweep that has looked once, and a workflow whose every task completes at once, each
    # transition's events published and its outbox cleared by this process
    harness, store = rare
    harness.service.sweep()
    wf = start(harness)
    for task in ("a", "b", "c", "d"):
        deliver(harness, done(wf, task))
    assert statuses(harness, wf)["workflow"] == "completed"
    reads = store.due_reads
    # When the sweep ticks every second past the outbox's grace (10 s), before any task's timeout
    for _ in range(20):
        harness.clock.advance(1)
        harness.service.sweep()
    # Then it did not read the due index: nothing this process wrote is pending
    assert store.due_reads == reads


def test_an_outbox_left_by_a_failed_publish_is_published_by_the_sweep_after_its_grace(rare) -> None:
    # Given a sweep that has looked once, and a transition committed whose events could not be published
    harness, store = rare
    harness.service.sweep()
    wf = start(harness)
    real, harness.service.publisher = harness.service.publisher, BrokenPublisher()
    with contextlib.suppress(ConnectionError):
        deliver(harness, done(wf, "a"))
    harness.service.publisher = real
    reads = store.due_reads
    # When the sweep ticks every second past the outbox's grace (10 s)
    for _ in range(12):
        harness.clock.advance(1)
        harness.service.sweep()
    # Then it read the due index once and published the events (tasks b and c dispatched)
    assert store.due_reads == reads + 1
    assert {("b", 1), ("c", 1)} <= set(created(harness))


def test_a_timeout_of_a_task_that_completed_in_time_brings_no_read(rare) -> None:
    # Given a sweep that has looked once, and a workflow whose task a (30 s timeout) its agent started
    harness, store = rare
    harness.service.sweep()
    wf = start(harness)
    deliver(
        harness,
        TaskStarted(workflow_id=wf, task_id="a", agent="codegen", attempt=1, occurred_at=harness.clock()),
    )
    # When every task completes before that timeout, and the sweep ticks every second for a minute
    for task in ("a", "b", "c", "d"):
        deliver(harness, done(wf, task))
    reads = store.due_reads
    for _ in range(60):
        harness.clock.advance(1)
        harness.service.sweep()
    # Then the timeout it had noted, no longer due, brought no read
    assert store.due_reads == reads
