"""The evidence rule: an anomaly is actionable only when the objective is breached, on enough samples,
by a large enough effect; and the objective is the environment table's row, made stricter (never weaker)
by the service's declared SLO."""

from __future__ import annotations

import pytest
from agentic_common.environments import load_rules
from agentic_common.events.observability import Slo
from agentic_common.slo import Measurements
from agentic_observability.logic.evidence import EvidenceRule, Objective, slo_check
from agentic_observability.logic.objective import ObjectiveBook, objective_for
from agentic_observability.ports import DeploymentRow

from tests.unit.observability.test_observability_monitor import row

RULE = EvidenceRule(min_effect=0.25)
DEV = objective_for("dev")
assert DEV is not None


def window(p95: float, requests: int = 120, errors: int = 0) -> Measurements:
    return Measurements(requests=requests, errors=errors, p50_ms=p95 / 2, p95_ms=p95, p99_ms=p95 * 1.2)


def latency(p95: float, baseline: float, *, requests: int = 120, objective: Objective = DEV) -> bool:
    check = slo_check(
        "p95_latency_ms",
        window(p95, requests),
        baseline=baseline,
        objective=objective,
        min_samples=20,
        rule=RULE,
    )
    return check.actionable


def test_the_noisy_p95_of_the_issue_meets_its_objective_and_is_not_actionable() -> None:
    # Given p95 22.75 ms against a baseline of 4.75 ms (robust z 757.9), objective 500 ms in dev
    # When it is judged
    check = slo_check(
        "p95_latency_ms", window(22.75), baseline=4.75, objective=DEV, min_samples=20, rule=RULE
    )
    # Then it is advisory, and says why
    assert (check.breached, check.actionable) == (False, False)
    assert check.reasons[0] == "p95_latency_ms 22.75 meets the objective of 500 (environment dev)"
    assert check.summary().startswith("advisory only: ")


def test_a_breach_on_enough_samples_by_a_large_effect_is_actionable() -> None:
    assert latency(900.0, baseline=40.0)


def test_a_breach_on_too_few_requests_is_not_actionable() -> None:
    assert not latency(900.0, baseline=40.0, requests=19)


def test_exactly_the_minimum_of_requests_is_enough() -> None:
    assert latency(900.0, baseline=40.0, requests=20)


def test_a_breach_by_a_small_effect_is_not_actionable() -> None:
    # Given a service that always ran just under its objective and drifts just over it (effect 0.08)
    assert not latency(520.0, baseline=480.0)


def test_an_effect_exactly_at_the_minimum_is_enough() -> None:
    # 625 - 500 = 125, a quarter of the 500 ms objective
    assert latency(625.0, baseline=500.0)


def test_an_error_rate_jump_over_the_objective_is_actionable_with_its_effect() -> None:
    check = slo_check(
        "error_rate",
        window(10.0, requests=100, errors=80),
        baseline=0.0,
        objective=DEV,
        min_samples=20,
        rule=RULE,
    )
    assert check.actionable
    assert check.effect == pytest.approx(0.8 / load_rules().for_environment("dev").gates.slo.max_error_rate)


def test_a_zero_tolerance_objective_still_gives_a_finite_effect() -> None:
    strict = Objective(Slo(p95_latency_ms=500, max_error_rate=0, requests=20), "service SLO")
    check = slo_check(
        "error_rate",
        window(10.0, requests=50, errors=1),
        baseline=0.0,
        objective=strict,
        min_samples=20,
        rule=RULE,
    )
    assert (check.breached, check.effect) == (True, 20.0)


def test_health_probes_are_judged_on_the_error_rate_objective() -> None:
    probes = Measurements(requests=4, errors=4, p50_ms=0.0, p95_ms=0.0, p99_ms=0.0)
    check = slo_check("health", probes, baseline=0.0, objective=DEV, min_samples=4, rule=RULE, unit="probes")
    assert (check.metric, check.value, check.breached, check.actionable) == ("health", 1.0, True, True)


def test_a_minimum_effect_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError, match="min_effect must be between 0 and 100"):
        EvidenceRule(min_effect=-1)


@pytest.mark.parametrize("environment", ["dev", "staging", "prod"])
def test_the_objective_is_the_environment_tables_row(environment: str) -> None:
    table = load_rules().for_environment(environment).gates.slo
    objective = objective_for(environment)
    assert objective is not None
    assert (objective.slo.p95_latency_ms, objective.slo.max_error_rate, objective.slo.requests) == (
        table.p95_latency_ms,
        table.max_error_rate,
        table.requests,
    )
    assert objective.source == f"environment {environment}"


def test_a_stricter_declared_slo_is_the_objective() -> None:
    objective = objective_for("dev", Slo(p95_latency_ms=200, max_error_rate=0.01, requests=50))
    assert objective is not None
    assert (objective.slo.p95_latency_ms, objective.slo.max_error_rate, objective.slo.requests) == (
        200,
        0.01,
        50,
    )
    assert objective.source == "service SLO, stricter than environment dev"


def test_a_weaker_declared_slo_does_not_loosen_the_environments() -> None:
    objective = objective_for("prod", Slo(p95_latency_ms=5000, max_error_rate=0.5, requests=1))
    table = load_rules().for_environment("prod").gates.slo
    assert objective is not None
    assert (objective.slo.p95_latency_ms, objective.slo.max_error_rate) == (
        table.p95_latency_ms,
        table.max_error_rate,
    )
    assert objective.source == "environment prod"


def test_an_environment_the_table_does_not_declare_has_no_objective() -> None:
    assert objective_for("qa") is None


class CountingDeclared:
    def __init__(self) -> None:
        self.asked: list[str] = []

    def declared(self, deployment: DeploymentRow) -> Slo | None:
        self.asked.append(deployment.deployment_id)
        return Slo(p95_latency_ms=250, max_error_rate=0.01, requests=30)


def test_the_declared_slo_is_read_once_per_deployment_until_it_is_forgotten() -> None:
    declared = CountingDeclared()
    book = ObjectiveBook(declared)
    for _ in range(3):
        objective = book.for_deployment(row())
    book.forget("dep-1")
    book.for_deployment(row())
    assert objective is not None
    assert objective.slo.p95_latency_ms == 250
    assert declared.asked == ["dep-1", "dep-1"]
