"""One real message or API request per deployed entry point, and what its handling must have done.

Lambda cases return the event Lambda would pass (API Gateway v2 or SQS); worker cases publish the event on
the environment's bus, whence the template's rules route it to the worker's queue.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agentic_common.bus import EventBridgePublisher
from agentic_common.environments.rules import load_rules
from agentic_common.events import EventDetail
from agentic_common.events.observability import AnomalyDetected
from agentic_common.events.remediation import RemediationActionRequested, RemediationEscalated
from agentic_common.events.tasks import TaskCreated
from agentic_common.state.dynamodb import DynamoDBStateStore

from tests.helpers import api_event, dispatched, eventbridge_body, sqs_event, task_created
from tests.infra.external_peers import SLACK_PATH, Peers
from tests.infra.template_aws import ProvisionedTemplate
from tests.integration.policy.policy_harness import tarball


@dataclass
class Deployed:
    """One environment's template, provisioned into the local AWS, with a listener on its bus."""

    env: str
    outdir: Path  # the cloud assembly: assets and their manifest
    aws: ProvisionedTemplate
    client: Callable[[str], Any]
    capture_url: str
    peers: Peers
    seen: list[dict[str, Any]] = field(default_factory=list)

    def bus(self) -> str:
        [name] = [r["Properties"]["Name"] for r in self.aws.resources("AWS::Events::EventBus").values()]
        return str(name)

    def publish(self, detail: EventDetail, service: str) -> None:
        EventBridgePublisher(self.client("events"), self.bus(), service).publish(detail)

    def queue_arn(self, name: str) -> str:
        [logical] = [
            k
            for k, v in self.aws.resources("AWS::SQS::Queue").items()
            if v["Properties"]["QueueName"] == name
        ]
        return self.aws.attrs[(logical, "Arn")]

    def emitted(self, workflow_id: str, *detail_types: str, polls: int = 90) -> dict[str, Any] | None:
        """The first event of ``workflow_id`` of one of ``detail_types`` the listener heard (long-polling)."""
        sqs = self.client("sqs")
        for _ in range(polls):
            match = [
                e
                for e in self.seen
                if e["detail-type"] in detail_types and e["detail"].get("workflow_id") == workflow_id
            ]
            if match:
                return match[0]
            messages = sqs.receive_message(
                QueueUrl=self.capture_url, MaxNumberOfMessages=10, WaitTimeSeconds=1
            )
            for message in messages.get("Messages", []):
                self.seen.append(json.loads(message["Body"]))
                sqs.delete_message(QueueUrl=self.capture_url, ReceiptHandle=message["ReceiptHandle"])
        return None


def workflow_id() -> str:
    return f"wf-boot-{uuid.uuid4().hex[:10]}"


def _sqs(deployed: Deployed, queue: str, detail: EventDetail, source: str, group: str | None = None) -> dict:
    name = f"agentic-{deployed.env}-{queue}"
    return sqs_event(eventbridge_body(detail, source), queue_arn=deployed.queue_arn(name), group=group)


def planner_api(deployed: Deployed) -> tuple[dict[str, Any], Callable[[dict[str, Any]], None]]:
    def check(result: dict[str, Any]) -> None:
        assert result["statusCode"] == 200, result
        assert "workflows" in json.loads(result["body"]) or "items" in json.loads(result["body"]), result

    return api_event("GET", "/workflows", query={"limit": "5"}), check


def planner_events(deployed: Deployed) -> tuple[dict[str, Any], Callable[[dict[str, Any]], None]]:
    before = len(deployed.peers.slack.calls("POST", SLACK_PATH))
    escalated = RemediationEscalated(
        workflow_id=workflow_id(),
        escalation_id=f"esc-{uuid.uuid4().hex[:8]}",
        service="orders",
        environment=deployed.env,
        reason="the boot test asks a person to look",
        summary="orders needs a person",
    )

    def check(result: dict[str, Any]) -> None:
        assert result == {"batchItemFailures": []}, result
        assert len(deployed.peers.slack.calls("POST", SLACK_PATH)) == before + 1  # the real Slack webhook

    return _sqs(deployed, "planner-events", escalated, "remediation"), check


def planner_sweep(deployed: Deployed) -> tuple[dict[str, Any], Callable[[Any], None]]:
    event = {"source": "aws.events", "detail-type": "Scheduled Event", "detail": {}, "resources": []}

    def check(result: Any) -> None:
        assert isinstance(result, dict), result

    return event, check


def codegen_queue(deployed: Deployed) -> tuple[dict[str, Any], Callable[[dict[str, Any]], None]]:
    service = f"boot-{deployed.env}-{uuid.uuid4().hex[:6]}"
    task = task_created(
        "codegen",
        workflow_id=workflow_id(),
        timeout_seconds=600,
        template="microservice-postgresql",
        parameters={"serviceName": service, "database": "postgresql", "environment": deployed.env},
    )

    def check(result: dict[str, Any]) -> None:
        assert result == {"batchItemFailures": []}, result
        assert deployed.emitted(task.workflow_id, "task.completed") is not None
        assert f"platform/services/{service}" in deployed.peers.gitlab.projects  # pushed to GitLab

    _dispatched(deployed, task)
    # the pipe moved it from codegen-inbox with its order key (the service) as its FIFO group
    return _sqs(deployed, "codegen-tasks.fifo", task, "planner", group=task.order_key), check


def _dispatched(deployed: Deployed, task: TaskCreated) -> None:
    """Agents run only the current attempt of a task the planner dispatched: record it as the planner does."""
    workflows = DynamoDBStateStore(deployed.client("dynamodb"), f"agentic-{deployed.env}-workflows")
    dispatched(workflows, task.workflow_id, task.task_id, task.attempt, task.agent)


def policy_queue(deployed: Deployed) -> tuple[dict[str, Any], Callable[[dict[str, Any]], None]]:
    wf = workflow_id()
    data = tarball({"Dockerfile": b'FROM python:3.11.14-slim\nUSER 10001\nCMD ["python"]\n'})
    bucket, key = f"agentic-{deployed.env}-agent-artifacts", f"workflows/{wf}/boot.tar.gz"
    deployed.client("s3").put_object(Bucket=bucket, Key=key, Body=data)
    artifact = {
        "bucket": bucket,
        "key": key,
        "sha256": hashlib.sha256(data).hexdigest(),
        "size_bytes": len(data),
    }
    task = task_created(
        "policy",
        workflow_id=wf,
        parameters={"serviceName": "boot", "language": "python", "environment": deployed.env},
        upstream={
            "codegen": {
                "service_name": "boot",
                "repo_url": f"{deployed.peers.gitlab.url}/platform/services/boot.git",
                "commit": "a" * 40,
                "branch": "main",
                "artifact": artifact,
                "files": 1,
            }
        },
    )

    def check(result: dict[str, Any]) -> None:
        assert result == {"batchItemFailures": []}, result
        # the environment's enforcement decides which; either way the scan ran and its result was published
        assert deployed.emitted(wf, "policy.validated", "policy.violated") is not None

    _dispatched(deployed, task)
    return _sqs(deployed, "policy-tasks", task, "planner"), check


def policy_api(deployed: Deployed) -> tuple[dict[str, Any], Callable[[dict[str, Any]], None]]:
    body = {"type": "dockerfile", "environment": deployed.env, "content": "FROM python:latest\n"}

    def check(result: dict[str, Any]) -> None:
        assert result["statusCode"] == 200, result
        assert json.loads(result["body"])["violations"], result  # the unpinned image is found

    return api_event("POST", "/policy/validate", body), check


def observability_api(deployed: Deployed) -> tuple[dict[str, Any], Callable[[dict[str, Any]], None]]:
    def check(result: dict[str, Any]) -> None:
        assert result["statusCode"] == 200, result

    return api_event("GET", "/metrics/dora", query={"service": "orders", "window": "7d"}), check


LAMBDA_CASES: dict[str, Callable[[Deployed], tuple[dict[str, Any], Callable[[Any], None]]]] = {
    "agentic_planner.handler:api_handler": planner_api,
    "agentic_planner.handler:events_handler": planner_events,
    "agentic_planner.handler:sweep_handler": planner_sweep,
    "agentic_codegen.handler:lambda_handler": codegen_queue,
    "agentic_policy.handler:lambda_handler": policy_queue,
    "agentic_policy.handler:api_handler": policy_api,
    "agentic_observability.handler:api_handler": observability_api,
}


def deployment_worker(deployed: Deployed) -> Callable[[], None]:
    app = f"orders-{deployed.env}"
    request = RemediationActionRequested(
        workflow_id=workflow_id(),
        action_id=f"act-{uuid.uuid4().hex[:8]}",
        service="orders",
        deployment_id="dep-boot",
        environment=deployed.env,
        action="restart",
    )
    deployed.publish(request, "remediation")

    def check() -> None:
        completed = deployed.emitted(request.workflow_id, "remediation.action_completed")
        assert completed is not None
        acted = deployed.peers.argocd.calls("POST", f"/api/v1/applications/{app}/resource/actions")
        if load_rules().for_environment(deployed.env).approval.required:
            # the environment table wants an approval for every action: refused, ArgoCD left alone
            assert completed["detail"]["outcome"] == "failed", completed["detail"]
            assert "approval" in completed["detail"]["detail"]
            assert not acted
        else:
            assert completed["detail"]["outcome"] == "succeeded", completed["detail"]
            assert acted

    return check


def observability_worker(deployed: Deployed) -> Callable[[], None]:
    deploy = {
        "deployment_id": "dep-boot",
        "service_name": "orders",
        "environment": deployed.env,
        "version": "abc",
        "url": deployed.peers.service.url,
        "target": "argocd",
        "duration_seconds": 1.0,
    }
    task = task_created(
        "observability",
        workflow_id=workflow_id(),
        config={"slo": {"p95_latency_ms": 5000, "max_error_rate": 0.1, "requests": 5}},
        upstream={"deploy": deploy},
    )
    _dispatched(deployed, task)
    deployed.publish(task, "planner")

    def check() -> None:
        assert deployed.emitted(task.workflow_id, "task.completed") is not None
        assert deployed.peers.prometheus.calls("POST", "/api/v1/query")  # the metrics source it names

    return check


def remediation_worker(deployed: Deployed) -> Callable[[], None]:
    anomaly = AnomalyDetected(
        workflow_id=workflow_id(),
        kind="unhealthy",
        service="orders",
        deployment_id="dep-boot",
        environment=deployed.env,
        incident_id=f"inc-{uuid.uuid4().hex[:8]}",
        reason="the boot test's deployment stopped answering",
    )
    deployed.publish(anomaly, "observability")

    def check() -> None:
        kinds = ("remediation.recommended", "remediation.escalated", "remediation.action_requested")
        assert deployed.emitted(anomaly.workflow_id, *kinds) is not None

    return check


WORKER_CASES: dict[str, Callable[[Deployed], Callable[[], None]]] = {
    "agentic_deployment": deployment_worker,
    "agentic_observability": observability_worker,
    "agentic_remediation": remediation_worker,
}
