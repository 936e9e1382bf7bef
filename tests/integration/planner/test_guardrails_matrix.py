"""Every catalogue template x every environment of the table, through the planner's API on the local AWS.

For each pair a workflow is created with ``POST /workflows`` (real DynamoDB, EventBridge and SQS in
moto), its upstream tasks are answered as their agents would (``task.completed`` through the planner's
own queue consumer), and then the environment's rule must hold: a workflow whose deploying task needs
an approval waits in ``awaiting_approval`` with nothing sent to the deployment agent and an approval
record naming the rule; the requester (an approver too) is refused by the four-eyes rule; another
approver lets it run. Where no approval is needed, the deploying task is dispatched at once. Each case
prints one line of the table that the guide and the report quote (run with ``-s``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from agentic_common.environments import deploys, load_rules, task_approval
from agentic_common.events.tasks import TaskCompleted
from agentic_planner.bootstrap import Planner, build
from agentic_planner.logic.catalogue import Catalogue
from agentic_planner.settings import PlannerSettings
from agentic_policy.logic.enforcement import DEFAULT_ENFORCEMENT

from tests.helpers import api_event, eventbridge_body, sqs_event
from tests.integration.planner.git_repos import published

REQUESTER = {"sub": "dev@example.com", "email": "dev@example.com", "groups": ["deploy-approvers"]}
REVIEWER = {"sub": "lead@example.com", "groups": ["deploy-approvers"]}
PARAMETERS: dict[str, dict[str, Any]] = {
    "microservice-rest-api": {"serviceName": "matrix-api", "language": "python"},
    "deploy": {"service": "matrix-api"},  # + the repository and commit published by the fixture
    "service-upgrade": {"serviceName": "matrix-api"},
}
OUTPUTS: dict[str, dict[str, Any]] = {
    "codegen": {
        "service_name": "matrix-api",
        "repo_url": "file:///srv/git/matrix-api.git",
        "commit": "0" * 40,
    },
    "policy": {"valid": True, "violations": []},
    "observability": {"verified": True},
}
CASES = [(t, e) for t in Catalogue.load().names for e in load_rules().names]


@pytest.fixture
def planner(queue_urls: dict[str, str], aws_settings: Any, tmp_path: Path) -> Planner:
    settings = PlannerSettings(
        agentic_env="test", aws_endpoint_url=aws_settings.aws_endpoint_url, agentic_home=tmp_path
    )
    repo_url, commit = published(tmp_path, "matrix-api")
    PARAMETERS["deploy"] |= {"repoUrl": repo_url, "version": commit}
    return build(settings)


def call(planner: Planner, method: str, path: str, body: Any = None, **kwargs: Any) -> tuple[int, Any]:
    response = planner.handle_api(api_event(method, path, body, **kwargs), None)
    return response["statusCode"], json.loads(response["body"] or "{}")


def received(aws_clients: Any, queue_url: str, workflow_id: str) -> list[dict[str, Any]]:
    """Every message for ``workflow_id`` on a queue (others' are left for their visibility timeout)."""
    sqs, found = aws_clients.client("sqs"), []
    while messages := sqs.receive_message(
        QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=0, VisibilityTimeout=30
    ).get("Messages", []):
        for message in messages:
            body = json.loads(message["Body"])
            if body["detail"].get("workflow_id") == workflow_id:
                found.append(body)
                sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
    return found


def answer_upstream(planner: Planner, workflow_id: str) -> dict[str, Any]:
    """Complete every running task that does not deploy, as its agent would, until none is left."""
    while True:
        _, workflow = call(planner, "GET", f"/workflows/{workflow_id}", claims=REQUESTER)
        running = [t for t in workflow["tasks"] if t["status"] == "running" and not deploys(t["agent"])]
        if not running:
            return dict(workflow)
        for task in running:
            done = TaskCompleted(
                workflow_id=workflow_id,
                task_id=task["taskId"],
                agent=task["agent"],
                attempt=task["attempt"],
                outputs=OUTPUTS[task["agent"]],
            )
            result = planner.consumer.handle_batch(sqs_event(eventbridge_body(done, task["agent"])), None)
            assert result["batchItemFailures"] == []


def rule_line(template: str, environment: str, seen: str, rule: str) -> str:
    policy = DEFAULT_ENFORCEMENT.mode(environment)
    return f"{template:<22} {environment:<8} {seen:<18} approval: {rule:<48} policy: {policy}"


def test_every_catalogue_template_has_matrix_parameters() -> None:
    assert set(Catalogue.load().names) == set(PARAMETERS), "add the new template to PARAMETERS"


@pytest.fixture
def deployment_queue(empty_queues: dict[str, str], aws_clients: Any) -> Callable[[str], list[dict[str, Any]]]:
    """What the deployment agent's queue received for one workflow."""
    return lambda workflow_id: received(aws_clients, empty_queues["deployment-tasks"], workflow_id)


@pytest.mark.parametrize(("template", "environment"), CASES)
def test_the_environment_rule_applies_to_every_template_in_every_environment(
    planner: Planner,
    deployment_queue: Callable[[str], list[dict[str, Any]]],
    template: str,
    environment: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Given a workflow of this template for this environment, its upstream tasks answered
    body = {"template": template, "parameters": PARAMETERS[template] | {"environment": environment}}
    status, created = call(planner, "POST", "/workflows", body, claims=REQUESTER)
    assert status == 201, created
    workflow_id = created["workflowId"]
    workflow = answer_upstream(planner, workflow_id)

    # When the rule of its deploying task in this environment is looked up
    spec = Catalogue.load().get(template)
    gated = [t for t in spec.tasks if deploys(t.agent)]
    rules = [task_approval(t.agent, t.config, environment) for t in gated]
    dispatched = [m for m in deployment_queue(workflow_id) if m["detail-type"] == "task.created"]

    # Then the workflow waits for a person exactly when the rule says so
    if not gated:
        assert workflow["status"] == "completed", workflow
        line = rule_line(template, environment, workflow["status"], "none (no task deploys)")
    elif not rules[0].required:
        assert workflow["status"] == "in_progress"
        assert [m["detail"]["task_id"] for m in dispatched] == [gated[0].id]
        assert call(planner, "GET", f"/approvals/apr-{workflow_id}", claims=REQUESTER)[0] == 404
        line = rule_line(template, environment, "dispatched", rules[0].describe())
    else:
        assert workflow["status"] == "awaiting_approval"
        assert dispatched == []
        status, approval = call(planner, "GET", f"/approvals/apr-{workflow_id}", claims=REQUESTER)
        assert status == 200
        assert approval["rule"] == {
            "approversRequired": rules[0].approvers,
            "requesterMayApprove": rules[0].requester_may_approve,
            "text": rules[0].describe(),
        }
        assert approval["requestedBy"] == "dev@example.com"
        line = rule_line(template, environment, "awaiting_approval", approval["rule"]["text"])
    with capsys.disabled():
        print("\n" + line)


@pytest.mark.parametrize(
    "template",
    [t for t in Catalogue.load().names if any(deploys(s.agent) for s in Catalogue.load().get(t).tasks)],
)
def test_in_prod_the_requester_is_refused_and_another_approver_lets_the_deploy_run(
    planner: Planner, deployment_queue: Callable[[str], list[dict[str, Any]]], template: str
) -> None:
    # Given a prod workflow of a deploying template, waiting for its approval
    body = {"template": template, "parameters": PARAMETERS[template] | {"environment": "prod"}}
    _, created = call(planner, "POST", "/workflows", body, claims=REQUESTER)
    workflow_id = created["workflowId"]
    assert answer_upstream(planner, workflow_id)["status"] == "awaiting_approval"
    path = f"/approvals/apr-{workflow_id}"

    # When the requester, a member of the approvers group, approves their own deploy
    status, refused = call(
        planner, "POST", path, {"decision": "approve", "comment": "mine"}, claims=REQUESTER
    )
    # Then it is refused, naming the four-eyes rule
    assert status == 403
    assert refused["error"] == "four_eyes"
    assert "requester_may_approve = false" in refused["message"]

    # When another approver approves
    status, approved = call(
        planner, "POST", path, {"decision": "approve", "comment": "CHG-7"}, claims=REVIEWER
    )
    # Then the approval is granted, audited with who and the digest, and the deploy task is dispatched
    assert status == 200, approved
    assert (approved["status"], approved["approvedBy"]) == ("approved", ["lead@example.com"])
    assert [(e["action"], e["actor"], e["digest"]) for e in approved["audit"]] == [
        ("requested", "dev@example.com", approved["digest"]),
        ("approved", "lead@example.com", approved["digest"]),
    ]
    types = [m["detail-type"] for m in deployment_queue(workflow_id)]
    assert {"task.created", "approval.decided"} <= set(types)
