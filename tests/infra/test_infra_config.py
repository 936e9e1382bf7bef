"""Environments from context: the differences live in one table; bad context names the key."""

from __future__ import annotations

import pytest
from agentic_infra.config import ENVIRONMENTS, ConfigError, load_config, require_auth
from agentic_infra.runtime_config import RUNTIME_SETTINGS, SAME_API, service_variables

from tests.infra.context_values import REQUIRED_RUNTIME


def load(context=None):
    """``load_config`` with the runtime keys every environment requires."""
    return load_config({**REQUIRED_RUNTIME, **(context or {})})


def test_dev_is_the_default_environment():
    assert load({}).name == "dev"


def test_prod_reserves_the_reference_concurrency_and_keeps_its_data():
    prod = load({"env": "prod"})
    assert prod.planner_reserved_concurrency == 100
    assert prod.retain_data is True
    assert (prod.fargate_cpu, prod.fargate_memory_mib) == (4096, 16384)


def test_environments_differ_only_in_the_declared_table():
    # Given the three environments / Then each has the resource prefix the services compute from AGENTIC_ENV
    assert {name: cfg.prefix for name, cfg in ENVIRONMENTS.items()} == {
        "dev": "agentic-dev",
        "staging": "agentic-staging",
        "prod": "agentic-prod",
    }
    assert ENVIRONMENTS["dev"].retain_data is False


def test_an_unknown_environment_is_rejected_naming_the_key():
    with pytest.raises(ConfigError, match="context env: 'qa' is not one of dev, staging, prod"):
        load({"env": "qa"})


@pytest.mark.parametrize(("cpu", "memory"), [(2048, 8192), (4096, 16384), (2048, 12288)])
def test_fargate_size_can_be_overridden_within_the_reference_range(cpu, memory):
    config = load({"fargate_cpu": str(cpu), "fargate_memory_mib": str(memory)})
    assert (config.fargate_cpu, config.fargate_memory_mib) == (cpu, memory)


@pytest.mark.parametrize(
    ("context", "message"),
    [
        ({"fargate_cpu": "1024"}, "context fargate_cpu: 1024 is outside 2-4 vCPU"),
        ({"fargate_memory_mib": "32768"}, "context fargate_memory_mib: 32768 is outside 8-16 GB"),
        ({"fargate_cpu": "lots"}, "context fargate_cpu: expected an integer"),
        ({"lambda_bundle": "zip"}, "context lambda_bundle: 'zip' is not one of"),
    ],
)
def test_invalid_context_is_rejected_naming_the_key(context, message):
    with pytest.raises(ConfigError, match=message):
        load(context)


def test_the_audience_may_list_several_values():
    assert load({"jwt_audience": "backstage, cli"}).jwt_audience == ("backstage", "cli")


def test_the_api_needs_an_https_issuer_and_an_audience():
    with pytest.raises(ConfigError, match="context jwt_issuer"):
        require_auth(load({"jwt_audience": "a"}))
    with pytest.raises(ConfigError, match="context jwt_audience"):
        require_auth(load({"jwt_issuer": "https://backstage.example.test"}))
    require_auth(load({"jwt_issuer": "https://backstage.example.test", "jwt_audience": "a"}))


@pytest.mark.slow  # imports aws-cdk-lib (starts the jsii runtime)
def test_the_synth_entry_reads_context_as_key_value_arguments():
    from agentic_infra.synth import parse_context  # noqa: PLC0415 - imports aws-cdk-lib

    assert parse_context(["-c", "env=prod", "jwt_audience=a,b"]) == {"env": "prod", "jwt_audience": "a,b"}
    with pytest.raises(ConfigError, match="argument 'prod': expected key=value"):
        parse_context(["prod"])


@pytest.mark.slow
def test_the_synth_entry_exits_2_naming_a_bad_context_key(capsys):
    from agentic_infra.synth import synth_from_args  # noqa: PLC0415 - imports aws-cdk-lib

    assert synth_from_args(["env=qa"]) == 2
    assert "context env: 'qa' is not one of" in capsys.readouterr().err


@pytest.mark.parametrize("env", ["dev", "staging", "prod"])
@pytest.mark.parametrize("key", sorted(REQUIRED_RUNTIME))
def test_a_missing_runtime_value_fails_naming_the_context_key_and_the_setting(env, key):
    # Given every required runtime value but one
    context = {k: v for k, v in REQUIRED_RUNTIME.items() if k != key} | {"env": env}
    variable = next(s.variable for s in RUNTIME_SETTINGS if s.key == key)
    # Then loading the environment fails, naming the context key and the variable it sets
    with pytest.raises(ConfigError, match=rf"env {env}: missing context {key} \(sets {variable}"):
        load_config(context)


def test_values_may_come_from_the_environments_object_and_flat_keys_override_it():
    # Given the cdk.json style object for prod, and one flat -c value
    context = {
        "env": "prod",
        "environments": {"prod": REQUIRED_RUNTIME},
        "argocd_url": "https://argo.other.test",
    }
    # When loaded
    runtime = load_config(context).runtime
    # Then the object supplies prod's values and the flat key wins
    assert runtime["tfc_organization"] == "acme"
    assert runtime["argocd_url"] == "https://argo.other.test"


def test_another_environments_values_do_not_apply():
    with pytest.raises(ConfigError, match="env dev: missing context argocd_url"):
        load_config({"env": "dev", "environments": {"prod": REQUIRED_RUNTIME}})


@pytest.mark.parametrize(
    ("context", "message"),
    [
        ({"argocd_url": "argocd.example.test"}, "context argocd_url: 'argocd.example.test' is not an http"),
        ({"metrics_source": "local"}, "context metrics_source: 'local' is not one of prometheus, cloudwatch"),
        ({"gitlab_group": "Platform Services"}, "context gitlab_group: 'Platform Services' is not a name"),
        ({"environments": ["prod"]}, "context environments: expected an object"),
    ],
)
def test_invalid_runtime_values_are_rejected_naming_the_key(context, message):
    with pytest.raises(ConfigError, match=message):
        load(context)


@pytest.mark.parametrize("env", ["dev", "staging", "prod"])
def test_every_aws_environment_deploys_through_argocd(env):
    assert load({"env": env}).deployment_target == "argocd"


def test_the_deployment_worker_gets_every_endpoint_and_the_stacks_api_by_default():
    # Given a config without policy_api_url
    runtime = load().runtime
    assert runtime["policy_api_url"] == SAME_API
    # When the deployment worker's variables are computed with the stack's API URL
    variables = service_variables(runtime, "deployment", "https://api.example.test")
    # Then it has every endpoint its settings need for the ArgoCD target, and the API as the policy API
    assert variables == {
        "ARGOCD_URL": "https://argocd.example.test",
        "ARGOCD_PROJECT": "default",
        "TFC_URL": "https://app.terraform.io",
        "TFC_ORGANIZATION": "acme",
        "PROMETHEUS_URL": "https://prometheus.example.test",
        "POLICY_API_URL": "https://api.example.test",
    }
