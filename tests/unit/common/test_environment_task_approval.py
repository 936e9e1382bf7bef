"""Which tasks need an approval where: the table's row for deploying tasks, stricter-only template config."""

from __future__ import annotations

import pytest
from agentic_common.approvals.deployment import approval_required
from agentic_common.environments import UnknownEnvironmentError, load_rules, task_approval

OPT_OUT = {"approval": {"environments": [], "approvers": 0, "requester_may_approve": True}}


@pytest.mark.parametrize("environment", ["dev", "staging", "prod"])
def test_a_deploying_task_gets_its_environments_row(environment: str) -> None:
    assert task_approval("deployment", {}, environment) == load_rules().for_environment(environment).approval


def test_a_template_cannot_opt_a_deploying_task_out_of_the_prod_approval() -> None:
    rule = task_approval("deployment", OPT_OUT, "prod")
    assert (rule.required, rule.approvers, rule.requester_may_approve) == (True, 1, False)


def test_a_template_can_add_an_approval_with_more_approvers_in_staging() -> None:
    config = {"approval": {"environments": ["staging"], "approvers": 2}}
    rule = task_approval("deployment", config, "staging")
    assert (rule.required, rule.approvers) == (True, 2)


def test_a_template_can_add_four_eyes_but_not_remove_it() -> None:
    config = {"approval": {"environments": ["staging", "prod"], "requester_may_approve": False}}
    assert task_approval("deployment", config, "staging").requester_may_approve is False
    relaxed = {"approval": {"environments": ["prod"], "requester_may_approve": True}}
    assert task_approval("deployment", relaxed, "prod").requester_may_approve is False


def test_a_task_that_does_not_deploy_needs_no_approval_unless_its_template_asks() -> None:
    assert task_approval("policy", {}, "prod").required is False
    assert task_approval("policy", {"approval": {"environments": ["prod"]}}, "prod").required is True


def test_a_deploying_task_cannot_reach_an_environment_the_table_does_not_declare() -> None:
    with pytest.raises(UnknownEnvironmentError, match="dev, staging, prod"):
        task_approval("deployment", {}, "production")


def test_the_deploy_worker_asks_the_same_table() -> None:
    # the worker's check (approval_required) gives the table's answer even for a config that opts out
    assert approval_required(OPT_OUT, "prod") is True
    assert approval_required({}, "dev") is False
