"""The event bus, every queue with its DLQ, every rule with its target and every pipe between two queues:
straight from the topology."""

from __future__ import annotations

from agentic_common.topology import PipeSpec, QueueSpec, RuleSpec, Topology, physical_name
from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_pipes as pipes
from aws_cdk import aws_sqs as sqs
from constructs import Construct

DLQ_RETENTION = Duration.days(14)  # longer than any source queue: a dead letter keeps its enqueue time


class Messaging(Construct):
    """``bus``, ``queues`` / ``dlqs`` (by logical name), ``rules`` and ``pipes`` (by name)."""

    def __init__(self, scope: Construct, id: str, *, topology: Topology, prefix: str) -> None:
        super().__init__(scope, id)
        self.bus = events.EventBus(self, "Bus", event_bus_name=physical_name(prefix, topology.bus))
        self.queues: dict[str, sqs.Queue] = {}
        self.dlqs: dict[str, sqs.Queue] = {}
        for spec in topology.queues:
            self._add_queue(spec, prefix)
        self.rules = {rule.name: self._add_rule(rule, prefix) for rule in topology.rules}
        self.pipes = {pipe.name: self._add_pipe(pipe, prefix) for pipe in topology.pipes}

    def _add_queue(self, spec: QueueSpec, prefix: str) -> None:
        common = {
            "encryption": sqs.QueueEncryption.SQS_MANAGED,
            "enforce_ssl": True,
            "visibility_timeout": Duration.seconds(spec.visibility_timeout_seconds),
        }
        fifo = {"fifo": True, "content_based_deduplication": True} if spec.fifo else {}
        dlq = sqs.Queue(
            self,
            f"{spec.name}-dlq",
            queue_name=physical_name(prefix, spec.dlq_name),
            retention_period=DLQ_RETENTION,
            **common,
            **fifo,
        )  # type: ignore[arg-type]
        queue = sqs.Queue(
            self,
            spec.name,
            queue_name=physical_name(prefix, spec.name),
            retention_period=Duration.seconds(spec.retention_seconds),
            dead_letter_queue=sqs.DeadLetterQueue(queue=dlq, max_receive_count=spec.max_receive_count),
            **common,
            **fifo,  # type: ignore[arg-type]
        )
        for q in (queue, dlq):
            q.apply_removal_policy(RemovalPolicy.DESTROY)  # queues hold transient work; tables hold state
        self.queues[spec.name] = queue
        self.dlqs[spec.name] = dlq

    def _add_rule(self, rule: RuleSpec, prefix: str) -> events.Rule:
        target = targets.SqsQueue(self.queues[rule.target_queue], message_group_id=rule.message_group_id)
        created = events.Rule(
            self,
            f"rule-{rule.name}",
            rule_name=physical_name(prefix, rule.name),
            description=rule.description,
            event_bus=self.bus,
            event_pattern=events.EventPattern(detail_type=["placeholder"]),
            targets=[target],
        )
        # The topology's pattern verbatim (content filters such as {"prefix": ...} included): CDK's typed
        # EventPattern cannot express every operator, and a translation could drift from what runs locally.
        cfn_rule: events.CfnRule = created.node.default_child  # type: ignore[assignment]
        cfn_rule.add_property_override("EventPattern", rule.pattern)
        return created

    def _add_pipe(self, spec: PipeSpec, prefix: str) -> pipes.CfnPipe:
        """A pipe that moves each message on with the FIFO group and deduplication id read from its event
        (dynamic path parameters), and the event itself as the body (``<$.body>``, not the SQS record)."""
        source, target = self.queues[spec.source_queue], self.queues[spec.target_queue]
        pipes_service = iam.ServicePrincipal("pipes.amazonaws.com")
        role = iam.Role(self, f"pipe-{spec.name}-role", assumed_by=pipes_service)
        source.grant_consume_messages(role)
        target.grant_send_messages(role)
        pipe = pipes.CfnPipe(
            self,
            f"pipe-{spec.name}",
            name=physical_name(prefix, spec.name),
            description=spec.description,
            role_arn=role.role_arn,
            source=source.queue_arn,
            source_parameters=pipes.CfnPipe.PipeSourceParametersProperty(
                sqs_queue_parameters=pipes.CfnPipe.PipeSourceSqsQueueParametersProperty(batch_size=1)
            ),
            target=target.queue_arn,
            target_parameters=pipes.CfnPipe.PipeTargetParametersProperty(
                input_template="<$.body>",
                sqs_queue_parameters=pipes.CfnPipe.PipeTargetSqsQueueParametersProperty(
                    message_group_id=spec.message_group_path,
                    message_deduplication_id=spec.deduplication_path,
                ),
            ),
        )
        pipe.node.add_dependency(role)  # the role's policy exists before the pipe checks its permissions
        return pipe
