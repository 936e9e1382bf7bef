"""A Lambda agent's task queue fits its tasks: a crash holds a task back at most one visibility timeout.

The queue's visibility timeout is also the Lambda's timeout (infra), so it must cover the longest task
timeout any catalogue template gives that agent; one task per receive, so a crashed invocation holds
back no other task.
"""

from __future__ import annotations

import pytest
from agentic_common.topology import QueueSpec, default_topology
from agentic_planner.logic.catalogue import Catalogue

TOPOLOGY = default_topology()
CATALOGUE = Catalogue.load()
LAMBDA_AGENTS = [q for q in TOPOLOGY.queues if q.runtime == "lambda" and q.consumer in {"codegen", "policy"}]


def _task_timeouts(agent: str) -> list[int]:
    return [
        task.timeout_seconds
        for name in CATALOGUE.names
        for task in CATALOGUE.get(name).tasks
        if task.agent == agent
    ]


@pytest.mark.parametrize("queue", LAMBDA_AGENTS, ids=lambda q: q.name)
def test_the_visibility_timeout_covers_the_longest_task_of_its_agent(queue: QueueSpec) -> None:
    assert _task_timeouts(queue.consumer), f"no template has a {queue.consumer} task"
    assert queue.visibility_timeout_seconds >= max(_task_timeouts(queue.consumer))


def test_codegen_tasks_are_grouped_by_service_one_per_receive() -> None:
    # A rule straight into a FIFO queue gives every task one static group: a crashed task froze all
    # others (0009). A standard queue has no order at all: two workflows changing one service pushed
    # side by side. So the rule fills a standard inbox and a pipe moves each task into the FIFO queue
    # with its own event's order_key (the service name) as its group (0018).
    [codegen] = TOPOLOGY.queues_of("codegen")
    assert codegen.fifo
    assert codegen.batch_size == 1
    assert not any(r.target_queue == codegen.name for r in TOPOLOGY.rules)
    pipe = TOPOLOGY.pipe_into(codegen.name)
    assert pipe is not None
    assert pipe.message_group_path == "$.body.detail.order_key"
    assert pipe.deduplication_path == "$.body.detail.event_id"
    [rule] = [r for r in TOPOLOGY.rules if r.pattern.get("detail", {}).get("agent") == ["codegen"]]
    assert rule.target_queue == pipe.source_queue
    assert rule.message_group_id is None


def test_policy_tasks_are_one_per_invocation_so_checks_of_several_workflows_run_side_by_side() -> None:
    # ten to a batch, one invocation checked them one after another (the runner's concurrency is per batch)
    [policy] = TOPOLOGY.queues_of("policy")
    assert policy.batch_size == 1


def test_codegen_visibility_is_no_longer_than_its_longest_task() -> None:
    # a crashed attempt's message comes back (and is dropped as stale) one task timeout later, not 15 min
    [codegen] = TOPOLOGY.queues_of("codegen")
    assert codegen.visibility_timeout_seconds == max(_task_timeouts("codegen"))
