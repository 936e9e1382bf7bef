"""A pipe joins a standard queue to a FIFO queue, and reads the group from the event it moves."""

from __future__ import annotations

import pytest
from agentic_common.topology import PipeSpec, QueueSpec, Topology, default_topology
from pydantic import ValidationError

INBOX = QueueSpec(name="inbox", consumer="order", runtime="pipe")
ORDERED = QueueSpec(name="work.fifo", consumer="worker", runtime="lambda", fifo=True)
PIPE = PipeSpec(
    name="order",
    description="orders work by key",
    source_queue="inbox",
    target_queue="work.fifo",
    message_group_path="$.body.detail.order_key",
    deduplication_path="$.body.detail.event_id",
)


def _topology(queues: tuple[QueueSpec, ...], pipes: tuple[PipeSpec, ...]) -> Topology:
    return Topology(bus="b", queues=queues, rules=(), pipes=pipes, tables=(), buckets=(), schedules=())


def test_a_pipe_from_its_own_standard_queue_into_a_fifo_queue_is_accepted() -> None:
    topology = _topology((INBOX, ORDERED), (PIPE,))
    assert topology.pipe_into("work.fifo") == PIPE
    assert topology.pipe_into("inbox") is None


def test_a_pipe_into_a_standard_queue_is_refused() -> None:
    standard = ORDERED.model_copy(update={"name": "work", "fifo": False})
    with pytest.raises(ValidationError, match="must be a FIFO queue"):
        _topology((INBOX, standard), (PIPE.model_copy(update={"target_queue": "work"}),))


def test_a_pipe_from_a_queue_a_service_consumes_is_refused() -> None:
    consumed = INBOX.model_copy(update={"consumer": "someone", "runtime": "fargate"})
    with pytest.raises(ValidationError, match="standard queue it consumes"):
        _topology((consumed, ORDERED), (PIPE,))


def test_a_queue_marked_for_a_pipe_that_no_pipe_reads_is_refused() -> None:
    with pytest.raises(ValidationError, match="no pipe reads it"):
        _topology((INBOX, ORDERED), ())


def test_a_path_outside_the_message_body_is_refused() -> None:
    with pytest.raises(ValidationError, match="message_group_path"):
        PipeSpec(**{**PIPE.model_dump(), "message_group_path": "$.attributes.MessageGroupId"})


@pytest.mark.parametrize(
    ("body", "found"),
    [
        ({"detail": {"order_key": "orders"}}, "orders"),
        ({"detail": {"order_key": ""}}, None),
        ({"detail": {"order_key": 7}}, None),
        ({"detail": "orders"}, None),
        ({}, None),
    ],
)
def test_the_group_is_the_string_at_the_path_or_nothing(body: dict[str, object], found: str | None) -> None:
    assert PIPE.read(body, PIPE.message_group_path) == found


def test_the_platform_pipes_are_valid_and_each_fills_one_fifo_queue() -> None:
    topology = default_topology()
    assert topology.pipes, "the codegen tasks' pipe"
    assert len({p.target_queue for p in topology.pipes}) == len(topology.pipes)
