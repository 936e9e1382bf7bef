"""Every deploy task carries the effective gate: the environment table's, made stricter by its template."""

from __future__ import annotations

import pytest
from agentic_common.agent import TaskError
from agentic_common.environments import load_rules
from agentic_deployment.adapters.history_memory import InMemoryDeploymentHistory
from agentic_deployment.logic.deploy import DeployWork
from agentic_deployment.logic.task_request import deploy_request
from deployment_fakes import FakeDeployTarget, deploy_task


@pytest.mark.parametrize("environment", load_rules().names)
def test_a_deploy_task_whose_template_sets_no_gate_is_gated_by_the_environment_table(
    environment: str,
) -> None:
    # Given a golden-path deploy task (its template config has no gate) for an environment
    task = deploy_task(parameters={"serviceName": "orders-api", "environment": environment})
    # When it becomes a deploy request
    gate = deploy_request(task).gate
    # Then its gate is the table's row for that environment
    table = load_rules().for_environment(environment).gates.slo
    assert (gate.slo.p95_latency_ms, gate.slo.max_error_rate, gate.slo.requests) == (
        table.p95_latency_ms,
        table.max_error_rate,
        table.requests,
    )


def test_a_template_gate_weaker_than_the_table_is_raised_to_it_before_the_target_sees_it(
    target: FakeDeployTarget, history: InMemoryDeploymentHistory
) -> None:
    # Given a prod deploy task whose template lets 50% of requests fail on only 2 requests
    weak = {"gate": {"slo": {"p95_latency_ms": 9000, "max_error_rate": 0.5, "requests": 2}}}
    task = deploy_task(parameters={"serviceName": "orders-api", "environment": "prod"}, config=weak)
    # When the deploy work runs it
    DeployWork(target, history)(task)
    # Then the target was asked to gate every step on prod's table objectives
    prod = load_rules().for_environment("prod").gates.slo
    slo = target.requests[0].gate.slo
    assert (slo.p95_latency_ms, slo.max_error_rate, slo.requests) == (
        prod.p95_latency_ms,
        prod.max_error_rate,
        prod.requests,
    )


def test_a_task_for_an_environment_the_table_does_not_know_fails_for_good_naming_it() -> None:
    task = deploy_task(parameters={"serviceName": "orders-api", "environment": "qa"})
    with pytest.raises(TaskError, match="environment 'qa' has no rules") as failed:
        deploy_request(task)
    assert not failed.value.retryable


def test_an_unreadable_template_gate_fails_the_task_for_good_naming_the_field() -> None:
    task = deploy_task(config={"gate": {"slo": {"p95_latency_ms": "fast"}}})
    with pytest.raises(TaskError, match=r"gate config is invalid: gate\.slo\.p95_latency_ms") as failed:
        deploy_request(task)
    assert not failed.value.retryable
