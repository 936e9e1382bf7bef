"""Many planner processes at once on one DynamoDB (the local AWS): no 5xx, no lost or doubled work.

Each client thread has its own planner, built as a Lambda process builds it (a Lambda process serves
one request at a time; concurrency is many processes on one table). Issue 16, point 5.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from agentic_common.events.tasks import TaskCompleted
from agentic_common.settings import CommonSettings
from agentic_planner.bootstrap import Planner, build
from agentic_planner.settings import PlannerSettings

from tests.helpers import api_event, eventbridge_body, sqs_event

PROCESSES = 8
BODY = {
    "template": "microservice-rest-api",
    "parameters": {"serviceName": "crowded-api", "language": "python", "environment": "dev"},
}
CODEGEN_OUTPUTS = {
    "service_name": "crowded-api",
    "repo_url": "file:///srv/git/crowded-api.git",
    "commit": "0" * 40,
}


@pytest.fixture(scope="module")
def planners(
    queue_urls: dict[str, str], aws_settings: CommonSettings, tmp_path_factory: pytest.TempPathFactory
) -> list[Planner]:
    settings = PlannerSettings(
        agentic_env="test",
        aws_endpoint_url=aws_settings.aws_endpoint_url,
        agentic_home=tmp_path_factory.mktemp("planners"),
    )
    return [build(settings) for _ in range(PROCESSES)]


def post(planner: Planner, headers: dict[str, str] | None = None) -> tuple[int, dict[str, Any]]:
    response = planner.handle_api(api_event("POST", "/workflows", BODY, headers=headers), None)
    return response["statusCode"], json.loads(response["body"] or "{}")


def all_at_once(planners: list[Planner], work: Any) -> list[Any]:
    with ThreadPoolExecutor(len(planners)) as pool:
        return list(pool.map(work, planners))


def test_parallel_posts_without_a_key_each_create_their_own_workflow(planners: list[Planner]) -> None:
    # Given eight planner processes / When each posts the same request at the same time, with no key
    answers = all_at_once(planners, post)
    # Then every one is accepted (201), each with a workflow of its own
    assert [status for status, _ in answers] == [201] * PROCESSES, answers
    assert len({body["workflowId"] for _, body in answers}) == PROCESSES


def test_parallel_posts_with_the_same_key_create_one_workflow(planners: list[Planner]) -> None:
    # Given eight planner processes and one Idempotency-Key
    key = {"idempotency-key": f"crowd-{id(planners)}"}
    # When each posts the same request with it at the same time
    answers = all_at_once(planners, lambda planner: post(planner, key))
    # Then none fails, and all of them name the one workflow created
    assert {status for status, _ in answers} == {201}, answers
    assert len({body["workflowId"] for _, body in answers}) == 1


def test_parallel_completions_of_one_task_advance_the_workflow_once(planners: list[Planner]) -> None:
    # Given a workflow whose codegen attempt is running
    status, created = post(planners[0])
    assert status == 201, created
    workflow_id = created["workflowId"]

    def complete(planner: Planner) -> dict[str, Any]:
        done = TaskCompleted(
            workflow_id=workflow_id, task_id="codegen", agent="codegen", attempt=1, outputs=CODEGEN_OUTPUTS
        )  # each its own event id: a redelivery is not what this test is about
        return dict(planner.consumer.handle_batch(sqs_event(eventbridge_body(done, "codegen")), None))

    # When eight processes report its completion at the same time
    results = all_at_once(planners, complete)
    # Then no report failed, codegen succeeded once and policy was dispatched exactly once
    assert [r["batchItemFailures"] for r in results] == [[]] * PROCESSES
    state = planners[0].service.store.load(workflow_id)
    assert state is not None
    assert (state.task("codegen").status.value, state.task("codegen").version) == ("succeeded", 2)
    assert (state.task("policy").status.value, state.task("policy").attempt) == ("running", 1)
