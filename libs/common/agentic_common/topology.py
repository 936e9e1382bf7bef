"""The routing topology: bus, rules, queues (+ DLQs), pipes, tables and buckets, declared once.

The CDK app builds the real resources from this module and the local stack provisions the same
resources into moto from it, so the two cannot drift. The shapes are in ``topology_models``.
"""

from __future__ import annotations

from agentic_common.topology_models import (
    ALERTMANAGER_WEBHOOK,
    MAX_RECEIVE_COUNT,
    OBSERVABILITY_API,
    PLANNER_API,
    ApiRouteSpec,
    BucketSpec,
    IndexSpec,
    PipeSpec,
    QueueSpec,
    RuleSpec,
    ScheduleSpec,
    TableSpec,
    Topology,
    match_route,
    physical_name,
)

__all__ = [
    "ALERTMANAGER_WEBHOOK",
    "MAX_RECEIVE_COUNT",
    "OBSERVABILITY_API",
    "PLANNER_API",
    "ApiRouteSpec",
    "BucketSpec",
    "IndexSpec",
    "PipeSpec",
    "QueueSpec",
    "RuleSpec",
    "ScheduleSpec",
    "TableSpec",
    "Topology",
    "default_topology",
    "match_route",
    "physical_name",
]


CODEGEN_ORDER = "codegen-by-service"  # the pipe that orders codegen's tasks by service


def _task_rule(agent: str, queue: str) -> RuleSpec:
    return RuleSpec(
        name=f"{agent}-tasks",
        description=f"task.created for the {agent} agent",
        pattern={
            "source": ["agentic.planner"],
            "detail-type": ["task.created"],
            "detail": {"agent": [agent]},
        },
        target_queue=queue,
    )


def default_topology() -> Topology:
    any_service = [{"prefix": "agentic."}]
    return Topology(
        bus="agentic-bus",
        queues=(
            QueueSpec(
                name="planner-events", consumer="planner", runtime="lambda", visibility_timeout_seconds=60
            ),
            QueueSpec(  # where the rule delivers codegen's tasks; the pipe orders them by service (0018)
                name="codegen-inbox", consumer=CODEGEN_ORDER, runtime="pipe", visibility_timeout_seconds=30
            ),
            QueueSpec(  # one group per service: a service's tasks run one at a time, in order; a crash
                # holds back only the tasks of its own service (0009, 0018)
                name="codegen-tasks.fifo",
                consumer="codegen",
                runtime="lambda",
                fifo=True,
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
            _task_rule("codegen", "codegen-inbox"),
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
        pipes=(
            PipeSpec(
                name=CODEGEN_ORDER,
                description="codegen tasks, grouped by the service they change (TaskCreated.order_key)",
                source_queue="codegen-inbox",
                target_queue="codegen-tasks.fifo",
                message_group_path="$.body.detail.order_key",
                deduplication_path="$.body.detail.event_id",
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
