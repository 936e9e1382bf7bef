"""The VPC (private subnets with NAT egress, flow logs) and the ECS cluster the workers run in."""

from __future__ import annotations

from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_logs as logs
from constructs import Construct

from agentic_infra.config import EnvironmentConfig
from agentic_infra.constructs.runtime_env import log_retention


class Network(Construct):
    def __init__(self, scope: Construct, id: str, *, config: EnvironmentConfig) -> None:
        super().__init__(scope, id)
        flow_logs = logs.LogGroup(self, "flow-logs", retention=log_retention(config))
        self.vpc = ec2.Vpc(
            self,
            "vpc",
            max_azs=2,
            nat_gateways=config.nat_gateways,
            subnet_configuration=[
                ec2.SubnetConfiguration(name="public", subnet_type=ec2.SubnetType.PUBLIC, cidr_mask=24),
                ec2.SubnetConfiguration(
                    name="private", subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS, cidr_mask=20
                ),
            ],
            flow_logs={
                "all": ec2.FlowLogOptions(destination=ec2.FlowLogDestination.to_cloud_watch_logs(flow_logs))
            },
            gateway_endpoints={
                "s3": ec2.GatewayVpcEndpointOptions(service=ec2.GatewayVpcEndpointAwsService.S3),
                "dynamodb": ec2.GatewayVpcEndpointOptions(service=ec2.GatewayVpcEndpointAwsService.DYNAMODB),
            },
        )
        self.cluster = ecs.Cluster(
            self,
            "cluster",
            vpc=self.vpc,
            cluster_name=f"{config.prefix}-workers",
            container_insights_v2=ecs.ContainerInsights.ENABLED,
        )
