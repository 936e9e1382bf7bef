"""Build the planner once per process: settings → adapters → logic → entry points.

Each Lambda entry point builds only its part: ``build_api`` (the HTTP API), ``build_events`` (the
planner-events consumer) and ``build_sweep`` (the scheduled sweep), each from the same core. What the
three share is imported here; what one part alone uses (the API's resolver and routes, the notification
channels with Slack's SDK, the queue consumer with the Powertools batch utilities) is imported by its
builder, so an entry point's cold start imports nothing another one needs. ``build()`` builds every part
(the local stack and the tests run them side by side).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import TYPE_CHECKING, Any

from agentic_common.approvals.dynamodb import DynamoDBApprovalStore
from agentic_common.events import TraceContext
from agentic_common.git.settings import GitSettings
from agentic_common.log_context import log_context
from agentic_common.redact import register_secret
from agentic_common.request_guard import guarded
from agentic_common.runtime import ServiceRuntime, start_runtime
from agentic_common.settings import load_settings
from agentic_common.state.dynamodb import DynamoDBStateStore
from agentic_common.telemetry import context_from
from opentelemetry import trace
from opentelemetry.trace import SpanKind

from agentic_planner.adapters.repository_wiring import repository_access
from agentic_planner.adapters.service_names import DynamoDBServiceNames
from agentic_planner.api.access_log import log_request, workflow_in_request
from agentic_planner.logic.approval_gate import ApprovalGate
from agentic_planner.logic.catalogue import Catalogue
from agentic_planner.logic.workflows import WorkflowService
from agentic_planner.settings import PlannerSettings

if TYPE_CHECKING:
    from agentic_common.consumer import Consumer
    from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

    from agentic_planner.ports import Notifier, PlanProposer


@dataclass
class PlannerApi:
    """The API entry point: each request resolved inside a server span continuing the caller's trace."""

    api: APIGatewayHttpResolver

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


@dataclass
class Planner(PlannerApi):
    """Every part at once: the API, the events consumer and the workflow service (the sweep's)."""

    service: WorkflowService
    consumer: Consumer


@dataclass
class Core:
    """What every entry point shares: settings, the runtime, the workflow service."""

    settings: PlannerSettings
    runtime: ServiceRuntime
    approvals: DynamoDBApprovalStore
    service: WorkflowService


def core(settings: PlannerSettings | None = None) -> Core:
    """The shared core; from the environment's settings, once per process (entry points served by one
    process, as the local stack serves the events and the sweep, share it, as they did one planner)."""
    return _environment_core() if settings is None else _core(settings)


@cache
def _environment_core() -> Core:
    return _core(load_settings(PlannerSettings))


def _core(settings: PlannerSettings) -> Core:
    runtime = start_runtime("planner", settings)
    db = runtime.clients.client("dynamodb")
    approvals = DynamoDBApprovalStore(db, runtime.table("approvals"))
    git = load_settings(GitSettings)
    secrets = runtime.clients.client("secretsmanager") if git.gitlab_token_secret else None
    repositories, revisions = repository_access(git, settings.agentic_home, secrets)
    service = WorkflowService(
        store=DynamoDBStateStore(db, runtime.table("workflows")),
        publisher=runtime.publisher,
        catalogue=Catalogue.load(),
        clock=lambda: datetime.now(UTC),
        gate=ApprovalGate(approvals, runtime.publisher),
        repositories=repositories,
        revisions=revisions,
        names=DynamoDBServiceNames(db, runtime.table("workflows")),
        idle_seconds=settings.agentic_sweep_idle_seconds,
    )
    return Core(settings, runtime, approvals, service)


def _proposer(settings: PlannerSettings) -> PlanProposer | None:
    if not settings.anthropic_api_key:
        return None
    from agentic_planner.adapters.claude_planner import ClaudePlanProposer  # noqa: PLC0415 - key set only

    register_secret(settings.anthropic_api_key.get_secret_value())
    return ClaudePlanProposer(
        settings.anthropic_api_key.get_secret_value(), settings.anthropic_model, settings.anthropic_base_url
    )


def _api(parts: Core) -> APIGatewayHttpResolver:
    # the API's part alone: the Powertools resolver, its routes and models, the deployment history
    from agentic_common.records.deployments_dynamodb import DynamoDBDeploymentHistory  # noqa: PLC0415

    from agentic_planner.api.app import ApiDeps, build_app  # noqa: PLC0415
    from agentic_planner.api.deploy_routes import DeploymentApiDeps  # noqa: PLC0415
    from agentic_planner.logic.deploy_requests import DeploymentPorts  # noqa: PLC0415

    runtime, settings = parts.runtime, parts.settings
    log = DynamoDBDeploymentHistory(runtime.clients.client("dynamodb"), runtime.table("deployments"))
    ports = DeploymentPorts(parts.service, parts.approvals, log, runtime.publisher)
    deployments = DeploymentApiDeps(ports, settings)
    return build_app(ApiDeps(parts.service, _proposer(settings), deployments, settings.service_principals))


def _channels(settings: PlannerSettings) -> list[Notifier]:
    from agentic_planner.adapters.notifiers import LogNotifier, SlackWebhookNotifier  # noqa: PLC0415

    channels: list[Notifier] = [LogNotifier(settings.agentic_home / "notifications.jsonl")]
    if settings.slack_webhook_url:
        register_secret(settings.slack_webhook_url.get_secret_value())
        channels.append(SlackWebhookNotifier(settings.slack_webhook_url.get_secret_value()))
    return channels


def _events(parts: Core) -> Consumer:
    # the events' part alone: notification channels and the queue consumer (Powertools batch)
    from agentic_planner.logic.events import PlannerEvents  # noqa: PLC0415

    settings = parts.settings
    events = PlannerEvents(
        service=parts.service,
        channels=_channels(settings),
        claims=parts.runtime.claims,
        api_url=settings.agentic_public_url or settings.agentic_api_url,
    )
    return parts.runtime.consumer(events.handle)


def build_api(settings: PlannerSettings | None = None) -> PlannerApi:
    """The API entry point's object. Call once per process (the handler caches it)."""
    return PlannerApi(_api(core(settings)))


def build_events(settings: PlannerSettings | None = None) -> Consumer:
    """The planner-events consumer. Call once per process (the handler caches it)."""
    return _events(core(settings))


def build_sweep(settings: PlannerSettings | None = None) -> WorkflowService:
    """The workflow service whose ``sweep()`` the scheduled entry point runs."""
    return core(settings).service


def build(settings: PlannerSettings | None = None) -> Planner:
    """Every part, sharing one core: what the local stack and the tests run side by side."""
    parts = core(settings)
    return Planner(api=_api(parts), service=parts.service, consumer=_events(parts))
