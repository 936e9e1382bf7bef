"""Build the planner once per process: settings → adapters → logic → entry points."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from agentic_common.approvals.dynamodb import DynamoDBApprovalStore
from agentic_common.consumer import Consumer
from agentic_common.events import TraceContext
from agentic_common.git.settings import GitSettings
from agentic_common.log_context import log_context
from agentic_common.records.deployments_dynamodb import DynamoDBDeploymentHistory
from agentic_common.redact import register_secret
from agentic_common.request_guard import guarded
from agentic_common.runtime import start_runtime
from agentic_common.settings import load_settings
from agentic_common.state.dynamodb import DynamoDBStateStore
from agentic_common.telemetry import context_from
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
from opentelemetry import trace
from opentelemetry.trace import SpanKind

from agentic_planner.adapters.claude_planner import ClaudePlanProposer
from agentic_planner.adapters.notifiers import LogNotifier, SlackWebhookNotifier
from agentic_planner.adapters.repository_wiring import repository_access
from agentic_planner.adapters.service_names import DynamoDBServiceNames
from agentic_planner.api.access_log import log_request, workflow_in_request
from agentic_planner.api.app import ApiDeps, build_app
from agentic_planner.api.deploy_routes import DeploymentApiDeps
from agentic_planner.logic.approval_gate import ApprovalGate
from agentic_planner.logic.catalogue import Catalogue
from agentic_planner.logic.deploy_requests import DeploymentPorts
from agentic_planner.logic.events import PlannerEvents
from agentic_planner.logic.workflows import WorkflowService
from agentic_planner.ports import Notifier
from agentic_planner.settings import PlannerSettings


@dataclass
class Planner:
    service: WorkflowService
    api: APIGatewayHttpResolver
    consumer: Consumer

    def handle_api(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        # a body no API should decode is a 400 before anything runs; HEAD is answered as GET
        return guarded(self._handle_api)(event, context)

    def _handle_api(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        headers = {k.lower(): v for k, v in (event.get("headers") or {}).items()}
        parent = context_from(
            TraceContext(traceparent=headers.get("traceparent"), tracestate=headers.get("tracestate"))
        )
        route = event.get("routeKey") or event.get("rawPath", "")
        tracer = trace.get_tracer("agentic.planner")
        with (
            log_context(workflow_id=workflow_in_request(event)),
            tracer.start_as_current_span(
                route,
                context=parent,
                kind=SpanKind.SERVER,
                attributes={
                    "http.request.method": event.get("requestContext", {}).get("http", {}).get("method", ""),
                    "url.path": event.get("rawPath", ""),
                },
            ) as span,
        ):
            response: dict[str, Any] = self.api.resolve(event, context)
            span.set_attribute("http.response.status_code", response.get("statusCode", 0))
            log_request(event, response)
            return response


def _channels(settings: PlannerSettings) -> list[Notifier]:
    channels: list[Notifier] = [LogNotifier(settings.agentic_home / "notifications.jsonl")]
    if settings.slack_webhook_url:
        register_secret(settings.slack_webhook_url.get_secret_value())
        channels.append(SlackWebhookNotifier(settings.slack_webhook_url.get_secret_value()))
    return channels


def build(settings: PlannerSettings | None = None) -> Planner:
    settings = settings or load_settings(PlannerSettings)
    runtime = start_runtime("planner", settings)
    db = runtime.clients.client("dynamodb")
    store = DynamoDBStateStore(db, runtime.table("workflows"))
    approvals = DynamoDBApprovalStore(db, runtime.table("approvals"))
    git = load_settings(GitSettings)
    secrets = runtime.clients.client("secretsmanager") if git.gitlab_token_secret else None
    repositories, revisions = repository_access(git, settings.agentic_home, secrets)
    service = WorkflowService(
        store=store,
        publisher=runtime.publisher,
        catalogue=Catalogue.load(),
        clock=lambda: datetime.now(UTC),
        gate=ApprovalGate(approvals, runtime.publisher),
        repositories=repositories,
        revisions=revisions,
        names=DynamoDBServiceNames(db, runtime.table("workflows")),
    )
    proposer = None
    if settings.anthropic_api_key:
        register_secret(settings.anthropic_api_key.get_secret_value())
        proposer = ClaudePlanProposer(
            settings.anthropic_api_key.get_secret_value(),
            settings.anthropic_model,
            settings.anthropic_base_url,
        )
    events = PlannerEvents(
        service=service,
        channels=_channels(settings),
        claims=runtime.claims,
        api_url=settings.agentic_public_url or settings.agentic_api_url,
    )
    log = DynamoDBDeploymentHistory(db, runtime.table("deployments"))
    deployments = DeploymentApiDeps(DeploymentPorts(service, approvals, log, runtime.publisher), settings)
    return Planner(
        service=service,
        api=build_app(ApiDeps(service, proposer, deployments, settings.service_principals)),
        consumer=runtime.consumer(events.handle),
    )
