"""Who may decide approvals (the rule; the API reads the caller from the token, the lists from settings).

Approvers: members of ``AGENTIC_APPROVER_GROUP`` (comma-separated; a bare group name or a Backstage
group ref ``group:default/platform-approvers``), read from the token's ``groups``, ``cognito:groups``
and ``ent`` claims, or the subjects / e-mails listed in ``AGENTIC_APPROVERS``. Service principals
(``AGENTIC_SERVICE_PRINCIPALS``, token subjects) may create workflows for a user; they do not decide.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from agentic_common.identity import Identity


@dataclass(frozen=True)
class Approvers:
    """Who may decide: members of ``groups``, or the ``people`` listed; never a service principal."""

    groups: Collection[str]
    people: Collection[str]
    service_principals: Collection[str]


def may_approve(identity: Identity, settings: Approvers) -> str | None:
    """None when ``identity`` may decide approvals, else the reason it may not (for a 403)."""
    if identity.is_one_of(settings.service_principals):
        return (
            f"{identity.subject} is a service principal; approvals are decided with the approver's own token"
        )
    if identity.member_of(settings.groups) or identity.is_one_of(settings.people):
        return None
    groups = " or ".join(f"'{g}'" for g in settings.groups) or "an approver group"
    return (
        f"{identity.subject or 'this user'} may not decide approvals: membership of {groups} "
        "(token claim groups or ent) or a listing in AGENTIC_APPROVERS is required"
    )
