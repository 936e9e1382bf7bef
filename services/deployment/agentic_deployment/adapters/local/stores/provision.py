"""What the local target provisions for a service, from what its ``.agentic/service.json`` declares.

- ``postgresql``: a database and role of its own on the one local PostgreSQL server (``postgres.py``);
- ``redis``: a Redis server of its own (``redis.py``);
- ``dynamodb``: its table on the local AWS; the event pattern: its SQS queue (and EventBridge rule).

The result is the environment that points the service at them: the variable the service declares
(``DATABASE_URL``, ``REDIS_URL``, ``DYNAMODB_TABLE``), ``QUEUE_URL``, and the local AWS endpoint with
throwaway credentials (never the worker's own). A declared store that cannot be provisioned fails
the deploy with the reason: it never becomes memory.
"""

from __future__ import annotations

from pathlib import Path

from agentic_deployment.adapters.local.service_manifest import ServiceManifest
from agentic_deployment.adapters.local.stores.aws import ClientFactory, LocalAwsResources
from agentic_deployment.adapters.local.stores.postgres import LocalPostgres
from agentic_deployment.adapters.local.stores.redis import LocalRedis
from agentic_deployment.adapters.local.stores.roundtrip import StoreRoundTrip
from agentic_deployment.ports import DeployError


class LocalStores:
    def __init__(
        self,
        home: Path,
        aws: ClientFactory | None = None,
        aws_endpoint: str | None = None,
        region: str = "us-east-1",
    ) -> None:
        self.postgres = LocalPostgres(home)
        self._round_trip = StoreRoundTrip(aws if aws_endpoint else None)
        self.redis = LocalRedis(home)
        self._aws = LocalAwsResources(aws) if aws is not None and aws_endpoint else None
        self._aws_env = {
            "AWS_ENDPOINT_URL": aws_endpoint or "",
            "AWS_DEFAULT_REGION": region,
            "AWS_REGION": region,
            "AWS_ACCESS_KEY_ID": "local",  # the local AWS accepts any key; the worker's own never leave it
            "AWS_SECRET_ACCESS_KEY": "local",
        }

    def provision(self, manifest: ServiceManifest, service: str, environment: str) -> dict[str, str]:
        name = f"{service}-{environment}"
        env: dict[str, str] = {}
        if manifest.database == "postgresql":
            env[str(manifest.database_env)] = self.postgres.url_for(name)
        elif manifest.database == "redis":
            env[str(manifest.database_env)] = self.redis.url_for(name)
        elif manifest.database == "dynamodb":
            env[str(manifest.database_env)] = self._local_aws("a DynamoDB table").table(name)
            env |= self._aws_env
        if manifest.pattern == "event":
            aws = self._local_aws("an SQS queue")
            env["QUEUE_URL"], arn = aws.queue(f"{name}-events")
            if manifest.event_source == "eventbridge":
                aws.rule(f"{name}-events", list(manifest.event_types), arn)
            env |= self._aws_env
        return env

    def verify(self, url: str, manifest: ServiceManifest, env: dict[str, str]) -> str:
        """``/ready`` names the declared store and one record makes the round trip (``roundtrip.py``)."""
        return self._round_trip.verify(url, manifest, env)

    def stop(self) -> None:
        self.postgres.stop()
        self.redis.stop()

    def _local_aws(self, what: str) -> LocalAwsResources:
        if self._aws is None:
            raise DeployError(
                f"the service declares {what}, which the local target creates on the local AWS, but this "
                "worker has no AWS_ENDPOINT_URL (start it with `make up`, which runs the local AWS)",
                retryable=False,
            )
        return self._aws
