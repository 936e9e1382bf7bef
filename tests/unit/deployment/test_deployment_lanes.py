"""The lane of a message on deployment-tasks: the service it deploys or acts on (``logic/lanes.py``)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from agentic_common.events.remediation import RemediationActionRequested
from agentic_deployment.logic.lanes import service_lane

from tests.helpers import eventbridge_body, task_created

CODEGEN = {"service_name": "orders-api", "repo_url": "file:///r.git", "commit": "c" * 40}


def message(body: str) -> dict[str, Any]:
    return {"MessageId": "m-1", "ReceiptHandle": "h", "Body": body}


def test_a_deploy_task_runs_in_the_lane_of_the_service_codegen_produced() -> None:
    task = task_created("deployment", parameters={"serviceName": "other"}, upstream={"codegen": CODEGEN})
    assert service_lane(message(eventbridge_body(task, "planner"))) == "orders-api"


def test_a_deploy_of_a_named_version_runs_in_the_lane_of_the_named_service() -> None:
    task = task_created("deployment", parameters={"service": "billing-api", "version": "v1"})
    assert service_lane(message(eventbridge_body(task, "planner"))) == "billing-api"


def test_a_remediation_action_runs_in_the_lane_of_the_service_it_acts_on() -> None:
    action = RemediationActionRequested(
        workflow_id="wf-1", action_id="a-1", service="payments", deployment_id="dep-1",
        environment="dev", action="restart",
    )  # fmt: skip
    assert service_lane(message(eventbridge_body(action, "remediation"))) == "payments"


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        "[]",
        json.dumps({"detail": "text"}),
        json.dumps({"detail": {"parameters": {"serviceName": 3}}}),
    ],
)
def test_a_message_whose_service_cannot_be_read_has_no_lane(body: str) -> None:
    assert service_lane(message(body)) is None
