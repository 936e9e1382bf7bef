"""Creating workflows: free text without Claude is refused; proposals are checked against the catalogue."""

from __future__ import annotations

from typing import Any

import pytest
from agentic_planner.logic.catalogue import InvalidParametersError
from agentic_planner.logic.create import CreateRequest, FreeTextUnavailableError, create_workflow
from agentic_planner.ports import ProposedPlan

from tests.unit.planner.conftest import Harness

FREE_TEXT = CreateRequest(
    requested_by="dev@x.io",
    template=None,
    parameters={},
    request="Create user-service with a REST API and deploy it to staging",
)


class FixedProposer:
    def __init__(self, plan: ProposedPlan) -> None:
        self.plan = plan
        self.seen: dict[str, Any] = {}

    def propose(self, request: str, templates: dict[str, dict[str, Any]]) -> ProposedPlan:
        self.seen = templates
        return self.plan


def test_free_text_without_an_llm_is_refused_not_guessed(harness: Harness) -> None:
    with pytest.raises(FreeTextUnavailableError, match="ANTHROPIC_API_KEY"):
        create_workflow(harness.service, FREE_TEXT, {"x": 1})


def test_a_proposal_naming_an_unknown_template_is_rejected(harness: Harness) -> None:
    proposer = FixedProposer(ProposedPlan(template="rm-rf", parameters={}))
    with pytest.raises(InvalidParametersError, match="unknown template"):
        create_workflow(harness.service, FREE_TEXT, {"x": 1}, proposer=proposer)


def test_a_proposal_with_invalid_parameters_is_rejected(harness: Harness) -> None:
    proposer = FixedProposer(ProposedPlan(template="microservice-rest-api", parameters={"serviceName": "X"}))
    with pytest.raises(InvalidParametersError, match="proposed plan is invalid"):
        create_workflow(harness.service, FREE_TEXT, {"x": 1}, proposer=proposer)


def test_a_valid_proposal_becomes_a_workflow(harness: Harness) -> None:
    params = {"serviceName": "user-service", "language": "python", "environment": "staging"}
    proposer = FixedProposer(ProposedPlan(template="microservice-rest-api", parameters=params))
    result = create_workflow(harness.service, FREE_TEXT, {"x": 1}, proposer=proposer)
    assert result.state.workflow.parameters["serviceName"] == "user-service"
    assert "microservice-rest-api" in proposer.seen
