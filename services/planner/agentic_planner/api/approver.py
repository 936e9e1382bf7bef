"""Who may decide approvals: members of a group (JWT ``groups`` / ``cognito:groups``) or listed users."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic_settings import BaseSettings, SettingsConfigDict


class ApprovalSettings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    agentic_approver_group: str = "deploy-approvers"
    agentic_approvers: str = ""  # comma-separated subjects or e-mails allowed besides the group


def user_of(claims: Mapping[str, Any]) -> str:
    return str(claims.get("email") or claims.get("sub") or "")


def _groups(claims: Mapping[str, Any]) -> set[str]:
    found: set[str] = set()
    for name in ("groups", "cognito:groups"):
        value = claims.get(name)
        if isinstance(value, str):
            found |= {part.strip() for part in value.strip("[]").replace(",", " ").split() if part.strip()}
        elif isinstance(value, list):
            found |= {str(v) for v in value}
    return found


def may_approve(claims: Mapping[str, Any], settings: ApprovalSettings) -> bool:
    listed = {u.strip() for u in settings.agentic_approvers.split(",") if u.strip()}
    identities = {str(claims.get("sub") or ""), str(claims.get("email") or "")} - {""}
    return settings.agentic_approver_group in _groups(claims) or bool(identities & listed)
