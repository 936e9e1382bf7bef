"""Wire the observability API from settings: tables, the alert ledger, the bus, the webhook secret."""

from __future__ import annotations

from agentic_common.aws import AwsClients
from agentic_common.runtime import ServiceRuntime
from agentic_common.settings import CommonSettings, load_settings
from agentic_common.shared_secret import SecretsManagerSecret, secret_name
from agentic_common.telemetry import setup_telemetry
from agentic_common.topology import ALERTMANAGER_WEBHOOK
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

from agentic_observability.adapters.tables import DynamoDBAlertLedger, DynamoDBTables
from agentic_observability.api_app import ApiDeps, build_app
from agentic_observability.bootstrap import summarizer
from agentic_observability.settings import ObservabilitySettings

SERVICE = "observability"


def build_api(settings: CommonSettings | None = None) -> APIGatewayHttpResolver:
    common = settings or load_settings(CommonSettings)
    own = load_settings(ObservabilitySettings)
    # no start_runtime: locally this runs inside the shared gateway process, whose logging stays as is
    setup_telemetry(SERVICE, common.otel_exporter_otlp_endpoint)  # once per process; a no-op after the first
    runtime = ServiceRuntime(service=SERVICE, settings=common, clients=AwsClients(common))
    db = runtime.clients.client("dynamodb")
    return build_app(
        ApiDeps(
            reader=DynamoDBTables(db, runtime.table("deployments"), runtime.table("workflows")),
            ledger=DynamoDBAlertLedger(db, runtime.table("alerts")),
            publisher=runtime.publisher,
            alert_ttl_seconds=own.observability_alert_ttl_seconds,
            summarizer=summarizer(),
            webhook_secret=SecretsManagerSecret(
                runtime.clients.client("secretsmanager"),
                own.alertmanager_webhook_secret_id
                or secret_name(common.resource_prefix, ALERTMANAGER_WEBHOOK),
            ),
        )
    )
