"""One workflow is one trace: every hop (API → planner → agents → planner → notification) shares its id."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from agentic_codegen.bootstrap import build as build_codegen
from agentic_codegen.settings import CodegenSettings
from agentic_common.poller import QueuePoller
from agentic_common.settings import CommonSettings
from agentic_common.telemetry import setup_telemetry
from agentic_common.topology import default_topology
from agentic_deployment.bootstrap import build as build_deployment
from agentic_deployment.settings import DeploymentSettings
from agentic_local.pipes import LocalPipe
from agentic_observability.bootstrap import build as build_observability
from agentic_planner.bootstrap import build as build_planner
from agentic_planner.settings import PlannerSettings
from agentic_policy.bootstrap import build as build_policy
from agentic_policy.settings import PolicySettings
from agentic_remediation.bootstrap import build as build_remediation
from agentic_remediation.settings import RemediationSettings
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from tests.helpers import api_event

pytestmark = pytest.mark.slow


@pytest.fixture
def spans() -> InMemorySpanExporter:
    setup_telemetry("tests")
    provider = trace.get_tracer_provider()
    assert isinstance(provider, TracerProvider)
    exporter = InMemorySpanExporter()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return exporter


def test_every_hop_of_a_workflow_shares_one_trace_id(
    spans: InMemorySpanExporter,
    empty_queues: dict[str, str],
    aws_settings: Any,
    aws_clients: Any,
    tmp_path: Path,
) -> None:
    # Given all six services wired in this process against the local AWS
    common = {
        "agentic_env": "test",
        "aws_endpoint_url": aws_settings.aws_endpoint_url,
        "agentic_home": tmp_path,
    }
    planner = build_planner(PlannerSettings(**common))
    deployment = build_deployment(DeploymentSettings(**common))
    consumers = {
        "planner-events": planner.consumer.handle_batch,
        "codegen-tasks.fifo": build_codegen(CodegenSettings(**common)).handle_batch,
        "policy-tasks": build_policy(PolicySettings(**common)).handle_batch,
        "deployment-tasks": deployment.consumer.handle_batch,
        "observability-tasks": build_observability(CommonSettings(**common)).handle_batch,
        "remediation-events": build_remediation(RemediationSettings(**common)).handle_batch,
    }
    sqs = aws_clients.client("sqs")
    pollers = [
        QueuePoller(sqs, empty_queues[q], h, "us-east-1", wait_seconds=0) for q, h in consumers.items()
    ]
    topology = default_topology()
    [spec] = topology.pipes  # codegen's tasks reach its queue through the pipe that groups them by service
    pipe = LocalPipe(sqs, spec, empty_queues.__getitem__, topology.queue(spec.source_queue).dlq_name, 0)
    body = {
        "template": "microservice-rest-api",
        "parameters": {"serviceName": "traced-api", "language": "python", "environment": "dev"},
    }
    # When a workflow is created through the API and every queue is pumped until it completes
    try:
        response = planner.handle_api(api_event("POST", "/workflows", body), None)
        workflow_id = __import__("json").loads(response["body"])["workflowId"]
        deadline = time.monotonic() + 300
        while planner.service.store.load(workflow_id).workflow.status.value == "in_progress":
            assert time.monotonic() < deadline, "workflow did not finish"
            pipe.move()
            for poller in pollers:
                poller.handle(poller.receive())
        for poller in pollers:  # deliver the workflow.completed notification too
            poller.handle(poller.receive())
    finally:
        deployment.target.stop_all()
    # Then the workflow completed, and every server, producer and consumer span is in one trace
    assert planner.service.store.load(workflow_id).workflow.status.value == "completed"
    finished = spans.get_finished_spans()
    workflow_spans = [
        s
        for s in finished
        if s.kind in (SpanKind.SERVER, SpanKind.PRODUCER, SpanKind.CONSUMER)
        and (s.kind != SpanKind.CONSUMER or s.attributes.get("agentic.workflow_id") == workflow_id)
    ]
    consumers_seen = {
        s.attributes["messaging.destination.name"] for s in workflow_spans if s.kind == SpanKind.CONSUMER
    }
    assert {
        "codegen-tasks.fifo",
        "policy-tasks",
        "deployment-tasks",
        "observability-tasks",
        "planner-events",
    } <= consumers_seen
    root = next(s for s in workflow_spans if s.kind == SpanKind.SERVER)
    consumer_traces = {s.context.trace_id for s in workflow_spans if s.kind == SpanKind.CONSUMER}
    assert consumer_traces == {root.context.trace_id}
