"""The platform stack: thin composition of the constructs, everything derived from the topology."""

from __future__ import annotations

from pathlib import Path

from agentic_common.topology import Topology
from aws_cdk import CfnOutput, Stack, Tags
from constructs import Construct

from agentic_infra.config import EnvironmentConfig, require_auth
from agentic_infra.constructs.access import PlatformResources
from agentic_infra.constructs.api import PlatformApi
from agentic_infra.constructs.code import LambdaCodeSource
from agentic_infra.constructs.console import ConsoleSite
from agentic_infra.constructs.data import DataStores
from agentic_infra.constructs.functions import ServiceFunctions, api_handlers
from agentic_infra.constructs.messaging import Messaging
from agentic_infra.constructs.monitoring import Monitoring
from agentic_infra.constructs.network import Network
from agentic_infra.constructs.secrets import PlatformSecrets
from agentic_infra.constructs.workers import WorkerService
from agentic_infra.profiles import PROFILES


class PlatformStack(Stack):
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        config: EnvironmentConfig,
        topology: Topology,
        stage_root: Path,
        console_dist: Path,
        **kwargs: object,
    ) -> None:
        super().__init__(scope, id, description=f"Agentic DevOps platform ({config.name})", **kwargs)  # type: ignore[arg-type]
        require_auth(config)
        Tags.of(self).add("agentic:environment", config.name)
        messaging = Messaging(self, "messaging", topology=topology, prefix=config.prefix)
        data = DataStores(self, "data", topology=topology, prefix=config.prefix, retain=config.retain_data)
        secrets = PlatformSecrets(self, "secrets", prefix=config.prefix, retain=config.retain_data)
        self.resources = PlatformResources(
            bus=messaging.bus,
            queues=messaging.queues,
            dlqs=messaging.dlqs,
            tables=data.tables,
            buckets=data.buckets,
            secrets=secrets.secrets,
        )
        network = Network(self, "network", config=config)
        self.monitoring = Monitoring(self, "monitoring", config=config)
        self.code = LambdaCodeSource(config, stage_root)
        self.functions: dict[str, ServiceFunctions] = {}
        self.workers: dict[str, WorkerService] = {}
        for profile in PROFILES.values():
            if profile.runtime == "lambda" or api_handlers(topology, profile.name):
                self.functions[profile.name] = ServiceFunctions(
                    self,
                    f"{profile.name}-functions",
                    profile=profile,
                    config=config,
                    topology=topology,
                    resources=self.resources,
                    code=self.code,
                    vpc=network.vpc,
                )
        handlers = {h: fn for f in self.functions.values() for h, fn in f.api_functions.items()}
        self.api = PlatformApi(self, "api", topology=topology, config=config, handlers=handlers)
        for function in self.functions["planner"].functions.values():  # notifications link the record
            function.add_environment("AGENTIC_API_URL", self.api.api.api_endpoint)
        for profile in PROFILES.values():
            if profile.runtime == "fargate":  # after the API: its URL is the default POLICY_API_URL
                self.workers[profile.name] = WorkerService(
                    self,
                    f"{profile.name}-worker",
                    profile=profile,
                    config=config,
                    topology=topology,
                    resources=self.resources,
                    cluster=network.cluster,
                    api_url=self.api.api.api_endpoint,
                )
        self.console = ConsoleSite(
            self,
            "console",
            config=config,
            dist=console_dist,
            access_logs=data.access_logs,
            api=self.api.api,
            api_prefixes=[route.path_prefix for route in topology.api_routes],
        )
        self.console.deploy(config)
        self._watch(topology, network)
        CfnOutput(self, "ApiUrl", value=self.api.api.api_endpoint, description="Point Backstage at this URL")
        CfnOutput(self, "ConsoleUrl", value=self.console.url, description="The web console (the API too)")
        if config.console_oidc_client_id:
            CfnOutput(
                self,
                "ConsoleSignInRedirect",
                value=self.console.url,
                description=f"Register as a redirect URI of OIDC client {config.console_oidc_client_id}",
            )
        CfnOutput(
            self, "AlarmTopic", value=self.monitoring.topic.topic_arn, description="Subscribe on-call here"
        )

    def _watch(self, topology: Topology, network: Network) -> None:
        for service, group in self.functions.items():
            for role, function in group.functions.items():
                self.monitoring.watch_function(service, role, function)
        for spec in topology.queues:
            queue, dlq = self.resources.queues[spec.name], self.resources.dlqs[spec.name]
            self.monitoring.watch_queue(topology.served_by(spec), spec, queue, dlq)
        for service, worker in self.workers.items():
            self.monitoring.watch_worker(
                service, worker.service.service, worker.service_name, network.cluster
            )
        self.monitoring.build_dashboards()
