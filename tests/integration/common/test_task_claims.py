"""Task claims on the local AWS's idempotency table are keyed by agent, workflow, task and attempt."""

from __future__ import annotations

import time
import uuid
from typing import Any

import pytest
from agentic_common.agent import TaskAgent, WorkResult, claim_key
from agentic_common.aws import AwsClients
from agentic_common.bus import RecordingPublisher
from agentic_common.events import Envelope
from agentic_common.events.tasks import TaskCreated
from agentic_common.idempotency import DynamoDBClaimStore
from pydantic import BaseModel

from tests.helpers import task_created

TABLE = "agentic-test-idempotency"


class Done(BaseModel):
    by: str


class RecordingWork:
    def __init__(self, agent: str) -> None:
        self.agent = agent
        self.ran: list[str] = []

    def __call__(self, task: TaskCreated) -> WorkResult:
        self.ran.append(task.workflow_id)
        return WorkResult(outputs=Done(by=self.agent))


def _task(agent: str, workflow_id: str) -> TaskCreated:
    return task_created(agent, workflow_id=workflow_id, task_id="scan", action="scan")


def _envelope(task: TaskCreated) -> Envelope:
    return Envelope(source="agentic.planner", detail_type="task.created", detail=task)


@pytest.fixture
def claims(aws_clients: AwsClients, queue_urls: dict[str, str]) -> DynamoDBClaimStore:
    return DynamoDBClaimStore(aws_clients.client("dynamodb"), TABLE)


def _agent(name: str, claims: DynamoDBClaimStore) -> tuple[TaskAgent, RecordingWork]:
    work = RecordingWork(name)
    return TaskAgent(name, work, RecordingPublisher(), claims), work


def test_two_agents_with_the_same_workflow_task_and_attempt_each_run_their_own(
    claims: DynamoDBClaimStore,
) -> None:
    # Given two agents sharing the idempotency table, and one workflow, task id and attempt
    workflow_id = f"wf-{uuid.uuid4().hex[:8]}"
    policy, policy_work = _agent("policy", claims)
    deployment, deployment_work = _agent("deployment", claims)

    # When each handles its own task with those ids
    policy.handle(_envelope(_task("policy", workflow_id)))
    deployment.handle(_envelope(_task("deployment", workflow_id)))

    # Then both ran: one agent's claim does not make the other's task a duplicate
    assert (policy_work.ran, deployment_work.ran) == ([workflow_id], [workflow_id])


def test_a_redelivered_task_of_the_same_agent_is_still_a_duplicate(claims: DynamoDBClaimStore) -> None:
    # Given an agent that handled a task
    workflow_id = f"wf-{uuid.uuid4().hex[:8]}"
    policy, work = _agent("policy", claims)
    policy.handle(_envelope(_task("policy", workflow_id)))

    # When the same task is delivered again
    policy.handle(_envelope(_task("policy", workflow_id)))

    # Then it ran once
    assert work.ran == [workflow_id]


def test_a_claim_written_before_the_agent_was_in_the_key_neither_blocks_nor_is_touched(
    claims: DynamoDBClaimStore, aws_clients: AwsClients
) -> None:
    # Given an in-progress claim with a live lease under the old key (workflow, task, attempt)
    db = aws_clients.client("dynamodb")
    workflow_id = f"wf-{uuid.uuid4().hex[:8]}"
    old_key = f"task#{workflow_id}#scan#1"
    now = int(time.time())
    db.put_item(
        TableName=TABLE,
        Item={
            "id": {"S": old_key},
            "status": {"S": "in_progress"},
            "lease_until": {"N": str(now + 3600)},
            "expires_at": {"N": str(now + 7 * 24 * 3600)},
        },
    )
    policy, work = _agent("policy", claims)

    # When the agent handles that task
    policy.handle(_envelope(_task("policy", workflow_id)))

    # Then it ran under its own key, completed there, and left the old item as it was (to expire)
    assert work.ran == [workflow_id]
    new_key = claim_key(_task("policy", workflow_id))
    assert _item(db, new_key)["status"] == {"S": "completed"}
    assert _item(db, old_key)["status"] == {"S": "in_progress"}


def _item(db: Any, key: str) -> dict[str, Any]:
    item: dict[str, Any] = db.get_item(TableName=TABLE, Key={"id": {"S": key}}, ConsistentRead=True)["Item"]
    return item
