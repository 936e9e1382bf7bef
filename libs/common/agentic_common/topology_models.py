"""The shapes of the topology's declarations: queues, rules, pipes, tables, buckets, schedules, API routes.

``agentic_common.topology`` declares the platform's one topology with them (and re-exports them).
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
    consumer: str = Field(description="The service that consumes this queue (or the pipe that moves it on).")
    runtime: Literal["lambda", "fargate", "pipe"]
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


BODY_PATH = r"^\$\.body(\.[A-Za-z0-9_-]+)+$"  # a Pipes dynamic parameter into an SQS message's JSON body


class PipeSpec(BaseModel):
    """An EventBridge Pipe from a standard queue to a FIFO queue.

    Each message moves on with its FIFO message group and deduplication id read from the event it carries
    (``$.body.<dotted path>``, the Pipes dynamic-parameter syntax for an SQS source). A rule's SQS target
    cannot do this: its ``MessageGroupId`` is one fixed string, so a rule straight into a FIFO queue puts
    every message in one group. The source queue's ``consumer`` is the pipe's name.
    """

    model_config = ConfigDict(frozen=True)

    name: str
    description: str
    source_queue: str
    target_queue: str
    message_group_path: str = Field(pattern=BODY_PATH)
    deduplication_path: str = Field(pattern=BODY_PATH)

    def read(self, body: dict[str, Any], path: str) -> str | None:
        """The string at ``path`` in a message body, or None when the body has no string there."""
        value: Any = body
        for part in path.split(".")[2:]:
            value = value.get(part) if isinstance(value, dict) else None
        return value if isinstance(value, str) and value else None


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
    pipes: tuple[PipeSpec, ...] = ()
    tables: tuple[TableSpec, ...]
    buckets: tuple[BucketSpec, ...]
    schedules: tuple[ScheduleSpec, ...]
    api_routes: tuple[ApiRouteSpec, ...] = ()

    @model_validator(mode="after")
    def _pipes_join_a_standard_queue_to_a_fifo_one(self) -> Topology:
        queues = {q.name: q for q in self.queues}
        for pipe in self.pipes:
            source, target = queues.get(pipe.source_queue), queues.get(pipe.target_queue)
            if source is None or target is None:
                raise ValueError(f"pipe {pipe.name}: {pipe.source_queue}, {pipe.target_queue}: no such queue")
            if source.fifo or source.runtime != "pipe" or source.consumer != pipe.name:
                raise ValueError(f"pipe {pipe.name}: its source must be a standard queue it consumes")
            if not target.fifo:
                raise ValueError(f"pipe {pipe.name}: its target {target.name} must be a FIFO queue")
        for queue in self.queues:
            if queue.runtime == "pipe" and not any(p.source_queue == queue.name for p in self.pipes):
                raise ValueError(f"queue {queue.name}: no pipe reads it")
        return self

    def served_by(self, queue: QueueSpec) -> str:
        """The service whose work the queue holds: its consumer, or for a pipe's source the consumer of
        the queue the pipe fills (its alarms belong on that service's dashboard)."""
        pipe = next((p for p in self.pipes if p.source_queue == queue.name), None)
        return self.queue(pipe.target_queue).consumer if pipe else queue.consumer

    def pipe_into(self, queue: str) -> PipeSpec | None:
        """The pipe that fills ``queue``, if one does."""
        return next((p for p in self.pipes if p.target_queue == queue), None)

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
