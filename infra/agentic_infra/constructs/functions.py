"""A service's Lambda functions: its queue consumer, its schedules and its API handlers (from the topology).

All ARM64, Python 3.11, in the private subnets, one least-privilege role per service, the entry shim in
front of the real handler (``AGENTIC_HANDLER``), SQS event sources with partial batch responses.
"""

from __future__ import annotations

from agentic_common.topology import Topology, physical_name
from aws_cdk import Duration
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as sources
from aws_cdk import aws_logs as logs
from constructs import Construct

from agentic_infra.config import EnvironmentConfig
from agentic_infra.constructs.access import PlatformResources, grant_service
from agentic_infra.constructs.code import ENTRY_HANDLER, LambdaCodeSource
from agentic_infra.constructs.runtime_env import lambda_secret_references, log_retention, service_environment
from agentic_infra.nag import acknowledge
from agentic_infra.profiles import ServiceProfile, schedule_handler

API_TIMEOUT = Duration.seconds(29)  # API Gateway waits 30 s at most
SCHEDULE_TIMEOUT = Duration.seconds(60)


def api_handlers(topology: Topology, service: str) -> list[str]:
    """The distinct API handlers the topology routes to ``service``, in first-route order."""
    return list(dict.fromkeys(r.handler for r in topology.api_routes if r.service == service))


def entry_modules(profile: ServiceProfile, topology: Topology) -> list[str]:
    refs = [*api_handlers(topology, profile.name)]
    if profile.runtime == "lambda" and profile.queue_handler:
        refs.append(profile.queue_handler)
    refs += [
        schedule_handler(s.target_service, s.entry_point)
        for s in topology.schedules
        if s.target_service == profile.name
    ]
    return [ref.partition(":")[0] for ref in refs]


class ServiceFunctions(Construct):
    """``functions`` by role (queue, schedule-<name>, api, api-<n>); ``api_functions`` by handler."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        profile: ServiceProfile,
        config: EnvironmentConfig,
        topology: Topology,
        resources: PlatformResources,
        code: LambdaCodeSource,
        vpc: ec2.IVpc,
    ) -> None:
        super().__init__(scope, id)
        self._profile, self._config, self._vpc = profile, config, vpc
        self.role = iam.Role(
            self,
            "role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description=f"agentic {profile.name} Lambda functions",
            managed_policies=[
                iam.ManagedPolicy.from_aws_managed_policy_name("service-role/AWSLambdaBasicExecutionRole"),
                iam.ManagedPolicy.from_aws_managed_policy_name(
                    "service-role/AWSLambdaVPCAccessExecutionRole"
                ),
            ],
        )
        for managed in ("AWSLambdaBasicExecutionRole", "AWSLambdaVPCAccessExecutionRole"):
            acknowledge(
                self.role,
                f"AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/{managed}]",
                "AWS's minimal Lambda policies: log writing and the VPC network interfaces",
            )
        grant_service(self.role, profile, topology, resources)
        self._secrets = lambda_secret_references(self, profile, resources)
        self._code = self._build_code(code, topology)
        self.functions: dict[str, lambda_.Function] = {}
        self.api_functions: dict[str, lambda_.Function] = {}
        self._add_queue_consumer(topology, resources)
        self._add_schedules(topology)
        for index, handler in enumerate(api_handlers(topology, profile.name)):
            name = "api" if index == 0 else f"api-{index + 1}"
            self.api_functions[handler] = self._function(name, handler, API_TIMEOUT, reserved=True)

    def _build_code(self, code: LambdaCodeSource, topology: Topology) -> object:
        if self._profile.packaging == "image":
            return code.image_code(self._profile)
        return code.zip_code(self, self._profile, entry_modules(self._profile, topology))

    def _add_queue_consumer(self, topology: Topology, resources: PlatformResources) -> None:
        if self._profile.runtime != "lambda" or not self._profile.queue_handler:
            return
        for spec in topology.queues_of(self._profile.name):
            timeout = Duration.seconds(min(spec.visibility_timeout_seconds, 900))
            function = self._function("queue", self._profile.queue_handler, timeout, reserved=True)
            function.add_event_source(
                sources.SqsEventSource(
                    resources.queues[spec.name],
                    batch_size=spec.batch_size,  # 1 for codegen: a crash holds back one task
                    report_batch_item_failures=True,
                )
            )

    def _add_schedules(self, topology: Topology) -> None:
        for schedule in topology.schedules:
            if schedule.target_service != self._profile.name:
                continue
            handler = schedule_handler(schedule.target_service, schedule.entry_point)
            function = self._function(f"schedule-{schedule.name}", handler, SCHEDULE_TIMEOUT, reserved=False)
            events.Rule(
                self,
                f"every-{schedule.name}",
                rule_name=physical_name(self._config.prefix, schedule.name),
                schedule=events.Schedule.rate(Duration.seconds(schedule.rate_seconds)),
                targets=[targets.LambdaFunction(function, retry_attempts=0)],
            )

    def _function(self, role: str, handler: str, timeout: Duration, *, reserved: bool) -> lambda_.Function:
        config, profile = self._config, self._profile
        name = f"{config.prefix}-{profile.name}-{role}"
        log_group = logs.LogGroup(
            self, f"{role}-logs", log_group_name=f"/aws/lambda/{name}", retention=log_retention(config)
        )
        environment = service_environment(config, profile.name) | {
            "AGENTIC_HANDLER": handler,
            "AGENTIC_SECRETS": self._secrets,
        }
        concurrency = config.planner_reserved_concurrency if reserved and profile.name == "planner" else None
        common = {
            "function_name": name,
            "role": self.role,
            "timeout": timeout,
            "environment": environment,
            "memory_size": config.lambda_memory_mib.get(profile.name, 2048),
            "log_group": log_group,
            "architecture": lambda_.Architecture.ARM_64,
            "reserved_concurrent_executions": concurrency,
            "vpc": self._vpc,
            "vpc_subnets": ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS),
            "description": f"agentic {profile.name}: {handler}",
        }
        if isinstance(self._code, lambda_.DockerImageCode):
            function: lambda_.Function = lambda_.DockerImageFunction(self, role, code=self._code, **common)
        else:
            function = lambda_.Function(
                self,
                role,
                runtime=lambda_.Runtime.PYTHON_3_11,
                handler=ENTRY_HANDLER,
                code=self._code.code,
                layers=self._code.layers,
                **common,
            )  # type: ignore[attr-defined]
        acknowledge(
            function,
            "AwsSolutions-L1",
            "our code and uv.lock are pinned to CPython 3.11 "
            "(requires-python <3.12); moving runtimes is a project-wide upgrade",
        )
        self.functions[role] = function
        return function
