"""A Fargate queue worker per service: ARM64 image from the one worker Dockerfile (build arguments name the
service), private subnets, autoscaling on 70 % CPU and on queue depth (min 2 / max 10), secrets injected
by ECS from Secrets Manager."""

from __future__ import annotations

from agentic_common.topology import QueueSpec, Topology
from aws_cdk import Aws, Duration
from aws_cdk import aws_applicationautoscaling as autoscaling
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_ecs_patterns as patterns
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from constructs import Construct

from agentic_infra.config import EnvironmentConfig
from agentic_infra.constructs.access import PlatformResources, grant_service
from agentic_infra.constructs.code import image_asset_options
from agentic_infra.constructs.functions import entry_modules
from agentic_infra.constructs.runtime_env import log_retention, service_environment
from agentic_infra.imports import REPO_ROOT, first_party_roots, import_closure
from agentic_infra.nag import acknowledge
from agentic_infra.profiles import ServiceProfile, secret_spec

QUEUE_DEPTH_STEPS = [
    autoscaling.ScalingInterval(upper=0, change=-1),
    autoscaling.ScalingInterval(lower=10, change=+1),
    autoscaling.ScalingInterval(lower=100, change=+3),
]


WORKER_DOCKERFILE = "infra/images/worker/Dockerfile"


def worker_image_build_args(profile: ServiceProfile, topology: Topology) -> dict[str, str]:
    """The build arguments of the worker image: the service, exactly the first-party packages its entry
    points reach (``python -m agentic_<name>`` and its API handlers), and its pinned Debian packages."""
    roots = first_party_roots()
    entries = [*entry_modules(profile, topology), f"agentic_{profile.name}.__main__"]
    packages = sorted(import_closure(entries).packages)
    return {
        "SERVICE": profile.name,
        "PACKAGES": " ".join(roots[p].relative_to(REPO_ROOT).as_posix() for p in packages),
        "APT_PACKAGES": " ".join(profile.image_apt_packages),
    }


def worker_queue(topology: Topology, service: str) -> QueueSpec:
    queues = topology.queues_of(service)
    if len(queues) != 1:
        raise ValueError(f"{service}: a worker consumes exactly one queue, the topology gives {len(queues)}")
    return queues[0]


class WorkerService(Construct):
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        profile: ServiceProfile,
        config: EnvironmentConfig,
        topology: Topology,
        resources: PlatformResources,
        cluster: ecs.ICluster,
        api_url: str = "",
    ) -> None:
        super().__init__(scope, id)
        spec = worker_queue(topology, profile.name)
        name = self.service_name = f"{config.prefix}-{profile.name}"
        log_group = logs.LogGroup(
            self,
            "logs",
            log_group_name=f"/agentic/{config.name}/{profile.name}",
            retention=log_retention(config),
        )
        secrets = {
            variable: ecs.Secret.from_secrets_manager(resources.secrets[secret], key)
            for secret in profile.secrets
            for variable, key in secret_spec(secret).env.items()
        }
        self.service = patterns.QueueProcessingFargateService(
            self,
            "worker",
            cluster=cluster,
            queue=resources.queues[spec.name],
            service_name=name,
            family=name,
            image=ecs.ContainerImage.from_asset(
                build_args=worker_image_build_args(profile, topology),
                **image_asset_options(WORKER_DOCKERFILE),  # type: ignore[arg-type]
            ),
            cpu=config.fargate_cpu,
            memory_limit_mib=config.fargate_memory_mib,
            runtime_platform=ecs.RuntimePlatform(
                cpu_architecture=ecs.CpuArchitecture.ARM64,
                operating_system_family=ecs.OperatingSystemFamily.LINUX,
            ),
            environment=service_environment(config, profile.name, api_url)
            | {"AWS_DEFAULT_REGION": Aws.REGION},
            secrets=secrets,
            log_driver=ecs.LogDrivers.aws_logs(stream_prefix=profile.name, log_group=log_group),
            min_scaling_capacity=config.fargate_min_tasks,
            max_scaling_capacity=config.fargate_max_tasks,
            cpu_target_utilization_percent=config.fargate_cpu_target_percent,
            scaling_steps=QUEUE_DEPTH_STEPS,
            cooldown=Duration.seconds(120),
            task_subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS),
            assign_public_ip=False,
            circuit_breaker=ecs.DeploymentCircuitBreaker(enable=True, rollback=True),
            min_healthy_percent=100,
            max_healthy_percent=200,
        )
        grant_service(self.service.task_definition.task_role, profile, topology, resources, secrets=False)
        task_definition = self.service.task_definition
        acknowledge(
            task_definition,
            "AwsSolutions-ECS2",
            "plain settings only (environment name, log level, OTLP "
            "and service endpoints); every credential is injected from Secrets Manager by ECS",
        )
        if profile.name == "observability" and config.runtime.get("metrics_source") == "cloudwatch":
            self._grant_metric_reads(task_definition.task_role)
        acknowledge(
            task_definition.obtain_execution_role(),
            "AwsSolutions-IAM5[Resource::*]",
            "ecr:GetAuthorizationToken has no resource-level permissions; the image pull itself is scoped",
        )

    def _grant_metric_reads(self, role: iam.IRole) -> None:
        """OBSERVABILITY_METRICS_SOURCE=cloudwatch reads the services' request metrics."""
        role.add_to_principal_policy(
            iam.PolicyStatement(actions=["cloudwatch:GetMetricData"], resources=["*"])
        )
        acknowledge(
            role,
            "AwsSolutions-IAM5[Resource::*]",
            "cloudwatch:GetMetricData has no resource-level permissions; read-only metric queries",
        )
