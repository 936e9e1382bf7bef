"""Per-environment settings: every difference between dev, staging and prod is in ``ENVIRONMENTS``.

Context (``-c key=value``, or the ``environments`` object of ``cdk.json``) chooses the environment and
supplies what only the deployer knows: the JWT issuer and audience of the Backstage tokens, the OTLP
endpoint, optional Fargate size overrides, and the services' runtime endpoints (``runtime_config``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from agentic_infra.config_error import ConfigError
from agentic_infra.runtime_config import context_values, load_runtime

__all__ = ["ENVIRONMENTS", "ConfigError", "EnvironmentConfig", "load_config", "require_auth"]

EnvName = Literal["dev", "staging", "prod"]


@dataclass(frozen=True)
class EnvironmentConfig:
    name: EnvName
    log_level: str
    log_retention_days: int
    retain_data: bool  # tables, buckets and secrets survive `cdk destroy`
    nat_gateways: int
    planner_reserved_concurrency: int
    lambda_memory_mib: dict[str, int]
    fargate_cpu: int  # CPU units: 2048 = 2 vCPU, 4096 = 4 vCPU
    fargate_memory_mib: int
    fargate_min_tasks: int = 2
    fargate_max_tasks: int = 10
    fargate_cpu_target_percent: int = 70
    api_rate_limit: int = 1000
    api_burst_limit: int = 2000
    queue_age_alarm_seconds: int = 900
    lambda_error_rate_percent: float = 5.0
    jwt_issuer: str = ""
    jwt_audience: tuple[str, ...] = ()
    # The console's OIDC sign-in (code + PKCE) at jwt_issuer, the one issuer the API's authorizer trusts:
    # the client id registered there (public client; added to the authorizer's audiences), "" = no sign-in.
    console_oidc_client_id: str = ""
    console_oidc_scope: str = "openid"
    console_oidc_bearer: Literal["access_token", "id_token"] = "access_token"  # which one the API takes
    otlp_endpoint: str = ""
    lambda_bundle: Literal["auto", "wheels", "source"] = "auto"
    # In AWS every environment deploys through Terraform Cloud + ArgoCD: the local-process target runs
    # services as processes next to the worker (uv, databases on loopback) and is for `make up` only.
    deployment_target: Literal["argocd"] = "argocd"
    runtime: dict[str, str] = field(default_factory=dict)  # runtime_config key → value

    @property
    def prefix(self) -> str:
        """The resource prefix the services compute from ``AGENTIC_ENV`` (``agentic-<env>``)."""
        return f"agentic-{self.name}"


_LAMBDA_MEMORY = {"planner": 2048, "codegen": 4096, "policy": 4096, "observability": 2048}

ENVIRONMENTS: dict[str, EnvironmentConfig] = {
    "dev": EnvironmentConfig(
        name="dev",
        log_level="DEBUG",
        log_retention_days=14,
        retain_data=False,
        nat_gateways=1,
        planner_reserved_concurrency=10,
        lambda_memory_mib=_LAMBDA_MEMORY,
        fargate_cpu=2048,
        fargate_memory_mib=8192,
    ),
    "staging": EnvironmentConfig(
        name="staging",
        log_level="INFO",
        log_retention_days=30,
        retain_data=True,
        nat_gateways=2,
        planner_reserved_concurrency=50,
        lambda_memory_mib=_LAMBDA_MEMORY,
        fargate_cpu=2048,
        fargate_memory_mib=8192,
    ),
    "prod": EnvironmentConfig(
        name="prod",
        log_level="INFO",
        log_retention_days=365,
        retain_data=True,
        nat_gateways=2,
        planner_reserved_concurrency=100,
        lambda_memory_mib=_LAMBDA_MEMORY,
        fargate_cpu=4096,
        fargate_memory_mib=16384,
    ),
}


def _int(context: dict[str, Any], key: str, default: int) -> int:
    value = context.get(key)
    if value is None:
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ConfigError(f"context {key}: expected an integer, got {value!r}") from None


def _check_fargate_size(cpu: int, memory: int) -> None:
    if cpu not in (2048, 4096):
        raise ConfigError(f"context fargate_cpu: {cpu} is outside 2-4 vCPU (use 2048 or 4096)")
    if not 8192 <= memory <= 16384 or memory % 1024:
        raise ConfigError(
            f"context fargate_memory_mib: {memory} is outside 8-16 GB in 1 GB steps (8192-16384)"
        )


_CLIENT_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_SCOPE = re.compile(r"^[\x21\x23-\x5b\x5d-\x7e]+( [\x21\x23-\x5b\x5d-\x7e]+)*$")  # RFC 6749 3.3


def _console_oidc(context: dict[str, Any]) -> dict[str, Any]:
    client_id = str(context.get("console_oidc_client_id", "")).strip()
    scope = str(context.get("console_oidc_scope", "openid")).strip()
    kind = str(context.get("console_oidc_token", "access_token"))
    if client_id and not _CLIENT_ID.match(client_id):
        raise ConfigError(
            f"context console_oidc_client_id: {client_id!r} is not a client id (1-128 of A-Z a-z 0-9 . _ : -)"
        )
    if "openid" not in scope.split(" ") or not _SCOPE.match(scope):
        raise ConfigError(f"context console_oidc_scope: {scope!r} must be space-separated scopes with openid")
    if kind not in ("access_token", "id_token"):
        raise ConfigError(f"context console_oidc_token: {kind!r} is not access_token or id_token")
    bearer: Literal["access_token", "id_token"] = "access_token" if kind == "access_token" else "id_token"
    return {"console_oidc_client_id": client_id, "console_oidc_scope": scope, "console_oidc_bearer": bearer}


def load_config(context: dict[str, Any]) -> EnvironmentConfig:
    """The environment named by context ``env`` (default dev), with the deployer's context applied."""
    name = str(context.get("env", "dev"))
    if name not in ENVIRONMENTS:
        raise ConfigError(f"context env: {name!r} is not one of {', '.join(ENVIRONMENTS)}")
    base = ENVIRONMENTS[name]
    context = context_values(context, name)
    cpu = _int(context, "fargate_cpu", base.fargate_cpu)
    memory = _int(context, "fargate_memory_mib", base.fargate_memory_mib)
    _check_fargate_size(cpu, memory)
    audience = context.get("jwt_audience", "")
    bundle = str(context.get("lambda_bundle", base.lambda_bundle))
    if bundle not in ("auto", "wheels", "source"):
        raise ConfigError(f"context lambda_bundle: {bundle!r} is not one of auto, wheels, source")
    return replace(
        base,
        fargate_cpu=cpu,
        fargate_memory_mib=memory,
        jwt_issuer=str(context.get("jwt_issuer", "")),
        jwt_audience=tuple(a.strip() for a in str(audience).split(",") if a.strip()),
        **_console_oidc(context),
        otlp_endpoint=str(context.get("otlp_endpoint", "")),
        lambda_bundle=bundle,  # type: ignore[arg-type]
        runtime=load_runtime(context, name),
    )


def require_auth(config: EnvironmentConfig) -> None:
    """The API cannot be built without the issuer and audience its JWT authorizer checks."""
    if not config.jwt_issuer.startswith("https://"):
        raise ConfigError(
            "context jwt_issuer: set the HTTPS issuer of your Backstage tokens (-c jwt_issuer=https://...)"
        )
    if not config.jwt_audience:
        raise ConfigError(
            "context jwt_audience: set the audience of your Backstage tokens (-c jwt_audience=...)"
        )
