"""Ranking: a model may order the allowed playbooks and pick parameters; code keeps it in the allow-list."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
from agentic_remediation.logic.catalogue import load_catalogue
from agentic_remediation.logic.decide import Decider
from agentic_remediation.logic.playbook_models import Playbook
from agentic_remediation.logic.ranking import DETERMINISTIC, DeterministicRanker, rank
from agentic_remediation.ports import Choice, RankingError

CATALOGUE = load_catalogue()
ANOMALY_BOOKS = tuple(
    p
    for p in CATALOGUE.for_event("anomaly.detected")
    if p.id in {"restart-unhealthy-service", "rollback-to-previous-version", "scale-out-on-latency"}
)


class ScriptedRanker:
    name = "scripted"

    def __init__(self, answer: list[Choice] | Exception) -> None:
        self.answer = answer

    def rank(self, playbooks: Sequence[Playbook], facts: dict[str, Any]) -> list[Choice]:
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


def test_the_deterministic_ranking_orders_by_priority_then_blast_radius() -> None:
    choices = DeterministicRanker().rank(ANOMALY_BOOKS, {})
    assert [c.playbook_id for c in choices] == [
        "restart-unhealthy-service",
        "rollback-to-previous-version",
        "scale-out-on-latency",
    ]
    assert choices[2].parameters == {"replicas": 2}


def test_a_valid_model_ranking_is_used_with_its_parameters_and_the_rest_follow() -> None:
    ranker = ScriptedRanker([Choice("scale-out-on-latency", {"replicas": 4}, "latency under load")])
    ranking = rank(ranker, ANOMALY_BOOKS, {})
    assert ranking.ranked_by == "scripted"
    assert ranking.choices[0] == Choice("scale-out-on-latency", {"replicas": 4}, "latency under load")
    assert [c.playbook_id for c in ranking.choices[1:]] == [
        "restart-unhealthy-service",
        "rollback-to-previous-version",
    ]


@pytest.mark.parametrize(
    ("choice", "problem"),
    [
        (Choice("delete-the-database", {}), "'delete-the-database' is not an allowed playbook"),
        (
            Choice("scale-out-on-latency", {"replicas": 50}),
            "scale-out-on-latency: replicas: 50 is greater than",
        ),
        (Choice("scale-out-on-latency", {"region": "eu"}), "Additional properties are not allowed"),
        (Choice("scale-out-on-latency", {"replicas": "many"}), "'many' is not of type 'integer'"),
    ],
)
def test_a_model_choice_outside_the_allow_list_is_rejected_and_the_ranking_falls_back(
    choice: Choice, problem: str
) -> None:
    ranking = rank(ScriptedRanker([choice]), ANOMALY_BOOKS, {})
    assert ranking.ranked_by == DETERMINISTIC
    assert problem in ranking.rejected[0]
    assert ranking.choices[0].playbook_id == "restart-unhealthy-service"


def test_valid_choices_survive_next_to_rejected_ones() -> None:
    ranker = ScriptedRanker(
        [Choice("drop-tables"), Choice("rollback-to-previous-version", {}, "new release")]
    )
    ranking = rank(ranker, ANOMALY_BOOKS, {})
    assert ranking.ranked_by == "scripted"
    assert ranking.choices[0].playbook_id == "rollback-to-previous-version"
    assert ranking.choices[0].parameters == {"to_version": "previous"}
    assert len(ranking.rejected) == 1


def test_a_ranker_that_fails_gives_the_deterministic_ranking() -> None:
    ranking = rank(ScriptedRanker(RankingError("Claude API error: APITimeoutError")), ANOMALY_BOOKS, {})
    assert ranking.ranked_by == DETERMINISTIC
    assert ranking.rejected == ("Claude API error: APITimeoutError",)


def test_one_candidate_is_not_sent_to_the_model(decider: Any, make_anomaly: Any) -> None:
    # Given a decider whose ranker would fail the test if asked
    strict = Decider(decider.catalogue, decider.tiers, ScriptedRanker(AssertionError("asked")))
    # When the only candidate is the drift playbook / Then the ranker is never called
    assert strict.decide(make_anomaly("dev", series="terraform_drift")).ranking.ranked_by == DETERMINISTIC
