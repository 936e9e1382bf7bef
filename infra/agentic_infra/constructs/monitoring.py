"""Alarms (Lambda error rate, DLQ messages, oldest message age, Fargate task failures) to one encrypted SNS
topic, and one CloudWatch dashboard per service."""

from __future__ import annotations

from collections import defaultdict

from agentic_common.topology import QueueSpec
from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from agentic_infra.config import EnvironmentConfig

PERIOD = Duration.minutes(5)
TASK_FAILURE_STOP_CODES = ["TaskFailedToStart", "EssentialContainerExited"]


class Monitoring(Construct):
    def __init__(self, scope: Construct, id: str, *, config: EnvironmentConfig) -> None:
        super().__init__(scope, id)
        self._config = config
        key = kms.Key(self, "alarm-key", enable_key_rotation=True, description="agentic alarm topic")
        for principal in ("cloudwatch.amazonaws.com", "events.amazonaws.com"):
            key.grant_encrypt_decrypt(iam.ServicePrincipal(principal))
        self.topic = sns.Topic(
            self, "alarms", topic_name=f"{config.prefix}-alarms", master_key=key, enforce_ssl=True
        )
        self.alarms: dict[str, list[cw.Alarm]] = defaultdict(list)
        self._widgets: dict[str, list[cw.IWidget]] = defaultdict(list)

    def _alarm(self, service: str, id: str, **props: object) -> cw.Alarm:
        alarm = cw.Alarm(
            self,
            id,
            alarm_name=f"{self._config.prefix}-{id}",
            treat_missing_data=cw.TreatMissingData.NOT_BREACHING,
            **props,
        )  # type: ignore[arg-type]
        alarm.add_alarm_action(actions.SnsAction(self.topic))
        self.alarms[service].append(alarm)
        return alarm

    def watch_function(self, service: str, role: str, function: lambda_.IFunction) -> None:
        errors, invocations = (
            function.metric_errors(period=PERIOD),
            function.metric_invocations(period=PERIOD),
        )
        rate = cw.MathExpression(
            expression="IF(invocations > 0, 100 * errors / invocations, 0)",
            using_metrics={"errors": errors, "invocations": invocations},
            label=f"{role} error rate (%)",
            period=PERIOD,
        )
        self._alarm(
            service,
            f"{service}-{role}-error-rate",
            metric=rate,
            threshold=self._config.lambda_error_rate_percent,
            evaluation_periods=1,
            comparison_operator=cw.ComparisonOperator.GREATER_THAN_THRESHOLD,
            alarm_description=f"{service} {role}: more than {self._config.lambda_error_rate_percent}% errors",
        )
        self._widgets[service] += [
            cw.GraphWidget(
                title=f"{role}: invocations, errors, throttles",
                left=[invocations, errors, function.metric_throttles(period=PERIOD)],
            ),
            cw.GraphWidget(
                title=f"{role}: duration p50 / p99",
                left=[
                    function.metric_duration(period=PERIOD, statistic="p50"),
                    function.metric_duration(period=PERIOD, statistic="p99"),
                ],
            ),
        ]

    def watch_queue(self, service: str, spec: QueueSpec, queue: sqs.IQueue, dlq: sqs.IQueue) -> None:
        key = spec.name.removesuffix(".fifo")
        depth = dlq.metric_approximate_number_of_messages_visible(
            period=Duration.minutes(1), statistic="Maximum"
        )
        self._alarm(
            service,
            f"{key}-dlq-not-empty",
            metric=depth,
            threshold=1,
            evaluation_periods=1,
            comparison_operator=cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            alarm_description=f"a message reached the dead-letter queue of {spec.name}",
        )
        age = queue.metric_approximate_age_of_oldest_message(period=Duration.minutes(1), statistic="Maximum")
        limit = max(self._config.queue_age_alarm_seconds, 2 * spec.visibility_timeout_seconds)
        self._alarm(
            service,
            f"{key}-oldest-message-age",
            metric=age,
            threshold=limit,
            evaluation_periods=3,
            comparison_operator=cw.ComparisonOperator.GREATER_THAN_THRESHOLD,
            alarm_description=f"the oldest message in {spec.name} waits longer than {limit} s",
        )
        self._widgets[service] += [
            cw.GraphWidget(
                title=f"{spec.name}: depth and age",
                left=[queue.metric_approximate_number_of_messages_visible(period=Duration.minutes(1))],
                right=[age],
            ),
            cw.SingleValueWidget(title=f"{spec.dlq_name}: messages", metrics=[depth]),
        ]

    def watch_worker(
        self, service: str, worker: ecs.FargateService, service_name: str, cluster: ecs.ICluster
    ) -> None:
        failures = events.Rule(
            self,
            f"{service}-stopped-tasks",
            description=f"{service} tasks that failed",
            event_pattern=events.EventPattern(
                source=["aws.ecs"],
                detail_type=["ECS Task State Change"],
                detail={
                    "clusterArn": [cluster.cluster_arn],
                    "group": [f"service:{service_name}"],
                    "lastStatus": ["STOPPED"],
                    "stopCode": TASK_FAILURE_STOP_CODES,
                },
            ),
            targets=[targets.SnsTopic(self.topic)],
        )
        matched = cw.Metric(
            namespace="AWS/Events",
            metric_name="MatchedEvents",
            statistic="Sum",
            period=PERIOD,
            dimensions_map={"RuleName": failures.rule_name},
        )
        self._alarm(
            service,
            f"{service}-task-failures",
            metric=matched,
            threshold=1,
            evaluation_periods=1,
            comparison_operator=cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            alarm_description=f"a {service} task failed to start or its container exited",
        )
        self._widgets[service] += [
            cw.GraphWidget(
                title=f"{service}: CPU and memory (%)",
                left=[
                    worker.metric_cpu_utilization(period=PERIOD),
                    worker.metric_memory_utilization(period=PERIOD),
                ],
            ),
            cw.GraphWidget(title=f"{service}: failed tasks", left=[matched]),
        ]

    def build_dashboards(self) -> dict[str, cw.Dashboard]:
        """One dashboard per service with everything watched for it, alarms first."""
        dashboards = {}
        for service, widgets in sorted(self._widgets.items()):
            status = cw.AlarmStatusWidget(title=f"{service} alarms", alarms=self.alarms[service], width=24)
            dashboards[service] = cw.Dashboard(
                self,
                f"{service}-dashboard",
                dashboard_name=f"{self._config.prefix}-{service}",
                widgets=[[status], *[widgets[i : i + 2] for i in range(0, len(widgets), 2)]],
            )
        return dashboards
