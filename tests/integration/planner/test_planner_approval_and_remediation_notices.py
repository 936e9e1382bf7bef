"""Approval requests and remediation actions reach people through the planner's notifier (local AWS).

Each event is published on the local bus as its producer publishes it; the topology routes it to
the planner's queue, and the planner's consumer posts to a local Slack webhook that enforces
Slack's limits.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from agentic_common.events.approvals import ApprovalRequested
from agentic_common.events.remediation import (
    RemediationActionCompleted,
    RemediationActionRequested,
    RemediationRecommended,
)

from tests.contract.slack_webhook import SlackWebhook, slack_webhook
from tests.integration.planner.notify_harness import API_URL, Harness, make_harness


@pytest.fixture
def hook() -> Iterator[SlackWebhook]:
    with slack_webhook() as webhook:
        yield webhook


@pytest.fixture
def harness(
    empty_queues: dict[str, str], aws_settings: Any, aws_clients: Any, tmp_path: Path, hook: SlackWebhook
) -> Harness:
    return make_harness(empty_queues, aws_settings, aws_clients, tmp_path, hook)


def test_a_prod_deploy_asks_its_approvers_with_what_when_and_how(harness: Harness) -> None:
    # Given a canary deployment to prod: the planner asks for an approval (approval.requested)
    workflow_id = harness.create_prod_deploy()
    # When the planner consumes its queue
    [message] = harness.consume()
    # Then one Slack message names the approval, what is approved, the digest, the expiry and the commands
    event = json.loads(message["Body"])
    assert event["detail-type"] == "approval.requested"
    approval_id, detail = event["detail"]["approval_id"], event["detail"]
    [posted] = harness.hook.accepted
    facts = {
        f["text"].split("\n")[0].strip("*"): f["text"].split("\n", 1)[1]
        for block in posted["blocks"]
        for f in block.get("fields", [])
    }
    assert facts["Approval"] == approval_id
    assert (facts["Service"], facts["Environment"]) == ("orders-api", "prod")
    assert facts["Strategy"] == "canary"
    assert len(facts["Version"]) >= 7
    assert harness.deploy_commit.startswith(facts["Version"])  # the commit the version named
    assert facts["Digest"] == detail["digest"]
    assert datetime.fromisoformat(facts["Expires"]) == datetime.fromisoformat(detail["expires_at"])
    body = json.dumps(posted)
    assert f"agentic approvals approve {approval_id} --comment" in body
    assert f"agentic approvals reject {approval_id} --comment" in body
    assert f"{API_URL}/approvals/{approval_id}" in body
    # And the workflow records that the approvers were told
    notified = harness.workflow_view(workflow_id)["notifications"]
    assert notified[f"approval.requested:{approval_id} via slack"] == "delivered"


def test_an_approval_request_published_twice_is_notified_once(harness: Harness) -> None:
    # Given a prod deployment whose approval.requested was consumed and notified
    harness.create_prod_deploy()
    [message] = harness.consume()
    # When the same request is published again (a producer retrying after a timeout)
    again = json.loads(message["Body"])["detail"] | {"event_id": "evt-republished"}
    harness.publish(ApprovalRequested.model_validate(again))
    harness.consume()
    # Then the approvers got one message
    assert len(harness.hook.accepted) == 1


def test_a_remediation_action_is_notified_before_and_after(harness: Harness) -> None:
    # Given an automated restart requested by remediation, and the deployment worker's answer
    common = {
        "workflow_id": "wf-remediation",
        "action_id": "act-restart-1",
        "service": "orders-api",
        "deployment_id": "dep-7",
        "environment": "staging",
        "action": "restart",
    }
    requested = RemediationActionRequested(**common, playbook="restart-unhealthy-service@1")
    completed = RemediationActionCompleted(
        **common, outcome="succeeded", detail="restarted: pid 4121 → 4388, health 200"
    )
    # When both are published and the planner consumes its queue after each
    harness.publish(requested)
    harness.consume()
    harness.publish(completed)
    harness.consume()
    # Then Slack got one message before the action and one after, saying what happened
    before, after = (m["blocks"][0]["text"]["text"] for m in harness.hook.accepted)
    assert "orders-api in staging: restart starting" in before
    assert "orders-api in staging: restart succeeded" in after
    assert "pid 4121 → 4388" in harness.hook.accepted[1]["blocks"][1]["text"]["text"]


def test_an_advisory_finding_is_told_only_when_remediation_asks_for_it(harness: Harness) -> None:
    # Given two advisory recommendations on a running service, one marked notify
    common = {
        "workflow_id": "wf-advice",
        "tier": "advisory",
        "playbook": "investigate-latency@1",
        "trigger": "anomaly.detected",
        "trigger_event_id": "evt-anomaly-1",
    }
    told = RemediationRecommended(
        **common, recommendation_id="rec-1", summary="p95 latency 900 ms over the 500 ms SLO", notify=True
    )
    quiet = RemediationRecommended(**common, recommendation_id="rec-2", summary="p95 up, SLO met")
    # When both are published and consumed
    harness.publish(told)
    harness.publish(quiet)
    assert len(harness.consume() + harness.consume()) == 2
    # Then only the one marked notify reached Slack
    [posted] = harness.hook.accepted
    assert "p95 latency 900 ms over the 500 ms SLO" in posted["blocks"][1]["text"]["text"]
