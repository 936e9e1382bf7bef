"""Which tasks reach an environment, and the approval rule each one must satisfy there.

A task *deploys* when it changes what runs in an environment. That is decided by its agent, not by
its template's config, so a template cannot opt out: every ``deployment`` task (deploy, and whatever
the deployment agent is given later) gets the environment's row of the table, made stricter by the
task's own config. Any other task needs an approval only if its template asks for one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from agentic_common.environments.rules import ApprovalRule, RulesTable, load_rules

DEPLOYING_AGENTS = frozenset({"deployment"})
NO_APPROVAL = ApprovalRule(required=False, approvers=0, requester_may_approve=True)


def deploys(agent: str) -> bool:
    """True for a task that changes what runs in an environment."""
    return agent in DEPLOYING_AGENTS


def task_approval(
    agent: str, config: Mapping[str, Any], environment: str, table: RulesTable | None = None
) -> ApprovalRule:
    """The approval rule of one task in ``environment`` (raises UnknownEnvironmentError for a deploying
    task whose environment the table does not declare: nothing may reach it)."""
    table = table or load_rules()
    if deploys(agent):
        row = table.for_environment(environment)
    elif environment in table.environments:
        row = table.for_environment(environment).model_copy(update={"approval": NO_APPROVAL})
    else:
        return NO_APPROVAL
    return row.with_template(config, environment).approval
