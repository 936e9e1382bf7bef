"""A planner consumer on the local AWS notifying a local Slack webhook: shared by the notification tests."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from agentic_common.consumer import Consumer
from agentic_common.events import EventDetail
from agentic_common.idempotency import DynamoDBClaimStore
from agentic_common.poller import QueuePoller
from agentic_planner.adapters.notifiers import LogNotifier, SlackWebhookNotifier
from agentic_planner.bootstrap import Planner, build
from agentic_planner.logic.create import CreateRequest, create_workflow
from agentic_planner.logic.events import PlannerEvents
from agentic_planner.settings import PlannerSettings

from tests.contract.slack_webhook import SlackWebhook
from tests.helpers import api_event
from tests.integration.planner.git_repos import published

API_URL = "https://agentic.example.com"
REASON_3112 = "".join(f"step {i:04d}: terraform apply refused the change; " for i in range(100))[:3112]


@dataclass
class Harness:
    planner: Planner
    consumer: Consumer
    hook: SlackWebhook
    waits: list[float]
    sqs: Any
    queues: dict[str, str]
    log_path: Path
    deploy_commit: str = ""  # the commit create_prod_deploy's version names

    def fail_workflow(self, reason: str) -> str:
        """Create a real workflow and fail it: its workflow.failed reaches planner-events."""
        request = CreateRequest(
            requested_by="dev@example.com",
            template="microservice-rest-api",
            parameters={"serviceName": "orders-api", "language": "python", "environment": "dev"},
        )
        created = create_workflow(self.planner.service, request, {"n": reason[:10]})
        workflow_id = created.state.workflow.workflow_id
        self.planner.service.apply(workflow_id, lambda engine: engine.abort(reason))
        return workflow_id

    def create_prod_deploy(self) -> str:
        """A deploy workflow to prod (it waits for an approval): version and strategy in its parameters."""
        repo_url, self.deploy_commit = published(self.log_path.parent, "orders-api")
        parameters = {
            "service": "orders-api",
            "version": self.deploy_commit[:7],
            "environment": "prod",
            "strategy": "canary",
            "repoUrl": repo_url,
        }
        request = CreateRequest(requested_by="dev@example.com", template="deploy", parameters=parameters)
        return create_workflow(self.planner.service, request, parameters).state.workflow.workflow_id

    def publish(self, detail: EventDetail) -> None:
        """Onto the local bus, as its producer would: the topology's rules route it."""
        self.planner.service.publisher.publish(detail)

    def consume(self) -> list[dict[str, Any]]:
        """One receive and one batch of the planner's consumer; returns the messages it got."""
        poller = QueuePoller(self.sqs, self.queues["planner-events"], self.consumer.handle_batch, "us-east-1")
        messages = poller.receive()
        poller.handle(messages)
        return messages

    def redeliver(self, messages: list[dict[str, Any]]) -> None:
        for message in messages:
            self.sqs.send_message(QueueUrl=self.queues["planner-events"], MessageBody=message["Body"])

    def dead_letters(self) -> list[dict[str, Any]]:
        return self.sqs.receive_message(
            QueueUrl=self.queues["planner-events-dlq"], MaxNumberOfMessages=10, WaitTimeSeconds=0
        ).get("Messages", [])

    def log_lines(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.log_path.read_text().splitlines()]

    def workflow_view(self, workflow_id: str) -> dict[str, Any]:
        claims = {"sub": "dev@example.com"}
        response = self.planner.handle_api(api_event("GET", f"/workflows/{workflow_id}", claims=claims), None)
        assert response["statusCode"] == 200, response["body"]
        view: dict[str, Any] = json.loads(response["body"])
        return view


def make_harness(
    queues: dict[str, str], aws_settings: Any, aws_clients: Any, home: Path, hook: SlackWebhook
) -> Harness:
    """The planner as build() wires it, its consumer's notifications with a recording sleep."""
    settings = PlannerSettings(
        agentic_env="test",
        aws_endpoint_url=aws_settings.aws_endpoint_url,
        agentic_home=home,
        slack_webhook_url=hook.url,
        agentic_api_url=API_URL,
    )
    planner = build(settings)
    waits: list[float] = []
    log_path = home / "notifications.jsonl"
    events = PlannerEvents(  # the bootstrap's wiring, with a sleep that records instead of waiting
        planner.service,
        [LogNotifier(log_path), SlackWebhookNotifier(hook.url)],
        DynamoDBClaimStore(aws_clients.client("dynamodb"), settings.name("idempotency")),
        api_url=API_URL,
        sleep=waits.append,
    )
    consumer = replace(planner.consumer, handle=events.handle)
    return Harness(planner, consumer, hook, waits, aws_clients.client("sqs"), queues, log_path)
