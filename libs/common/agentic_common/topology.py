"""The routing topology: bus, rules, queues (+ DLQs), tables and buckets, declared once.

The CDK app builds the real resources from this module and the local stack provisions the same
resources into moto from it, so the two cannot drift.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

MAX_RECEIVE_COUNT = 3
PLANNER_API = "agentic_planner.handler:api_handler"
OBSERVABILITY_API = "agentic_observability.handler:api_handler"
ALERTMANAGER_WEBHOOK = "alertmanager-webhook"  # the logical name of its shared secret


class QueueSpec(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    consumer: str = Field(description="The service that consumes this queue.")
    runtime: Literal["lambda", "fargate"]
    fifo: bool = False
    visibility_timeout_seconds: int = 60
    max_receive_count: int = MAX_RECEIVE_COUNT
    retention_seconds: int = 4 * 24 * 3600
    batch_size: int = Field(
        default=10, ge=1, le=10, description="Messages per receive (per Lambda invocation or worker batch)."
    )

    @property
    def dlq_name(self) -> str:
        if self.fifo:
            return f"{self.name.removesuffix('.fifo')}-dlq.fifo"
        return f"{self.name}-dlq"


class RuleSpec(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    description: str
    pattern: dict[str, Any]
    target_queue: str
    message_group_id: str | None = Field(
        default=None, description="For FIFO targets: the MessageGroupId EventBridge sets (a fixed value)."
    )


class IndexSpec(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    partition_key: str
    sort_key: str | None = None


class TableSpec(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    partition_key: str
    sort_key: str | None = None
    indexes: tuple[IndexSpec, ...] = ()
    ttl_attribute: str | None = None


class BucketSpec(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    purpose: str


class ScheduleSpec(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    rate_seconds: int
    target_service: str
    entry_point: str


class ApiRouteSpec(BaseModel):
    """Requests whose path starts with ``path_prefix`` go to ``service``'s API function (``handler``).

    The CDK app turns each into HTTP API routes (``ANY <prefix>`` and ``ANY <prefix>/{proxy+}``) with a
    Lambda integration; the local gateway dispatches on the longest matching prefix.
    """

    model_config = ConfigDict(frozen=True)

    path_prefix: str
    service: str
    handler: str = Field(description="module:function of the API Gateway (payload v2) handler.")
    public: bool = Field(default=False, description="No JWT required (/health, /openapi.json, /docs).")
    shared_secret: str | None = Field(
        default=None,
        description="A machine caller's route: no JWT; the handler checks this shared secret "
        "(logical name; see agentic_common.shared_secret).",
    )

    @model_validator(mode="after")
    def _one_kind_of_auth(self) -> ApiRouteSpec:
        if self.public and self.shared_secret:
            raise ValueError(f"{self.path_prefix}: a route is public or has a shared secret, not both")
        return self


class Topology(BaseModel):
    model_config = ConfigDict(frozen=True)

    bus: str
    queues: tuple[QueueSpec, ...]
    rules: tuple[RuleSpec, ...]
    tables: tuple[TableSpec, ...]
    buckets: tuple[BucketSpec, ...]
    schedules: tuple[ScheduleSpec, ...]
    api_routes: tuple[ApiRouteSpec, ...] = ()

    def route_for(self, path: str) -> ApiRouteSpec | None:
        return match_route(self.api_routes, path)

    def queue(self, name: str) -> QueueSpec:
        return next(q for q in self.queues if q.name == name)

    def queues_of(self, service: str) -> tuple[QueueSpec, ...]:
        return tuple(q for q in self.queues if q.consumer == service)


def match_route(routes: tuple[ApiRouteSpec, ...], path: str) -> ApiRouteSpec | None:
    """The route with the longest prefix that matches ``path`` on a segment boundary."""
    matches = [r for r in routes if path == r.path_prefix or path.startswith(r.path_prefix.rstrip("/") + "/")]
    return max(matches, key=lambda r: len(r.path_prefix), default=None)


def physical_name(prefix: str, logical: str) -> str:
    """The deployed name of a queue, table, bucket or bus: ``<prefix>-<logical>``."""
    return f"{prefix}-{logical}"


def _task_rule(agent: str, queue: str, group: str | None = None) -> RuleSpec:
    return RuleSpec(
        name=f"{agent}-tasks",
        description=f"task.created for the {agent} agent",
        pattern={
            "source": ["agentic.planner"],
            "detail-type": ["task.created"],
            "detail": {"agent": [agent]},
        },
        target_queue=queue,
        message_group_id=group,
    )


def default_topology() -> Topology:
    any_service = [{"prefix": "agentic."}]
    return Topology(
        bus="agentic-bus",
        queues=(
            QueueSpec(
                name="planner-events", consumer="planner", runtime="lambda", visibility_timeout_seconds=60
            ),
            QueueSpec(  # standard, one task per receive: a crash holds back only its own task (0006)
                name="codegen-tasks",
                consumer="codegen",
                runtime="lambda",
                visibility_timeout_seconds=180,  # the longest codegen task timeout (service-upgrade)
                batch_size=1,
            ),
            QueueSpec(  # one task per invocation, as codegen: a batch of 10 ran one after another in
                # one invocation, so a workflow's policy check waited behind up to 9 others' checks
                name="policy-tasks",
                consumer="policy",
                runtime="lambda",
                visibility_timeout_seconds=300,
                batch_size=1,
            ),
            QueueSpec(
                name="deployment-tasks",
                consumer="deployment",
                runtime="fargate",
                visibility_timeout_seconds=900,
            ),
            QueueSpec(
                name="observability-tasks",
                consumer="observability",
                runtime="fargate",
                visibility_timeout_seconds=300,
            ),
            QueueSpec(
                name="remediation-events",
                consumer="remediation",
                runtime="fargate",
                visibility_timeout_seconds=300,
            ),
        ),
        rules=(
            RuleSpec(
                name="planner-task-results",
                description="task results, dead-letter reports and remediation records for the planner",
                pattern={
                    "source": any_service,
                    "detail-type": [
                        "task.started",
                        "task.completed",
                        "task.failed",
                        "message.dead_lettered",
                        "remediation.recommended",
                        "workflow.completed",
                        "workflow.failed",
                    ],
                },
                target_queue="planner-events",
            ),
            _task_rule("codegen", "codegen-tasks"),
            _task_rule("policy", "policy-tasks"),
            _task_rule("deployment", "deployment-tasks"),
            _task_rule("observability", "observability-tasks"),
            RuleSpec(  # the monitor reads the deployments table when told of a change, not on every poll
                name="observability-deployments",
                description="every deployment that ends, so the monitor watches it from then on",
                pattern={"source": ["agentic.deployment"], "detail-type": ["deployment.completed"]},
                target_queue="observability-tasks",
            ),
            RuleSpec(
                name="remediation-triggers",
                description="failures, violations and anomalies the remediation agent answers",
                pattern={
                    "source": any_service,
                    "detail-type": ["task.failed", "policy.violated", "anomaly.detected"],
                },
                target_queue="remediation-events",
            ),
            RuleSpec(
                name="remediation-actions",
                description="remediation actions the deployment worker runs on a deployment's target",
                pattern={"source": ["agentic.remediation"], "detail-type": ["remediation.action_requested"]},
                target_queue="deployment-tasks",
            ),
            RuleSpec(
                name="remediation-results",
                description="outcomes of remediation actions, back to the remediation agent",
                pattern={"source": any_service, "detail-type": ["remediation.action_completed"]},
                target_queue="remediation-events",
            ),
            RuleSpec(
                name="remediation-escalations",
                description="remediations a person must look at: the planner notifies",
                pattern={"source": ["agentic.remediation"], "detail-type": ["remediation.escalated"]},
                target_queue="planner-events",
            ),
            RuleSpec(
                name="planner-notifications",
                description="approval requests, remediation actions before and after: the planner notifies",
                pattern={
                    "source": any_service,
                    "detail-type": [
                        "approval.requested",
                        "remediation.action_requested",
                        "remediation.action_completed",
                    ],
                },
                target_queue="planner-events",
            ),
            RuleSpec(
                name="approvals-deployment",
                description="decided deployment approvals resume (or fail) the waiting deployment",
                pattern={
                    "source": any_service,
                    "detail-type": ["approval.decided"],
                    "detail": {"kind": ["deployment"]},
                },
                target_queue="deployment-tasks",
            ),
            RuleSpec(
                name="approvals-remediation",
                description="decided remediation approvals, to the remediation agent",
                pattern={
                    "source": any_service,
                    "detail-type": ["approval.decided"],
                    "detail": {"kind": ["remediation"]},
                },
                target_queue="remediation-events",
            ),
        ),
        tables=(
            TableSpec(
                name="workflows",
                partition_key="workflow_id",
                sort_key="task_id",
                indexes=(
                    IndexSpec(name="status-index", partition_key="wf_status", sort_key="created_at"),
                    IndexSpec(name="outbox-index", partition_key="outbox_pending", sort_key="created_at"),
                    IndexSpec(name="due-index", partition_key="due_shard", sort_key="due_at"),
                ),
            ),
            TableSpec(
                name="deployments",
                partition_key="deployment_id",
                sort_key="timestamp",
                ttl_attribute="expires_at",
                indexes=(
                    IndexSpec(name="service-index", partition_key="service_name", sort_key="timestamp"),
                    IndexSpec(name="day-index", partition_key="day", sort_key="timestamp"),
                ),
            ),
            TableSpec(name="policy-violations", partition_key="violation_id", sort_key="timestamp"),
            TableSpec(name="idempotency", partition_key="id", ttl_attribute="expires_at"),
            TableSpec(
                name="approvals",
                partition_key="approval_id",
                indexes=(
                    IndexSpec(name="status-index", partition_key="approval_status", sort_key="requested_at"),
                ),
            ),
            TableSpec(
                name="policy-waivers",
                partition_key="waiver_id",
                indexes=(
                    IndexSpec(name="repository-index", partition_key="repository", sort_key="waiver_id"),
                ),
            ),
            TableSpec(name="policy-decisions", partition_key="decision_id"),
            TableSpec(name="remediation-audit", partition_key="service", sort_key="at"),
            TableSpec(name="alerts", partition_key="fingerprint", ttl_attribute="expires_at"),
        ),
        buckets=(
            BucketSpec(name="agent-artifacts", purpose="generated repositories and reports"),
            BucketSpec(name="policy-bundles", purpose="policy-as-code bundles"),
            BucketSpec(name="telemetry-archive", purpose="long-term telemetry"),
        ),
        schedules=(
            ScheduleSpec(
                name="planner-sweep", rate_seconds=60, target_service="planner", entry_point="sweep"
            ),
        ),
        api_routes=(
            ApiRouteSpec(path_prefix="/health", service="planner", handler=PLANNER_API, public=True),
            ApiRouteSpec(path_prefix="/openapi.json", service="planner", handler=PLANNER_API, public=True),
            ApiRouteSpec(path_prefix="/docs", service="planner", handler=PLANNER_API, public=True),
            ApiRouteSpec(path_prefix="/workflows", service="planner", handler=PLANNER_API),
            ApiRouteSpec(path_prefix="/templates", service="planner", handler=PLANNER_API),
            ApiRouteSpec(path_prefix="/deploy", service="planner", handler=PLANNER_API),
            ApiRouteSpec(path_prefix="/deployments", service="planner", handler=PLANNER_API),
            ApiRouteSpec(path_prefix="/approvals", service="planner", handler=PLANNER_API),
            ApiRouteSpec(path_prefix="/alerts", service="observability", handler=OBSERVABILITY_API),
            ApiRouteSpec(
                path_prefix="/alerts/alertmanager",
                service="observability",
                handler=OBSERVABILITY_API,
                shared_secret=ALERTMANAGER_WEBHOOK,
            ),
            ApiRouteSpec(path_prefix="/metrics", service="observability", handler=OBSERVABILITY_API),
            ApiRouteSpec(
                path_prefix="/policy", service="policy", handler="agentic_policy.handler:api_handler"
            ),
        ),
    )
