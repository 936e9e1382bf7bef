"""Policy process settings (environment variables are the field names, upper-cased).

``POLICY_APPROVER_GROUP`` (comma-separated groups, default ``policy-approvers``) and
``POLICY_APPROVERS`` (comma-separated token subjects or e-mails) name the policy approvers, who may
create and approve waivers of any rule (a rule's owning group may too; see ``logic/waiver_rules.py``).
``POLICY_ENFORCEMENT`` (default empty) may make the environment table's enforcement levels stricter,
never weaker (``prod=low``); ``POLICY_MAX_BODY_BYTES`` bounds a ``POST /policy/validate`` body;
``POLICY_BUDGET_SECONDS`` is the time budget of one validation (see ``logic/budget.py``). Merge
request comments use the Git host settings (``agentic_common.git.settings``: local bare repositories,
or GitLab).
"""

from __future__ import annotations

from agentic_common.git.settings import GitSettings
from agentic_common.settings import CommonSettings
from pydantic import Field


class PolicySettings(CommonSettings, GitSettings):
    policy_enforcement: str = ""  # only stricter than agentic_common/environments/rules.json
    policy_approver_group: str = "policy-approvers"
    policy_approvers: str = ""
    policy_budget_seconds: float = Field(default=60.0, gt=0, le=600)
    policy_max_body_bytes: int = Field(default=5 * 1024 * 1024, gt=0, le=50 * 1024 * 1024)
