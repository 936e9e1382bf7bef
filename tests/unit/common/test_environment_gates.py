"""effective_gate: the environment table's gate is the floor; a template can only make it stricter."""

from __future__ import annotations

from typing import Any

import pytest
from agentic_common.approvals.deployment import deployment_digest
from agentic_common.environments import UnknownEnvironmentError, load_rules
from agentic_common.environments.gates import GateConfigError, effective_gate

PROD = load_rules().for_environment("prod").gates.slo


def gate_config(**slo: Any) -> dict[str, Any]:
    return {"gate": {"slo": slo, "probe_path": "/ready"}}


@pytest.mark.parametrize("environment", load_rules().names)
def test_a_template_without_a_gate_gets_the_table_gate_of_its_environment(environment: str) -> None:
    # Given the table's row / When a template that sets no gate reaches the environment
    table = load_rules().for_environment(environment).gates.slo
    gate = effective_gate({}, environment)
    # Then each step is judged on the table's objectives, probed on /health
    assert (gate.slo.p95_latency_ms, gate.slo.max_error_rate, gate.slo.requests) == (
        table.p95_latency_ms,
        table.max_error_rate,
        table.requests,
    )
    assert gate.probe_path == "/health"


def test_a_weaker_template_gate_is_raised_to_the_table() -> None:
    # Given a template asking for slower, more erroneous, less measured steps than prod allows
    config = gate_config(p95_latency_ms=PROD.p95_latency_ms * 4, max_error_rate=0.5, requests=1)
    # When the prod gate is merged
    gate = effective_gate(config, "prod")
    # Then every weaker objective is the table's
    assert gate.slo.p95_latency_ms == PROD.p95_latency_ms
    assert gate.slo.max_error_rate == PROD.max_error_rate
    assert gate.slo.requests == PROD.requests


def test_a_stricter_template_gate_wins_and_may_add_objectives() -> None:
    # Given a template stricter than prod on every objective, with a p99 the table does not set
    config = gate_config(p95_latency_ms=120, max_error_rate=0.001, requests=200, p99_latency_ms=300)
    # When the prod gate is merged
    gate = effective_gate(config, "prod")
    # Then the template's values apply, with its probe path
    assert (gate.slo.p95_latency_ms, gate.slo.max_error_rate, gate.slo.requests) == (120, 0.001, 200)
    assert gate.slo.p99_latency_ms == 300
    assert gate.probe_path == "/ready"


def test_a_number_written_as_text_cannot_slip_past_the_floor() -> None:
    with pytest.raises(GateConfigError, match=r"gate\.slo\.p95_latency_ms"):
        effective_gate(gate_config(p95_latency_ms="9000"), "dev")


@pytest.mark.parametrize(
    ("config", "named"),
    [
        ({"gate": "fast"}, "gate must be an object"),
        ({"gate": {"slo": {"latency": 5}}}, r"gate\.slo\.latency"),
        ({"gate": {"slo": {}, "probe_path": "ready"}}, r"gate\.probe_path"),
        ({"gate": {"slo": {}, "skip": True}}, "unknown field"),
        ({"gate": {"slo": {"requests": 100_000}}}, r"gate\.slo\.requests"),
    ],
)
def test_an_unreadable_template_gate_is_refused_naming_the_field(config: dict[str, Any], named: str) -> None:
    with pytest.raises(GateConfigError, match=named):
        effective_gate(config, "dev")


def test_an_environment_the_table_does_not_declare_has_no_gate() -> None:
    with pytest.raises(UnknownEnvironmentError, match="'qa'"):
        effective_gate({}, "qa")


def test_the_approval_digest_binds_the_effective_gate_not_the_template_text() -> None:
    # Given the same plan for prod, once with a template gate weaker than the table and once with none
    parameters = {"service": "orders", "version": "abc1234", "environment": "prod", "repoUrl": "file:///r"}
    weaker = gate_config(max_error_rate=0.5)
    weaker["gate"].pop("probe_path")
    # When both are digested / Then they are the same plan: both steps pass the table's gate
    assert deployment_digest(parameters, weaker) == deployment_digest(parameters, {})
    # And a stricter gate is a different plan
    assert deployment_digest(parameters, gate_config(max_error_rate=0.001)) != deployment_digest(
        parameters, {}
    )
