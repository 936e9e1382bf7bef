"""Who the caller is, who may act for others, who may decide approvals (``PlannerSettings`` + claims).

Approvers: members of ``AGENTIC_APPROVER_GROUP`` (comma-separated; a bare group name or a Backstage
group ref ``group:default/platform-approvers``), read from the token's ``groups``, ``cognito:groups``
and ``ent`` claims, or the subjects / e-mails listed in ``AGENTIC_APPROVERS``. Service principals
(``AGENTIC_SERVICE_PRINCIPALS``, token subjects) may create workflows for a user; they do not decide.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from agentic_common.identity import Identity, identity_of, split_setting

from agentic_planner.settings import PlannerSettings


def caller(claims: Mapping[str, Any]) -> Identity:
    return identity_of(claims)


def may_approve(identity: Identity, settings: PlannerSettings) -> str | None:
    """None when ``identity`` may decide approvals, else the reason it may not (for a 403)."""
    if identity.is_one_of(settings.service_principals):
        return (
            f"{identity.subject} is a service principal; approvals are decided with the approver's own token"
        )
    if identity.member_of(settings.approver_groups) or identity.is_one_of(
        split_setting(settings.agentic_approvers)
    ):
        return None
    groups = " or ".join(f"'{g}'" for g in settings.approver_groups) or "an approver group"
    return (
        f"{identity.subject or 'this user'} may not decide approvals: membership of {groups} "
        "(token claim groups or ent) or a listing in AGENTIC_APPROVERS is required"
    )
