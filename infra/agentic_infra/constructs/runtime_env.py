"""The environment every service process gets, in Lambda and in Fargate."""

from __future__ import annotations

from aws_cdk import Stack
from aws_cdk import aws_logs as logs
from constructs import Construct

from agentic_infra.config import EnvironmentConfig
from agentic_infra.constructs.access import PlatformResources
from agentic_infra.profiles import ServiceProfile, secret_spec
from agentic_infra.runtime_config import service_variables


def common_environment(config: EnvironmentConfig, service: str) -> dict[str, str]:
    return {
        "AGENTIC_ENV": config.name,
        "AGENTIC_HOME": "/tmp/agentic",  # noqa: S108 - the only writable path in Lambda; per-process scratch
        "LOG_LEVEL": config.log_level,
        "OTEL_EXPORTER_OTLP_ENDPOINT": config.otlp_endpoint,
        "OTEL_SERVICE_NAME": f"agentic-{service}",
    }


def service_environment(config: EnvironmentConfig, service: str, api_url: str = "") -> dict[str, str]:
    """Everything ``service`` reads to pick its real adapters, except secrets (those are ARNs).

    ``api_url`` is this stack's HTTP API endpoint (a token), the default of ``POLICY_API_URL``.
    """
    environment = common_environment(config, service) | service_variables(config.runtime, service, api_url)
    if service == "deployment":
        environment["DEPLOYMENT_TARGET"] = config.deployment_target
    return environment


def lambda_secret_references(scope: Construct, profile: ServiceProfile, res: PlatformResources) -> str:
    """``AGENTIC_SECRETS`` for the Lambda entry shim: variable → {arn, key} of the service's secrets only.

    ARNs are tokens; ``Stack.to_json_string`` renders them so CloudFormation fills them in.
    """
    refs = {
        variable: {
            "arn": res.secrets[name].secret_arn,
            "key": key,
            "mask": key not in secret_spec(name).public_keys,
        }
        for name in profile.secrets
        for variable, key in secret_spec(name).env.items()
    }
    return Stack.of(scope).to_json_string(refs) if refs else "{}"


_RETENTION = {
    14: logs.RetentionDays.TWO_WEEKS,
    30: logs.RetentionDays.ONE_MONTH,
    365: logs.RetentionDays.ONE_YEAR,
}


def log_retention(config: EnvironmentConfig) -> logs.RetentionDays:
    return _RETENTION[config.log_retention_days]
