"""The runtime settings of the deployed services: one table from CDK context key to environment variable.

Each row says which context key supplies a value, which environment variable the services' settings read
it from, which services need it to choose their real (non-local) adapters, and whether it has a default.
A row without a default is required: synth fails naming the context key and the setting. Secrets are not
here: they are Secrets Manager secrets (``profiles.SECRETS``), passed as ARNs, never as values.

Values come from ``-c key=value`` or from the context object ``environments`` (``{"prod": {...}}``, e.g.
in ``infra/cdk.json``); a flat ``-c`` value overrides the object's.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from agentic_infra.config_error import ConfigError

URL = re.compile(r"^https?://[^\s/?#]+[^\s]*$")
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
GROUP = re.compile(r"^[a-z0-9][a-z0-9_.-]*(/[a-z0-9][a-z0-9_.-]*)*$")
SAME_API = "this stack's HTTP API"  # the default of policy_api_url, resolved by the stack


@dataclass(frozen=True)
class RuntimeSetting:
    key: str  # CDK context key
    variable: str  # environment variable the services read
    services: tuple[str, ...]
    what: str
    default: str | None = None  # None: required
    pattern: re.Pattern[str] = URL
    choices: tuple[str, ...] = ()


RUNTIME_SETTINGS: tuple[RuntimeSetting, ...] = (
    RuntimeSetting("argocd_url", "ARGOCD_URL", ("deployment",), "ArgoCD API server"),
    RuntimeSetting("argocd_project", "ARGOCD_PROJECT", ("deployment",), "ArgoCD project", "default", NAME),
    RuntimeSetting("tfc_url", "TFC_URL", ("deployment",), "Terraform Cloud", "https://app.terraform.io"),
    RuntimeSetting(
        "tfc_organization", "TFC_ORGANIZATION", ("deployment",), "Terraform Cloud organization", None, NAME
    ),
    RuntimeSetting(
        "prometheus_url", "PROMETHEUS_URL", ("deployment", "observability"), "Prometheus HTTP API"
    ),
    RuntimeSetting(
        "policy_api_url", "POLICY_API_URL", ("deployment",), "platform API for plan checks", SAME_API
    ),
    RuntimeSetting(
        "metrics_source",
        "OBSERVABILITY_METRICS_SOURCE",
        ("observability",),
        "where SLO verification reads request metrics",
        "prometheus",
        choices=("prometheus", "cloudwatch"),
    ),
    RuntimeSetting("gitlab_url", "GITLAB_URL", ("planner", "codegen", "policy"), "GitLab base URL"),
    RuntimeSetting(
        "gitlab_group",
        "AGENTIC_GIT_NAMESPACE",
        ("planner", "codegen", "policy"),  # planner: repoUrl rules and deploy version resolution
        "GitLab group of the generated repositories",
        None,
        GROUP,
    ),
    RuntimeSetting(
        "anthropic_base_url",
        "ANTHROPIC_BASE_URL",
        ("planner", "codegen", "observability", "remediation"),
        "Anthropic API (or a gateway in front of it)",
        "https://api.anthropic.com",
    ),
)


def _check(setting: RuntimeSetting, value: str) -> str:
    if setting.choices and value not in setting.choices:
        raise ConfigError(f"context {setting.key}: {value!r} is not one of {', '.join(setting.choices)}")
    if not setting.choices and value != SAME_API and not setting.pattern.match(value):
        kind = "an http(s) URL" if setting.pattern is URL else f"a name matching {setting.pattern.pattern}"
        raise ConfigError(f"context {setting.key}: {value!r} is not {kind} ({setting.variable})")
    return value.rstrip("/") if setting.pattern is URL else value


def context_values(context: Mapping[str, Any], env: str) -> dict[str, str]:
    """The environment's values: ``environments.<env>`` from context, overridden by flat keys."""
    nested = context.get("environments") or {}
    if not isinstance(nested, Mapping) or not isinstance(nested.get(env, {}), Mapping):
        raise ConfigError("context environments: expected an object {env: {key: value}}")
    merged = {**nested.get(env, {}), **context}
    return {
        k: str(v) for k, v in merged.items() if k != "environments" and v is not None and str(v).strip() != ""
    }


def load_runtime(context: Mapping[str, Any], env: str) -> dict[str, str]:
    """Context key → value for every runtime setting; one error listing every required key missing."""
    values = context_values(context, env)
    missing = [s for s in RUNTIME_SETTINGS if s.default is None and s.key not in values]
    if missing:
        lines = "; ".join(
            f"context {s.key} (sets {s.variable}, the {s.what}, for {', '.join(s.services)})" for s in missing
        )
        raise ConfigError(f"env {env}: missing {lines}. Set them with -c key=value or in cdk.json")
    return {s.key: _check(s, values.get(s.key, s.default or "")) for s in RUNTIME_SETTINGS}


def service_variables(runtime: Mapping[str, str], service: str, api_url: str) -> dict[str, str]:
    """The environment variables ``service`` reads, with ``policy_api_url``'s default resolved."""
    resolved = {**runtime}
    if resolved.get("policy_api_url") == SAME_API:
        resolved["policy_api_url"] = api_url
    return {s.variable: resolved[s.key] for s in RUNTIME_SETTINGS if service in s.services}
