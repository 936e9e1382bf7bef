"""Environments from context: the differences live in one table; bad context names the key."""

from __future__ import annotations

import pytest
from agentic_infra.config import ENVIRONMENTS, ConfigError, load_config, require_auth


def test_dev_is_the_default_environment():
    assert load_config({}).name == "dev"


def test_prod_reserves_the_reference_concurrency_and_keeps_its_data():
    prod = load_config({"env": "prod"})
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
        load_config({"env": "qa"})


@pytest.mark.parametrize(("cpu", "memory"), [(2048, 8192), (4096, 16384), (2048, 12288)])
def test_fargate_size_can_be_overridden_within_the_reference_range(cpu, memory):
    config = load_config({"fargate_cpu": str(cpu), "fargate_memory_mib": str(memory)})
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
        load_config(context)


def test_the_audience_may_list_several_values():
    assert load_config({"jwt_audience": "backstage, cli"}).jwt_audience == ("backstage", "cli")


def test_the_api_needs_an_https_issuer_and_an_audience():
    with pytest.raises(ConfigError, match="context jwt_issuer"):
        require_auth(load_config({"jwt_audience": "a"}))
    with pytest.raises(ConfigError, match="context jwt_audience"):
        require_auth(load_config({"jwt_issuer": "https://backstage.example.test"}))
    require_auth(load_config({"jwt_issuer": "https://backstage.example.test", "jwt_audience": "a"}))


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
